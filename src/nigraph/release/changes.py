"""The change log between two releases: resources added, removed and changed per class, and triples.

Both sides are sets of asserted triples (the release's ``nigraph.nt``), without the version
annotations a release puts on the ontology header (``owl:versionIRI``, ``owl:versionInfo``,
``dcterms:issued``), which change every time and say nothing about the data.

A *resource* is an IRI that is the subject of at least one triple. It is *added* if it is a
subject only in the new release, *removed* if only in the old one, *changed* if a subject in both
whose triples differ. It is listed under each class it has (``rdf:type``) in the release where it
is found (the new one for added and changed, the old one for removed); one with no type is listed
under "(no class)". Blank-node subjects are not resources, but their triples are counted.

>>> import pyoxigraph as ox
>>> T, N = ox.Triple, ox.NamedNode
>>> a, b, label, typ, cls = N("http://e/a"), N("http://e/b"), N(RDFS + "label"), N(RDF_TYPE), N("http://e/C")
>>> old = [T(a, typ, cls), T(a, label, ox.Literal("A"))]
>>> new = [T(a, typ, cls), T(a, label, ox.Literal("A2")), T(b, typ, cls)]
>>> c = compare(old, new)
>>> c.added, c.removed, c.changed
({'http://e/C': ['http://e/b']}, {}, {'http://e/C': ['http://e/a']})
>>> len(c.triples_added), len(c.triples_removed)
(2, 1)
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from ..core.iri import BASE, ONTOLOGY, PREFIXES

__all__ = ["Changes", "compare", "without_version", "to_markdown", "to_rdf", "NO_CLASS", "CS"]

RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS = PREFIXES["rdfs"]
#: The Changeset vocabulary (http://vocab.org/changeset/schema.html): one cs:ChangeSet per resource.
CS = "http://purl.org/vocab/changeset/schema#"
#: The heading of resources that have no rdf:type.
NO_CLASS = "(no class)"
_VERSION_PREDICATES = frozenset({PREFIXES["owl"] + "versionIRI", PREFIXES["owl"] + "versionInfo",
                                 PREFIXES["dcterms"] + "issued"})


def without_version(triples: Iterable[ox.Triple]) -> set[ox.Triple]:
    """The triples, less the version annotations a build or release puts on the ontology header."""
    return {t for t in triples if not (t.subject.value == ONTOLOGY and t.predicate.value in _VERSION_PREDICATES
                                       and isinstance(t.subject, ox.NamedNode))}


@dataclass(frozen=True)
class Changes:
    """What differs between an old and a new release.

    :param added: class IRI → sorted IRIs of resources only in the new release.
    :param removed: class IRI → sorted IRIs of resources only in the old release.
    :param changed: class IRI → sorted IRIs of resources in both whose triples differ.
    :param triples_added: triples only in the new release, sorted by N-Triples line.
    :param triples_removed: triples only in the old release, sorted likewise.
    """

    added: dict[str, list[str]]
    removed: dict[str, list[str]]
    changed: dict[str, list[str]]
    triples_added: list[ox.Triple]
    triples_removed: list[ox.Triple]

    @property
    def empty(self) -> bool:
        return not (self.triples_added or self.triples_removed)


def _by_subject(triples: set[ox.Triple]) -> dict[str, set[ox.Triple]]:
    out: dict[str, set[ox.Triple]] = {}
    for t in triples:
        if isinstance(t.subject, ox.NamedNode):
            out.setdefault(t.subject.value, set()).add(t)
    return out


def _classes(triples: set[ox.Triple]) -> list[str]:
    found = sorted(t.object.value for t in triples if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode))
    return found or [NO_CLASS]


def _group(iris: Iterable[str], subjects: dict[str, set[ox.Triple]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for iri in iris:
        for cls in _classes(subjects[iri]):
            out.setdefault(cls, []).append(iri)
    return {cls: sorted(out[cls]) for cls in sorted(out)}


def compare(old: Iterable[ox.Triple], new: Iterable[ox.Triple]) -> Changes:
    """Compare two releases' asserted triples (version annotations are left out first).

    :param old: the previous release's triples.
    :param new: this release's triples.
    :returns: the differences, every list sorted.
    """
    before, after = without_version(old), without_version(new)
    old_s, new_s = _by_subject(before), _by_subject(after)
    added = [s for s in new_s if s not in old_s]
    removed = [s for s in old_s if s not in new_s]
    changed = [s for s in new_s if s in old_s and new_s[s] != old_s[s]]
    return Changes(
        added=_group(added, new_s),
        removed=_group(removed, old_s),
        changed=_group(changed, new_s),
        triples_added=sorted(after - before, key=str),
        triples_removed=sorted(before - after, key=str),
    )


def _count(groups: dict[str, list[str]]) -> int:
    return len({iri for iris in groups.values() for iri in iris})


def to_markdown(changes: Changes, *, version: str, previous: str | None, issued: str) -> str:
    """The change log as Markdown: a summary table per class, the resources, then every triple."""
    lines = [f"# nigraph {version} ({issued})", ""]
    if previous is None:
        lines += ["First release: every resource is new.", ""]
    else:
        lines += [f"Changes since {previous}: {_count(changes.added)} resources added, {_count(changes.removed)} removed, "
                  f"{_count(changes.changed)} changed; {len(changes.triples_added)} triples added, "
                  f"{len(changes.triples_removed)} removed.", ""]
    classes = sorted(set(changes.added) | set(changes.removed) | set(changes.changed))
    if classes:
        lines += ["| class | added | removed | changed |", "|---|---:|---:|---:|"]
        for cls in classes:
            lines.append(f"| `{cls}` | {len(changes.added.get(cls, []))} | {len(changes.removed.get(cls, []))} "
                         f"| {len(changes.changed.get(cls, []))} |")
        lines.append("")
    for title, groups in (("Added", changes.added), ("Removed", changes.removed), ("Changed", changes.changed)):
        if not groups:
            continue
        lines += [f"## {title}", ""]
        for cls, iris in groups.items():
            lines += [f"### `{cls}`", ""] + [f"- <{iri}>" for iri in iris] + [""]
    for title, triples in (("Triples added", changes.triples_added), ("Triples removed", changes.triples_removed)):
        lines += [f"## {title} ({len(triples)})", ""]
        if triples:
            lines += ["```"] + [f"{t} ." for t in triples] + ["```", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _statement(kind: str, t: ox.Triple, base: str) -> tuple[ox.NamedNode, list[ox.Triple]]:
    """A reified statement named by a hash of its N-Triples line (no blank nodes, stable IRIs)."""
    node = ox.NamedNode(f"{base}#{kind}-{hashlib.sha256(str(t).encode()).hexdigest()[:16]}")
    rdf = PREFIXES["rdf"]
    return node, [ox.Triple(node, ox.NamedNode(RDF_TYPE), ox.NamedNode(rdf + "Statement")),
                  ox.Triple(node, ox.NamedNode(rdf + "subject"), t.subject),
                  ox.Triple(node, ox.NamedNode(rdf + "predicate"), t.predicate),
                  ox.Triple(node, ox.NamedNode(rdf + "object"), t.object)]


def to_rdf(changes: Changes, *, version: str, previous: str | None, issued: str) -> list[ox.Triple]:
    """The change log as RDF with the Changeset vocabulary: one ``cs:ChangeSet`` per added, removed or
    changed resource (``cs:changeReason`` "added", "removed" or "changed"), holding its triples as
    ``cs:addition`` and ``cs:removal`` statements. Triples of blank-node subjects belong to no
    change set and are not in this file (they are in the Markdown)."""
    base = f"{BASE}releases/{version}/changes"
    xsd_date = ox.NamedNode(PREFIXES["xsd"] + "date")
    out: list[ox.Triple] = []

    def t(s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal) -> None:
        out.append(ox.Triple(s, ox.NamedNode(p), o))

    reason = {}
    for kind, groups in (("added", changes.added), ("removed", changes.removed), ("changed", changes.changed)):
        for iris in groups.values():
            for iri in iris:
                reason[iri] = kind
    sets: dict[str, ox.NamedNode] = {}
    for iri in sorted(reason):
        node = ox.NamedNode(f"{base}#set-{hashlib.sha256(iri.encode()).hexdigest()[:16]}")
        sets[iri] = node
        t(node, RDF_TYPE, ox.NamedNode(CS + "ChangeSet"))
        t(node, CS + "subjectOfChange", ox.NamedNode(iri))
        t(node, CS + "changeReason", ox.Literal(reason[iri]))
        t(node, CS + "createdDate", ox.Literal(issued, datatype=xsd_date))
        if previous is not None:
            t(node, PREFIXES["prov"] + "wasDerivedFrom", ox.NamedNode(f"{BASE}releases/{previous}/nigraph.nt"))
    for kind, triples in (("addition", changes.triples_added), ("removal", changes.triples_removed)):
        for triple in triples:
            if isinstance(triple.subject, ox.NamedNode) and triple.subject.value in sets:
                node, statement = _statement(kind, triple, base)
                out += statement
                t(sets[triple.subject.value], CS + kind, node)
    return out
