"""What HermiT must see: the TBox, the plan's ABox, and only the part of a catalogue that can matter.

A catalogue holds tens of thousands of ``nig:Standard`` individuals, and the cube computed from it
(:mod:`nigraph.build.cube`) tens of thousands of ``qb:Observation`` ones; HermiT over all of them takes
minutes. Most of them cannot make the ontology inconsistent, given what its axioms say, so they are
left out, and a check generated from the axioms (one pass over the sorted N-Triples lines, a
table lookup per line, as a SPARQL query per rule over every individual took minutes) picks out
the ones that can:

* an individual with two values of a functional property (itself, or as the value of one);
* an individual with types (asserted, or from ``rdfs:domain``/``rdfs:range``, up
  ``rdfs:subClassOf``) in two classes declared ``owl:disjointWith``;
* an individual whose types reach a class named in an axiom beyond this fragment (here the
  ``owl:unionOf`` that defines ``nig:Industry``): HermiT reasons about those by cases;
* a literal whose datatype is not the property's declared ``rdfs:range``, a literal under an
  object property or an IRI under a datatype property, an ill-typed number or boolean;
* any use of the RDF, RDFS or OWL vocabulary other than ``rdf:type`` and labels and comments, and
  any catalogue individual that is used as a class or property (punning).

Those individuals go to HermiT with every triple they are in, so HermiT, not the queries,
decides; the queries only choose. Every link from a catalogue individual to a plan individual
(``nig:servesIndustry nid:industry/E01``) goes too, once per (property, target), with one real
subject, so HermiT sees every type a catalogue gives the plan's individuals. What HermiT sees
is a subset of the data, so an inconsistency it finds is real.

The argument is only as good as the list of axioms it knows: if the TBox uses any construct not
handled here (restrictions, property chains, keys, inverse-functional, transitive or symmetric
properties, ``owl:sameAs``…), :func:`hermit_scope` returns ``None`` and HermiT sees everything.

This module only chooses triples; :mod:`nigraph.reason.owl` runs HermiT.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pyoxigraph

from ..core.iri import GRAPH, PREFIXES
from .tbox import TBox

__all__ = ["CATALOGUE_CLASSES", "Scope", "hermit_scope"]

_RDF, _RDFS, _OWL, _XSD = PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["owl"], PREFIXES["xsd"]
#: Classes whose instances are catalogue-scale data, checked by the queries unless chosen: the
#: catalogue's standards, and the cube's observations (one per cell of the coverage statistics and
#: per day of a target's progress: tens of thousands at catalogue scale).
CATALOGUE_CLASSES: tuple[str, ...] = (PREFIXES["nig"] + "Standard", "http://purl.org/linked-data/cube#Observation")
_CATALOGUE_STR = tuple(f"<{c}>" for c in CATALOGUE_CLASSES)

#: TBox predicates and types whose consequences the selection queries account for.
_HANDLED_PREDICATES = {
    _RDF + "type", _RDFS + "subClassOf", _RDFS + "subPropertyOf", _RDFS + "domain", _RDFS + "range",
    _OWL + "disjointWith", _OWL + "inverseOf", _OWL + "equivalentClass", _OWL + "unionOf",
    _OWL + "intersectionOf", _RDF + "first", _RDF + "rest",
}
_HANDLED_TYPES = {
    _OWL + "Class", _RDFS + "Class", _OWL + "ObjectProperty", _OWL + "DatatypeProperty",
    _OWL + "AnnotationProperty", _OWL + "FunctionalProperty", _OWL + "Ontology", _OWL + "NamedIndividual",
    _RDF + "Property", _RDFS + "Datatype",
}
#: Annotation-like predicates that say nothing to a reasoner (anything outside rdf:/rdfs:/owl: is fine too).
_HARMLESS = {_RDFS + "label", _RDFS + "comment", _RDFS + "seeAlso", _RDFS + "isDefinedBy", _OWL + "versionInfo",
             _OWL + "versionIRI", _OWL + "imports", _OWL + "deprecated"}
_NUMERIC = [_XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "short", "byte",
                               "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
                               "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")]


@dataclass(frozen=True)
class Scope:
    """The triples to give HermiT, and what was left out.

    :param triples: N-Triples lines (TBox, plan ABox, chosen catalogue individuals, links).
    :param left_out: catalogue individuals not sent to HermiT.
    :param chosen: catalogue individuals sent because a query picked them.
    :param left_out_by_class: ``left_out`` per class of :data:`CATALOGUE_CLASSES` (an individual of
        two of them counts under the first).
    """

    triples: list[str]
    left_out: int
    chosen: int
    left_out_by_class: tuple[int, ...] = ()

    def summary(self) -> str:
        """What HermiT was given, for the build's log and summary."""
        counts = dict(zip(CATALOGUE_CLASSES, self.left_out_by_class))
        standards = counts.get(PREFIXES["nig"] + "Standard", self.left_out)
        observations = self.left_out - standards
        return (f"{len(self.triples)} triples, {standards} standards"
                + (f" and {observations} cube observations" if observations else "")
                + f" by query, {self.chosen} chosen")


def _vocab(term: str) -> bool:
    return term.startswith((_RDF, _RDFS, _OWL))


def _unhandled(tbox: Iterable[pyoxigraph.Triple]) -> list[str]:
    """TBox predicates or declared types the selection does not account for."""
    bad = set()
    for t in tbox:
        p = t.predicate.value
        if _vocab(p) and p not in _HANDLED_PREDICATES and p not in _HARMLESS:
            bad.add(p)
        if p == _RDF + "type" and isinstance(t.object, pyoxigraph.NamedNode) and _vocab(t.object.value) \
                and t.object.value not in _HANDLED_TYPES:
            bad.add(t.object.value)
    return sorted(bad)


def _beyond_fragment(tbox: list[pyoxigraph.Triple]) -> set[str]:
    """Named classes mentioned in an axiom with a class expression (a blank node): HermiT reasons by cases there."""
    by_subject: dict[str, list[pyoxigraph.Triple]] = {}
    for t in tbox:
        by_subject.setdefault(str(t.subject), []).append(t)
    names: set[str] = set()

    def walk(node: pyoxigraph.BlankNode, seen: set[str]) -> None:
        if str(node) in seen:
            return
        seen.add(str(node))
        for t in by_subject.get(str(node), []):
            if isinstance(t.object, pyoxigraph.NamedNode) and t.predicate.value != _RDF + "type" \
                    and not _vocab(t.object.value):
                names.add(t.object.value)
            elif isinstance(t.object, pyoxigraph.BlankNode):
                walk(t.object, seen)

    for t in tbox:
        if isinstance(t.object, pyoxigraph.BlankNode) and isinstance(t.subject, pyoxigraph.NamedNode):
            names.add(t.subject.value)
            walk(t.object, set())
    return names


_NUMERIC_RE = {
    "integer": rb"[+-]?[0-9]+", "decimal": rb"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)",
    "double": rb"([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN)",
}
_LEXICAL = {}
for _name in _NUMERIC:
    _kind = "double" if _name.endswith(("double", "float")) else "decimal" if _name.endswith("decimal") else "integer"
    _LEXICAL[f"<{_name}>".encode()] = re.compile(_NUMERIC_RE[_kind])
_LEXICAL[f"<{_XSD}boolean>".encode()] = re.compile(rb"true|false|1|0")
_TYPE = f"<{_RDF}type>".encode()
_VOCAB = tuple(f"<{ns}".encode() for ns in (_RDF, _RDFS, _OWL))
_HARMLESS_B = {f"<{h}>".encode() for h in _HARMLESS} | {_TYPE}
_STRING = f"<{_XSD}string>".encode()


def _literal_parts(o: bytes) -> tuple[bytes, bytes | None]:
    """Lexical form (still escaped) and datatype term of an N-Triples literal (None for a language tag)."""
    end = o.rindex(b'"')
    tail = o[end + 1:]
    if tail.startswith(b"^^"):
        return o[1:end], tail[2:]
    if tail.startswith(b"@"):
        return o[1:end], None
    return o[1:end], _STRING


def hermit_scope(graphs: Mapping[str, list[bytes]], tbox_triples: list[pyoxigraph.Triple], tbox: TBox) -> Scope | None:
    """Choose what HermiT sees.

    :param graphs: the canonical graphs of the build (asserted, shapes, inferred), sorted lines.
    :param tbox_triples: the ontology's triples (``ontology/`` files), to know which axioms it uses.
    :param tbox: the axioms as lookup tables.
    :returns: the scope, or ``None`` when the TBox uses an axiom this module does not account for
        (then HermiT must see everything).
    """
    if _unhandled(tbox_triples):
        return None
    beyond = {f"<{c}>" for c in _beyond_fragment(tbox_triples)}
    catalogue = {f"<{c}>".encode() for c in CATALOGUE_CLASSES}
    functional = {p.encode() for p in tbox.functional}
    object_props = {p.encode() for p in tbox.object_props}
    datatype_props = {p.encode() for p in tbox.datatype_props}
    dt_range = {p.encode(): {d.encode() for d in ds} for p, ds in tbox.datatype_range.items()}
    domain = {p.encode(): ds for p, ds in tbox.domain.items()}
    rng = {p.encode(): rs for p, rs in tbox.range.items()}
    # every graph is a sorted run: Timsort merges them natively (repeats stay adjacent)
    lines = sorted(itertools.chain.from_iterable(ls for g, ls in graphs.items() if not g.startswith(GRAPH + "shapes/")))

    incoming: dict[bytes, set[str]] = {}      # individual → classes from the range of links to it
    own: dict[bytes, frozenset[str]] = {}      # catalogue individual → its types and domains
    group_lines: dict[bytes, list[bytes]] = {}  # catalogue individual → its lines
    used_as_term: set[bytes] = set()          # predicates and classes, for punning
    chosen: set[bytes] = set()
    plan: list[bytes] = []
    signatures: dict[frozenset[str], frozenset[str]] = {}

    def close_group(subject: bytes, group: list[bytes], classes: set[str], bad: bool) -> None:
        if not any(c in classes for c in _CATALOGUE_STR):
            plan.extend(group)
            return
        group_lines[subject] = group
        key = frozenset(classes)
        own[subject] = signatures.setdefault(key, key)
        if bad:
            chosen.add(subject)

    # what each predicate means to the checks, worked out once per predicate (a line costs a lookup)
    info: dict[bytes, tuple] = {}

    def predicate(p: bytes) -> tuple:
        used_as_term.add(p)
        found = info[p] = (p == _TYPE, p.startswith(_VOCAB) and p not in _HARMLESS_B, domain.get(p, ()),
                           p in functional, p in object_props, dt_range.get(p), p in datatype_props, rng.get(p))
        return found

    subject, group, classes, bad, last_p = None, [], set(), False, None
    for line in lines:
        s, p, rest = line.split(b" ", 2)
        if s != subject:
            if subject is not None:
                close_group(subject, group, classes, bad)
            subject, group, classes, bad, last_p = s, [], set(), False, None
        elif group[-1] == line:
            continue  # the same triple in two graphs
        o = rest[:-3]
        group.append(line)
        is_type, vocab_p, dom, func, obj_prop, dtr, dt_prop, rng_p = info.get(p) or predicate(p)
        if is_type:
            classes.add(o.decode())
            used_as_term.add(o)
            if o.startswith(_VOCAB):
                bad = True
        elif vocab_p:
            bad = True
        if dom:
            classes.update(dom)
        if func and p == last_p:
            bad = True
            chosen.add(o)  # both values go to HermiT (two values of an object property may be merged)
            chosen.add(group[-2].split(b" ", 2)[2][:-3])
        last_p = p
        if o[0] == 34:  # a literal
            if obj_prop:
                bad = True
            if o[-1] == 62:  # typed: "…"^^<datatype>
                lexical, datatype = _literal_parts(o)
                if dtr is not None and datatype not in dtr:
                    bad = True
                check = _LEXICAL.get(datatype)
                if check is not None and not check.fullmatch(lexical):
                    bad = True
            elif dtr is not None and (_STRING if o[-1] == 34 else None) not in dtr:  # plain, or language-tagged
                bad = True
        else:
            if dt_prop:
                bad = True
            if rng_p:
                incoming.setdefault(o, set()).update(rng_p)
    if subject is not None:
        close_group(subject, group, classes, bad)

    verdicts: dict[frozenset[str], bool] = {}
    for x, sig in own.items():
        types = sig | incoming[x] if x in incoming else sig
        key = frozenset(types)
        if key not in verdicts:
            up = tbox.up(key)
            verdicts[key] = bool(up & beyond) or any((a, b) in tbox.disjoint for a in up for b in up)
        if verdicts[key] or x in used_as_term:
            chosen.add(x)
    chosen &= set(own)

    out = set(plan)
    links: dict[tuple[bytes, bytes], bytes] = {}
    for x, group in group_lines.items():
        if x in chosen:
            out.update(group)
            up = tbox.up(own[x] | incoming.get(x, set()))  # what links from left-out individuals said of x
            out.update(b"%s %s %s .\n" % (x, _TYPE, c.encode()) for c in sorted(up) if c.startswith("<"))
            continue
        for line in group:
            _, p, rest = line.split(b" ", 2)
            o = rest[:-3]
            if not o.startswith(b'"') and o not in group_lines:
                links.setdefault((p, o), line)  # the first subject in sorted order links for all
    for line in links.values():
        out.add(line)
        x = line.split(b" ", 1)[0]
        out.update(ln for ln in group_lines[x] if ln.split(b" ", 2)[1] == _TYPE)
    # a plan triple pointing at a left-out individual keeps it as a bare name: a subset of the data
    text = sorted(ln.decode().rstrip("\n") for ln in out)
    by_class = [0] * len(CATALOGUE_CLASSES)
    for x, sig in own.items():
        if x not in chosen:
            by_class[next(i for i, c in enumerate(_CATALOGUE_STR) if c in sig)] += 1
    return Scope(text, len(own) - len(chosen), len(chosen), tuple(by_class))
