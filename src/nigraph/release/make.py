"""``nigraph release``: a versioned, citable copy of the built graph in ``releases/<version>/``.

The folder holds every dump (Turtle, N-Triples, JSON-LD, RDF/XML of the asserted graph; N-Quads
and TriG of every named graph), each with ``owl:versionIRI`` (the file's own IRI
``https://w3id.org/nigraph/releases/<version>/<file>``), ``owl:versionInfo`` and
``dcterms:issued`` on the ontology header; the JSON-LD context; ``void.ttl`` (VoID and DCAT:
the release as a dataset, one ``dcat:Distribution`` per file with its SHA-256); ``CHANGES.md``
and ``changes.ttl``, the change log against the previous release (:mod:`.changes`); and
``SHA256SUMS``. The date is given, never read from the clock, so the same store, version and
date give the same bytes. A release is written whole (a temporary folder renamed into place)
and never rewritten.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..core.errors import NigraphError
from ..core.files import atomic_write
from ..core.iri import BASE, GRAPH, INFERRED_GRAPH, ONTOLOGY, PREFIXES, release_iri
from ..core.serialize import canonical_triples, to_jsonld, to_nquads, to_ntriples, to_rdfxml, to_trig, to_turtle
from ..core.store import open_memory_store, open_store
from ..export.void import CONTEXT, DATASET, FORMATS, SUMS, VOID, VOID_PREFIXES, describe
from .changes import compare, to_markdown, to_rdf
from .versions import check_version, previous_release

__all__ = ["Release", "make_release", "CHANGES_MD", "CHANGES_TTL", "release_files"]

CHANGES_MD = "CHANGES.md"
CHANGES_TTL = "changes.ttl"
_OWL, _DCT, _RDF, _DCAT = PREFIXES["owl"], PREFIXES["dcterms"], PREFIXES["rdf"], PREFIXES["dcat"]
_SPDX = "http://spdx.org/rdf/terms#"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MEDIA = {".ttl": "text/turtle", ".nt": "application/n-triples", ".nq": "application/n-quads",
          ".trig": "application/trig", ".jsonld": "application/ld+json", ".rdf": "application/rdf+xml",
          ".md": "text/markdown"}
_CHANGE_PREFIXES = {"cs": "http://purl.org/vocab/changeset/schema#", **{p: PREFIXES[p] for p in ("prov", "rdf", "xsd")}}


@dataclass(frozen=True)
class Release:
    """What :func:`make_release` wrote.

    :param version: the version released.
    :param folder: ``releases/<version>``.
    :param previous: the version compared with, or None for a first release.
    :param files: the file names written, sorted.
    :param summary: the change log's first line.
    """

    version: str
    folder: Path
    previous: str | None
    files: tuple[str, ...]
    summary: str


def release_files() -> tuple[str, ...]:
    """Every file name a release folder holds (the server serves only these)."""
    return tuple(sorted(set(FORMATS.values()) | {CONTEXT, VOID, SUMS, CHANGES_MD, CHANGES_TTL}))


def _versioned(quads: list[ox.Quad], version: str, issued: str, filename: str) -> list[ox.Quad]:
    """The quads with the ontology header's version triples set for one released file."""
    header = ox.NamedNode(ONTOLOGY)
    drop = {_OWL + "versionIRI", _OWL + "versionInfo", _DCT + "issued"}
    graphs = sorted({q.graph_name.value for q in quads if q.subject == header and isinstance(q.graph_name, ox.NamedNode)})
    graph = ox.NamedNode(graphs[0]) if graphs else ox.NamedNode(GRAPH + "ontology/nigraph.ttl")
    kept = [q for q in quads if not (q.subject == header and q.predicate.value in drop)]
    return kept + [
        ox.Quad(header, ox.NamedNode(_OWL + "versionIRI"), release_iri(version, filename), graph),
        ox.Quad(header, ox.NamedNode(_OWL + "versionInfo"), ox.Literal(version), graph),
        ox.Quad(header, ox.NamedNode(_DCT + "issued"), ox.Literal(issued, datatype=ox.NamedNode(PREFIXES["xsd"] + "date")), graph),
    ]


def _asserted(quads: list[ox.Quad]) -> list[ox.Quad]:
    shapes = GRAPH + "shapes/"
    return [q for q in quads if q.graph_name != INFERRED_GRAPH and not q.graph_name.value.startswith(shapes)]


def _dumps(quads: list[ox.Quad], version: str, issued: str) -> dict[str, str]:
    writers = {
        "ttl": lambda qs: to_turtle(canonical_triples(_asserted(qs)), PREFIXES),
        "nt": lambda qs: to_ntriples(canonical_triples(_asserted(qs))),
        "jsonld": lambda qs: to_jsonld(canonical_triples(_asserted(qs)), PREFIXES),
        "rdfxml": lambda qs: to_rdfxml(canonical_triples(_asserted(qs)), PREFIXES),
        "nq": to_nquads,
        "trig": lambda qs: to_trig(qs, PREFIXES),
    }
    return {FORMATS[fmt]: writers[fmt](_versioned(quads, version, issued, FORMATS[fmt])) for fmt in sorted(FORMATS)}


def _void(quads: list[ox.Quad], version: str, issued: str, previous: str | None,
          sums: dict[str, str]) -> list[ox.Triple]:
    """VoID + DCAT of the release: :func:`describe`'s description, moved under the release's IRI,
    with its date, version, predecessor and a checksum per distribution."""
    here = f"{BASE}releases/{version}/"
    store = open_memory_store(_versioned(quads, version, issued, FORMATS["ttl"]))
    try:
        triples = describe(store, endpoint=BASE + "sparql",
                           dumps=[here + name for name in sorted(sums) if name in FORMATS.values()])
    finally:
        del store

    def move(term):  # noqa: ANN001, ANN202 - a term in, the same kind out
        if isinstance(term, ox.NamedNode) and term.value.startswith(BASE + "void#"):
            return ox.NamedNode(here + term.value[len(BASE):])
        return term

    out = [ox.Triple(move(t.subject), t.predicate, move(t.object)) for t in triples]
    dataset = move(DATASET)

    def t(s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal) -> None:
        out.append(ox.Triple(s, ox.NamedNode(p), o))

    t(dataset, _DCT + "issued", ox.Literal(issued, datatype=ox.NamedNode(PREFIXES["xsd"] + "date")))
    t(dataset, _OWL + "versionInfo", ox.Literal(version))
    t(dataset, _DCT + "isVersionOf", DATASET)
    if previous is not None:
        t(dataset, PREFIXES["prov"] + "wasRevisionOf", ox.NamedNode(f"{BASE}releases/{previous}/void#dataset"))
    for name, digest in sorted(sums.items()):
        dist = move(ox.NamedNode(BASE + "void#dump-" + "".join(c if c.isalnum() or c in "._" else "-" for c in name)))
        checksum = ox.NamedNode(f"{dist.value}-sha256")
        if not any(x.subject == dist for x in out):  # describe() made those of the RDF dumps only
            t(dataset, _DCAT + "distribution", dist)
            t(dist, _RDF + "type", ox.NamedNode(_DCAT + "Distribution"))
            t(dist, _DCAT + "downloadURL", ox.NamedNode(here + name))
            ext = "." + name.rsplit(".", 1)[-1]
            if ext in _MEDIA:
                t(dist, _DCAT + "mediaType", ox.NamedNode("https://www.iana.org/assignments/media-types/" + _MEDIA[ext]))
        t(dist, _SPDX + "checksum", checksum)
        t(checksum, _RDF + "type", ox.NamedNode(_SPDX + "Checksum"))
        t(checksum, _SPDX + "algorithm", ox.NamedNode(_SPDX + "checksumAlgorithm_sha256"))
        t(checksum, _SPDX + "checksumValue", ox.Literal(digest, datatype=ox.NamedNode(PREFIXES["xsd"] + "hexBinary")))
    return out


def _read_triples(path: Path) -> list[ox.Triple]:
    try:
        return [ox.Triple(t.subject, t.predicate, t.object) for t in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES)]
    except (OSError, SyntaxError) as exc:
        raise NigraphError(f"{path}: cannot read the previous release: {exc}") from None


def make_release(store_path: str | Path, releases: str | Path, version: str, *, issued: str,
                 previous: str | None = None) -> Release:
    """Write ``releases/<version>/`` from a built store.

    :param store_path: the store ``nigraph build`` wrote.
    :param releases: the folder of releases (``dist/releases``).
    :param version: the version, ``MAJOR.MINOR.PATCH[-pre]``.
    :param issued: the release date, ``YYYY-MM-DD`` (``dcterms:issued``).
    :param previous: the version to compare with; default: the newest older release in ``releases``.
    :returns: what was written.
    :raises NigraphError: bad version or date, the release exists, no store, or no such previous release.
    """
    try:
        check_version(version)
    except ValueError as exc:
        raise NigraphError(str(exc)) from None
    if not _DATE.fullmatch(issued):
        raise NigraphError(f"release date {issued!r}: write YYYY-MM-DD")
    releases = Path(releases)
    folder = releases / version
    if folder.exists():
        raise NigraphError(f"{folder} exists: a release is never rewritten (remove the folder to make it again)")
    if previous is None:
        previous = previous_release(releases, version)
    elif not (releases / previous / FORMATS["nt"]).is_file():
        raise NigraphError(f"no release {previous} in {releases} (no {releases / previous / FORMATS['nt']})")
    store = open_store(store_path)
    try:
        quads = list(store)
    finally:
        del store

    files = _dumps(quads, version, issued)
    files[CONTEXT] = json.dumps({"@context": dict(sorted(PREFIXES.items()))}, indent=1, sort_keys=True) + "\n"
    new = [ox.Triple(q.subject, q.predicate, q.object) for q in _asserted(quads)]
    old = _read_triples(releases / previous / FORMATS["nt"]) if previous else []
    changes = compare(old, new)
    files[CHANGES_MD] = to_markdown(changes, version=version, previous=previous, issued=issued)
    files[CHANGES_TTL] = to_turtle(to_rdf(changes, version=version, previous=previous, issued=issued), _CHANGE_PREFIXES)
    sums = {name: hashlib.sha256(text.encode("utf-8")).hexdigest() for name, text in files.items()}
    files[VOID] = to_turtle(_void(quads, version, issued, previous, sums), {**VOID_PREFIXES, "spdx": _SPDX, "prov": PREFIXES["prov"]})
    sums[VOID] = hashlib.sha256(files[VOID].encode("utf-8")).hexdigest()
    files[SUMS] = "".join(f"{digest}  {name}\n" for name, digest in sorted(sums.items()))

    releases.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{version}.", suffix=".tmp", dir=releases))
    try:
        for name, text in files.items():
            atomic_write(tmp / name, text)
        tmp.chmod(0o755)
        tmp.rename(folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    summary = to_markdown(changes, version=version, previous=previous, issued=issued).splitlines()[2]
    return Release(version, folder, previous, tuple(sorted(files)), summary)
