"""``nigraph build``: source files → canonical form → validation → materialization → consistency →
dist/ files and store.

Each stage is a function of its own (``_load``, ``canonical``, ``_validate``, ``_working_store``,
``materialize_lines``, ``_consistency``, ``_write``); :func:`build` runs them in order and logs each
one's name, size and time (``nigraph -v build``).

Outputs (all under ``out``, default ``<root>/dist``):

* ``nigraph.nq``: the canonical form, every graph (one per source file, shapes, inferred), sorted;
  every other dump is written from it, here and by ``nigraph export``;
* ``nigraph.ttl``, ``nigraph.nt``, ``nigraph.jsonld``: the asserted ontology, imports and data, merged,
  with ``owl:versionInfo`` and ``owl:versionIRI`` added to the ontology header;
* ``nigraph-inferred.ttl``: the triples added by :func:`nigraph.reason.materialize.materialize_lines`;
* ``store/``: a pyoxigraph store with one named graph per source file plus the inferred graph.
"""

from __future__ import annotations

import importlib.metadata
import logging
import resource
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from ..core.canonical import Graphs, canonical, is_asserted, merged, merged_lines, render, write_as
from ..core.files import atomic_write
from ..core.iri import CUBE_GRAPH, GRAPH, INFERRED_GRAPH, ONTOLOGY, PREFIXES, graph_for, release_iri
from ..core.load import project_files, read_ntriples, skipped_files
from ..core.store import StoreVersion, shared_from_lines
from ..reason.materialize import materialize_lines
from ..reason.owl import Consistency, check_consistency
from ..reason.scope import hermit_scope
from ..reason.tbox import TBox, read_tbox
from ..validate.results import Report
from ..validate.run import load_checks, validate_loaded
from . import incremental
from .landscape import landscape_rows
from .progress import Progress
from .cube import QB, cube_stage

__all__ = ["BuildSummary", "build", "version_header", "DUMPS", "STAGES"]

log = logging.getLogger("nigraph.build")

#: The files ``nigraph build`` writes, and their formats (all from the canonical form).
DUMPS: dict[str, pyoxigraph.RdfFormat] = {
    "nigraph.nq": pyoxigraph.RdfFormat.N_QUADS,
    "nigraph.nt": pyoxigraph.RdfFormat.N_TRIPLES,
    "nigraph.ttl": pyoxigraph.RdfFormat.TURTLE,
    "nigraph.jsonld": pyoxigraph.RdfFormat.JSON_LD,
}
_NT = pyoxigraph.RdfFormat.N_TRIPLES

_OWL = PREFIXES["owl"]
_RDF_TYPE = pyoxigraph.NamedNode(PREFIXES["rdf"] + "type")
_VERSION_INFO = pyoxigraph.NamedNode(_OWL + "versionInfo")
_VERSION_IRI = pyoxigraph.NamedNode(_OWL + "versionIRI")
_SHAPES_GRAPHS = GRAPH + "shapes/"

_PREAMBLE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in sorted(PREFIXES.items()))

_COUNTED = ("EmergingIndustry", "FutureIndustry", "MainTask", "SubTask", "Goal", "Target", "QuantitativeTarget")
_COUNT = (
    "SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE { VALUES ?class { "
    + " ".join(f"nig:{c}" for c in _COUNTED)
    + " } OPTIONAL { ?x a ?class } } GROUP BY ?class"
)
_CLASSES = "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a owl:Class . FILTER(isIRI(?c) && STRSTARTS(STR(?c), STR(nig:))) }"
_PROVENANCE = """
SELECT (COUNT(DISTINCT ?s) AS ?all) (COUNT(DISTINCT ?derived) AS ?with) WHERE {
  # each subject once, then the filters (per subject, not per triple: 3-4x faster, the same counts)
  { SELECT DISTINCT ?s WHERE { ?s ?p ?o } }
  FILTER(isIRI(?s) && STRSTARTS(STR(?s), STR(nid:)))
  FILTER NOT EXISTS { ?s a ?source . VALUES ?source { nig:Passage nig:SourceExcerpt nig:Source } }
  # the coverage statistics are computed from the catalogue, not stated by a source
  FILTER(!STRSTARTS(STR(?s), STR(nid:cube\\/)) && !STRSTARTS(STR(?s), STR(nid:period\\/issue-year-)) && ?s != nid:scheme\\/issue-years)
  OPTIONAL { ?s prov:wasDerivedFrom ?from . BIND(?s AS ?derived) }
}"""


@dataclass(frozen=True)
class BuildSummary:
    """What a build produced, counted with SPARQL over the built store.

    :param industries: ``{"emerging": n, "future": n}``.
    :param provenance: ``(with prov:wasDerivedFrom, all nid: subjects that are not sources)``.
    """

    version: str
    files: tuple[str, ...]
    triples_asserted: int
    triples_inferred: int
    classes: int
    industries: dict[str, int]
    main_tasks: int
    sub_tasks: int
    goals: int
    targets: int
    quantitative_targets: int
    consistency: Consistency
    provenance: tuple[int, int]
    outputs: tuple[str, ...]
    warnings: tuple[str, ...] = field(default=())
    validation: Report | None = None
    #: wall seconds of each stage, in order (see ``nigraph -v build``).
    stage_seconds: dict[str, float] = field(default_factory=dict, compare=False)
    #: what HermiT was given (:mod:`nigraph.reason.scope`).
    hermit_input: str = ""
    #: the standards landscape's lines (:mod:`nigraph.build.landscape`).
    landscape: tuple[tuple[str, str], ...] = field(default=())
    #: full or incremental, and what changed (:mod:`nigraph.build.incremental`).
    plan: str = field(default="", compare=False)

    @property
    def refused(self) -> tuple[str, ...]:
        """Why nothing was written to the output directory (empty when the build wrote its files)."""
        reasons = []
        if self.consistency.status == "inconsistent":
            reasons.append("the ontology and data are inconsistent")
        if self.validation is not None and self.validation.fails("violation"):
            n = sum(1 for r in self.validation.results if r.level == 2)  # Violation or a custom severity
            reasons.append(f"the data does not conform to shapes/ ({n} violation{'s' if n != 1 else ''})")
        return tuple(reasons)

    @property
    def provenance_text(self) -> str:
        n, m = self.provenance
        share = 100.0 * n / m if m else 100.0
        return f"{n}/{m} ({share:.1f}%)"

    def render(self) -> str:
        """Aligned text for people, one fact per line."""
        c = self.consistency
        rows = [
            ("version", self.version),
            ("source files", str(len(self.files))),
            ("triples", f"{self.triples_asserted} asserted, {self.triples_inferred} inferred"),
            ("classes (nig:)", str(self.classes)),
            ("industries", f"{self.industries['emerging']} emerging, {self.industries['future']} future"),
            ("main tasks", str(self.main_tasks)),
            ("sub-tasks", str(self.sub_tasks)),
            ("goals", str(self.goals)),
            ("targets", f"{self.targets} ({self.quantitative_targets} quantitative)"),
            *self.landscape,
            ("consistency", f"{c.status} ({c.seconds:.1f} s)" + (f": {c.detail}" if c.detail else "")),
            ("provenance", self.provenance_text + " with prov:wasDerivedFrom"),
            ("validation", "not run" if self.validation is None else
             "conforms" if self.validation.conforms else f"{len(self.validation.results)} violations"),
            ("outputs", ", ".join(self.outputs) if self.outputs else "none written: " + "; ".join(self.refused)),
        ]
        width = max(len(k) for k, _ in rows)
        return "\n".join(f"{k.ljust(width)}  {v}" for k, v in rows)


def _version() -> str:
    try:
        return importlib.metadata.version("nigraph")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        from .. import __version__

        return __version__


def version_header(quads: list[pyoxigraph.Quad], version: str) -> tuple[list[pyoxigraph.Quad], bool]:
    """Set ``owl:versionInfo`` and ``owl:versionIRI`` on the ontology header.

    Any earlier version triples on the header are replaced; the input list is not changed.

    :param quads: asserted quads.
    :param version: release version.
    :returns: the new quad list, and whether a header typed ``owl:Ontology`` was found.
    """
    header = pyoxigraph.NamedNode(ONTOLOGY)
    graphs = sorted(
        {q.graph_name.value for q in quads
         if q.subject == header and q.predicate == _RDF_TYPE and q.object.value == _OWL + "Ontology"
         and isinstance(q.graph_name, pyoxigraph.NamedNode)}
    )
    if not graphs:
        return list(quads), False
    graph = pyoxigraph.NamedNode(graphs[0])
    kept = [q for q in quads if not (q.subject == header and q.predicate in (_VERSION_INFO, _VERSION_IRI))]
    kept.append(pyoxigraph.Quad(header, _VERSION_INFO, pyoxigraph.Literal(version), graph))
    kept.append(pyoxigraph.Quad(header, _VERSION_IRI, release_iri(version), graph))
    return kept, True


def _count(store: pyoxigraph.Store, query: str) -> int:
    rows = list(store.query(_PREAMBLE + query, use_default_graph_as_union=True))
    return int(rows[0]["n"].value) if rows and rows[0]["n"] is not None else 0


def _class_counts(store: pyoxigraph.Store) -> dict[str, int]:
    """Instances of each class in :data:`_COUNTED`, keyed by local name."""
    nig = PREFIXES["nig"]
    counts = {c: 0 for c in _COUNTED}
    for row in store.query(_PREAMBLE + _COUNT, use_default_graph_as_union=True):
        counts[row["class"].value[len(nig):]] = int(row["n"].value)
    return counts



#: The stages, in order (``nigraph -v build`` logs each; the progress bar counts them).
STAGES = ("parse", "canonical", "load", "cube", "materialize", "validate", "consistency", "write", "store")


class _Stages:
    """Times each stage and logs its name, size and seconds (shown with ``nigraph -v build``); on a
    terminal, a progress bar shows the running stage once it takes a while (:mod:`.progress`)."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self._start = time.perf_counter()
        self.progress = Progress(STAGES)

    def done(self, name: str, size: str) -> None:
        now = time.perf_counter()
        self.times[name] = now - self._start
        self.progress.next(name)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >> 10  # KiB on Linux
        log.info("%-12s %-40s %6.2f s", name, f"{size}; peak {peak} MiB", now - self._start)
        self._start = now

    def close(self) -> None:
        self.progress.close()


def _load(root: Path, files: list[Path]) -> list[tuple[str, bytes]]:
    """Parse every source file natively into N-Triples text, one part per file's graph."""
    for path, why in skipped_files(root):
        log.info("skipped      %s (%s)", path.relative_to(root).as_posix(), why)
    return [(graph.value, text) for graph, text in (read_ntriples(p, root) for p in files)]


def _version_lines(graphs: Graphs, version: str) -> bool:
    """Set ``owl:versionInfo`` and ``owl:versionIRI`` on the ontology header, in the canonical lines.

    :returns: whether a header typed ``owl:Ontology`` was found.
    """
    header = f"{pyoxigraph.NamedNode(ONTOLOGY)} ".encode()
    typed = header + f"{_RDF_TYPE} <{_OWL}Ontology> .\n".encode()
    found = sorted(g for g, lines in graphs.items() if typed in lines and is_asserted(g))
    if not found:
        return False
    old = (header + f"{_VERSION_INFO} ".encode(), header + f"{_VERSION_IRI} ".encode())
    for g, lines in graphs.items():
        if any(line.startswith(old) for line in lines):
            graphs[g] = [line for line in lines if not line.startswith(old)]
    new = [f"{pyoxigraph.Triple(pyoxigraph.NamedNode(ONTOLOGY), _VERSION_INFO, pyoxigraph.Literal(version))} .\n",
           f"{pyoxigraph.Triple(pyoxigraph.NamedNode(ONTOLOGY), _VERSION_IRI, release_iri(version))} .\n"]
    graphs[found[0]] = sorted(set(graphs[found[0]]) | {line.encode() for line in new})
    return True


def _into(store: pyoxigraph.Store, nt: bytes, graph: pyoxigraph.NamedNode | None = None) -> None:
    """Load N-Triples into a store (default graph unless ``graph``), keeping blank node labels
    (``Store.load`` renames them, so lines with one are added term by term). The lines are the
    build's canonical ones, written by pyoxigraph from what it parsed: loaded ``lenient`` (no second
    validation of every IRI; the same quads, about twice as fast)."""
    target = graph or pyoxigraph.DefaultGraph()
    plain, slow = [], []
    for line in nt.splitlines(keepends=True) if b"_:" in nt else ():
        (slow if b"_:" in line else plain).append(line)
    if not slow:
        store.load(nt, format=_NT, to_graph=target, lenient=True)
        return
    store.load(b"".join(plain), format=_NT, to_graph=target, lenient=True)
    store.extend(pyoxigraph.Quad(t.subject, t.predicate, t.object, target)
                 for t in pyoxigraph.parse(b"".join(slow), format=_NT))


def _working_store(nt: bytes) -> pyoxigraph.Store:
    """The asserted graphs merged into one in-memory store's default graph (for validation, the
    axioms, the consistency check's fallback and the summary)."""
    work = pyoxigraph.Store()
    _into(work, nt)
    return work


def _validate(graphs: Graphs, asserted: list[bytes], work: pyoxigraph.Store, root: Path) -> Report:
    """SHACL shapes and checks on the asserted data as written (``nigraph.validate``'s fast engine,
    on the working store: the data is loaded once)."""
    shapes = [pyoxigraph.Quad(t.subject, t.predicate, t.object, pyoxigraph.NamedNode(g))
              for g, lines in graphs.items() if g.startswith(_SHAPES_GRAPHS)
              for t in pyoxigraph.parse(b"".join(lines), format=_NT)]
    return validate_loaded(work, asserted, shapes, checks=load_checks(root))


#: A graph with fewer lines is loaded into the on-disk store as part of one N-Quads document (each
#: bulk load has a fixed cost of about 0.1 s: a few calls, not one per graph).
_SMALL_GRAPH = 100_000


def _load_graphs(store: pyoxigraph.Store, graphs: list[tuple[str, list[bytes]]]) -> None:
    """Bulk-load canonical graphs into the on-disk store in a few calls, keeping blank node labels
    (the bulk loader renames them, so lines with one are added as parsed quads)."""
    small: list[bytes] = []
    slow: list[pyoxigraph.Quad] = []
    for graph, lines in graphs:
        text = b"".join(lines)
        if b"_:" in text:  # "_:" may also sit in a literal: such lines take the slow path unchanged
            name = pyoxigraph.NamedNode(graph)
            slow.extend(pyoxigraph.Quad(t.subject, t.predicate, t.object, name) for t in
                        pyoxigraph.parse(b"".join(line for line in lines if b"_:" in line), format=_NT))
            text = b"".join(line for line in lines if b"_:" not in line)
        if len(lines) >= _SMALL_GRAPH:
            store.bulk_load(text, format=_NT, to_graph=pyoxigraph.NamedNode(graph))
        else:  # a line ends with " .\n" and nowhere else (a newline in a literal is escaped)
            small.append(text.replace(b" .\n", f" <{graph}> .\n".encode()))
    if small:
        store.bulk_load(b"".join(small), format=pyoxigraph.RdfFormat.N_QUADS)
    if slow:
        store.bulk_extend(slow)


def _timed(fn, *args):  # noqa: ANN001, ANN202 - (result, seconds) of a call, for a stage run in a thread
    start = time.perf_counter()
    return fn(*args), time.perf_counter() - start


def _tbox(graphs: Graphs) -> list[pyoxigraph.Triple]:
    text = merged(graphs, lambda g: g.startswith(GRAPH + "ontology/"))
    return [pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in pyoxigraph.parse(text, format=_NT)]


def _consistency(work: pyoxigraph.Store, graphs: Graphs, tbox: TBox) -> tuple[Consistency, str]:
    """HermiT on the TBox, the plan's ABox and what of the catalogue can matter (:mod:`nigraph.reason.scope`)."""
    scope = hermit_scope(graphs, _tbox(graphs), tbox)
    if scope is None:  # an axiom the scope does not account for: HermiT sees everything
        triples = list(work.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()))
        return check_consistency(triples), f"{len(triples)} triples (whole graph)"
    parsed = pyoxigraph.parse("\n".join(scope.triples).encode(), format=_NT)
    return check_consistency(parsed), scope.summary()


def _counts(work: pyoxigraph.Store) -> tuple[dict[str, int], int, tuple[int, int]]:
    counts = _class_counts(work)
    rows = list(work.query(_PREAMBLE + _PROVENANCE, use_default_graph_as_union=True))
    provenance = (int(rows[0]["with"].value), int(rows[0]["all"].value)) if rows else (0, 0)
    return counts, _count(work, _CLASSES), provenance


def _summary(work: pyoxigraph.Store) -> tuple[dict[str, int], int, tuple[int, int], tuple[tuple[str, str], ...]]:
    """The summary's counts and landscape rows, from the working store."""
    counts, classes, provenance = _counts(work)
    return counts, classes, provenance, tuple(landscape_rows(work))


def _write(graphs: Graphs, out: Path) -> list[str]:
    """Every dump (from the canonical form), each replaced atomically."""
    out.mkdir(parents=True, exist_ok=True)
    # the merged formats as `render` writes them, from one merge of the asserted graphs (not one each)
    asserted = merged(graphs, is_asserted)
    for name, fmt in DUMPS.items():  # each streamed to its file
        if fmt == _NT:
            atomic_write(out / name, asserted)
        elif fmt in (pyoxigraph.RdfFormat.TURTLE, pyoxigraph.RdfFormat.JSON_LD):
            atomic_write(out / name, lambda fh, fmt=fmt: write_as(asserted, fmt, PREFIXES, fh))
        else:  # N-Quads: every graph
            atomic_write(out / name, lambda fh, fmt=fmt: render(graphs, fmt, PREFIXES, fh))
        log.debug("wrote %s", name)
    del asserted
    inferred = b"".join(graphs.get(INFERRED_GRAPH.value, []))
    atomic_write(out / "nigraph-inferred.ttl", lambda fh: write_as(inferred, pyoxigraph.RdfFormat.TURTLE, PREFIXES, fh))
    del inferred
    cube = b"".join(graphs.get(CUBE_GRAPH.value, []))
    atomic_write(out / "nigraph-cube.ttl",
                 lambda fh: write_as(cube, pyoxigraph.RdfFormat.TURTLE, {**PREFIXES, "qb": QB}, fh))
    del cube
    return sorted(DUMPS) + ["nigraph-cube.ttl", "nigraph-inferred.ttl"]


def _publish_store(version: StoreVersion, graphs: Graphs, old: Graphs | None, late: tuple[str, ...],
                   shared: frozenset[tuple[str, str]] | None = None) -> None:
    """The store, published atomically once its background load is done; in an incremental build,
    the graphs made after the canonical stage (``late``: the coverage statistics and the inferred
    graph) are replaced first. ``shared``: the graphs that share a triple, when the canonical
    lines tell (:func:`~nigraph.core.store.shared_from_lines`; else the store is scanned)."""
    store = version.wait()
    if old is not None:
        for g in late:
            _replace_graph(store, g, old.get(g, []), graphs.get(g, []))
    del store
    version.publish(shared)


def _fill_store(store: pyoxigraph.Store, nquads: Path) -> None:
    """Load the canonical N-Quads file into the store in one bulk load. ``pyoxigraph.parse`` keeps
    the canonical blank node labels where ``Store.bulk_load`` would rename them (an incremental
    build edits graphs by label), so no quads are deleted and loaded again afterwards, and its
    quads cost the bulk loader no more than its own parse of the file; up to about a million quads
    (one batch of the loader), ``optimize`` then has nothing to merge."""
    store.bulk_extend(pyoxigraph.parse(path=str(nquads), format=pyoxigraph.RdfFormat.N_QUADS))


def _parse_and_canonical(root: Path, out: Path, files: list[Path], plan: incremental.Plan,
                         catalogues: Sequence[pyoxigraph.Quad], stages: _Stages,
                         ) -> tuple[Graphs, Graphs | None, incremental.Plan]:
    """Parse what the plan says (every file, or the changed ones), and make the canonical graphs;
    for an incremental build, the unchanged graphs are read back from ``nigraph.nq``, and the old
    lines of every graph that changes are returned too (for the store)."""
    if not plan.full:
        by_rel = {p.relative_to(root).as_posix(): p for p in files}
        parts = _load(root, [by_rel[r] for r in plan.changed])
        if any(b"_:" in text for _, text in parts):
            plan = incremental.Plan(full=True, total=plan.total, changed=sorted(by_rel), reason=(
                "a changed file has blank nodes (their labels are canonicalised over all graphs)"))
    if plan.full:
        parts = _load(root, files) + _catalogue_parts(catalogues)
        stages.done("parse", f"{len(files)} files, {sum(len(t) for _, t in parts) >> 20} MiB of N-Triples")
        return canonical(parts), None, plan
    stages.done("parse", f"{len(plan.changed)} of {len(files)} files, "
                         f"{sum(len(t) for _, t in parts) >> 20} MiB of N-Triples")
    graphs = canonical(parts)
    del parts
    changed = [g for g in graphs] + [graph_for(r).value for r in plan.removed]
    old = incremental.previous_graphs(out / "nigraph.nq", sorted(set(plan.reuse) | set(changed)
                                                                  | {CUBE_GRAPH.value, INFERRED_GRAPH.value}))
    for g in plan.reuse:
        graphs[g] = old.pop(g)
    return dict(sorted(graphs.items())), old, plan


def _start_store(out: Path, graphs: Graphs, old: Graphs | None, plan: incremental.Plan) -> StoreVersion:
    """A new store version, filled in a thread: every graph (a full build), or a copy of the
    previous version with the changed graphs replaced."""
    if old is None:  # filled by _fill_store, once the working store is gone (memory)
        return StoreVersion(out / "store")
    store = StoreVersion(out / "store", base=plan.store)
    changes = [(g, old.get(g, []), graphs.get(g, [])) for g in sorted(old) if g not in (CUBE_GRAPH.value, INFERRED_GRAPH.value)]

    def job(st: pyoxigraph.Store) -> None:
        for g, before, after in changes:
            _replace_graph(st, g, before, after)
    store.load_in_background(job)
    return store


#: Above this many removed lines, a graph is cleared and loaded again rather than edited line by line.
_EDIT_LIMIT = 20_000


def _replace_graph(store: pyoxigraph.Store, graph: str, before: list[bytes], after: list[bytes]) -> None:
    """Make the store's graph hold ``after`` where it held ``before`` (canonical lines): the lines
    that went are removed, the new ones added. The store keeps literals by value, so a removed
    line can share its stored quad with a kept one (``"1"`` and ``"01"`` as integers): the kept
    lines with a typed literal under the same subject and predicate are added again."""
    if before == after:
        return
    name = pyoxigraph.NamedNode(graph)
    gone = set(before).difference(after)
    if len(gone) > _EDIT_LIMIT:
        store.clear_graph(name)
        _load_graphs(store, [(graph, after)])
        return
    new = set(after).difference(before)
    for t in pyoxigraph.parse(b"".join(sorted(gone)), format=_NT):
        store.remove(pyoxigraph.Quad(t.subject, t.predicate, t.object, name))
    typed = {b" ".join(line.split(b" ", 2)[:2]) for line in gone if b'"^^<' in line}
    if typed:
        new.update(line for line in after if b'"^^<' in line and b" ".join(line.split(b" ", 2)[:2]) in typed)
    if new:
        _load_graphs(store, [(graph, sorted(new))])


def _blank_files(graphs: Graphs, plan: incremental.Plan, hashes: dict[str, str]) -> dict[str, bool]:
    """Which source files' graphs hold a blank node (or the text "_:" in a literal: counted too)."""
    return {rel: _has_blank(graphs.get(graph_for(rel).value, [])) for rel in hashes}


def _has_blank(lines: list[bytes], step: int = 65536) -> bool:
    """Whether a line holds "_:", searched natively in joined runs of lines (a line ends with a
    newline, so no match spans two lines): half the time of a test per line."""
    return any(b"_:" in b"".join(lines[i:i + step]) for i in range(0, len(lines), step))


def _catalogue_parts(catalogues: Sequence[pyoxigraph.Quad]) -> list[tuple[str, bytes]]:
    """Catalogue quads (``nigraph build --catalogue``) as N-Triples parts, one per named graph."""
    by_graph: dict[str, list[pyoxigraph.Triple]] = {}
    for q in catalogues:
        by_graph.setdefault(q.graph_name.value, []).append(pyoxigraph.Triple(q.subject, q.predicate, q.object))
    return [(g, pyoxigraph.serialize(triples, format=_NT)) for g, triples in sorted(by_graph.items())]


def _cube_part(work: pyoxigraph.Store, root: Path) -> tuple[str, bytes]:
    """The coverage statistics (:mod:`nigraph.build.cube`) of the asserted data, as one N-Triples part."""
    quads = cube_stage(work, root)
    return CUBE_GRAPH.value, pyoxigraph.serialize(
        [pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in quads], format=_NT)


def build(root: str | Path, out: str | Path | None = None, *,
          catalogues: Sequence[pyoxigraph.Quad] = ()) -> BuildSummary:
    """Build every release file of the project at ``root``.

    :param root: the project directory (holds ``ontology/``, ``data/``, ``shapes/``).
    :param out: where to write; default ``<root>/dist``.
    :param catalogues: quads of catalogues given on the command line (``nigraph build --catalogue``),
        each in its own named graph; they are built like the project's own files.
    :returns: the summary. When the ontology is inconsistent or the data does not conform to
        ``shapes/``, nothing under ``out`` is written or changed, and ``summary.refused`` says why.
    :raises InputError: if a source file is missing or cannot be parsed, or a file under
        ``data/`` is not RDF and not skipped by a documented rule.
    """
    root = Path(root).resolve()
    out = Path(out).resolve() if out is not None else root / "dist"
    version = _version()
    warnings: list[str] = []
    stages = _Stages()
    try:
        return _build(root, out, version, warnings, stages, catalogues)
    finally:
        stages.close()


def _build(root: Path, out: Path, version: str, warnings: list[str], stages: _Stages,
           catalogues: Sequence[pyoxigraph.Quad]) -> BuildSummary:
    files = project_files(root)
    hashes = incremental.file_hashes(root, files)
    plan = incremental.plan(root, out, hashes, version, catalogues=bool(catalogues))
    graphs, old, plan = _parse_and_canonical(root, out, files, plan, catalogues, stages)
    log.info("%s", plan.message)
    if not _version_lines(graphs, version):
        warnings.append(f"warning: no <{ONTOLOGY}> a owl:Ontology header; version not added")
    stages.done("canonical", f"{sum(map(len, graphs.values()))} quads in {len(graphs)} graphs"
                + ("" if plan.full else f", {len(plan.reuse)} read back from nigraph.nq"))
    # The new store version: in an incremental build, the previous one copied and its changed graphs
    # replaced in a thread from now on; in a full build, loaded in a thread while the dumps are
    # written (not earlier: beside the working store it would raise the peak memory). pyoxigraph's
    # loader releases the GIL. It is published only if the build writes its outputs.
    store = _start_store(out, graphs, old, plan)
    try:
        asserted = merged_lines(graphs, is_asserted)  # the same byte strings as in `graphs`, not copies
        n_asserted = len(asserted)
        work = _working_store(b"".join(asserted))
        stages.done("load", f"{n_asserted} asserted triples")
        graphs.update(canonical([_cube_part(work, root)]))  # computed from the asserted data only
        stages.done("cube", f"{len(graphs[CUBE_GRAPH.value])} triples of coverage statistics")
        tbox = read_tbox(work)
        inferred = materialize_lines(asserted, tbox)
        _into(work, b"".join(inferred), INFERRED_GRAPH)  # apart from the asserted default graph
        graphs[INFERRED_GRAPH.value] = inferred
        graphs = dict(sorted(graphs.items()))
        n_inferred = len(inferred)
        del inferred  # held by `graphs` (freed with it before the store's bulk load)
        stages.done("materialize", f"{n_inferred} inferred triples")
        # HermiT (a Java process) runs while validation does; neither changes `work` or `graphs`
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="consistency") as pool:
            checking = pool.submit(_timed, _consistency, work, graphs, tbox)
            # validation reads the default graph only: the asserted data, not the inferred graph
            validation = _validate(graphs, asserted, work, root)
            del asserted
            stages.done("validate", "conforms" if validation.conforms else f"{len(validation.results)} results")
            (consistency, scope), seconds = checking.result()
        if consistency.status == "skipped":
            warnings.append(consistency.detail)
        # the stage's time is the wait after validation; `seconds` is HermiT's whole run beside it
        stages.done("consistency", f"{consistency.status} ({seconds:.1f} s beside validation): {scope}")
        # as `nigraph validate` with its default --fail-on violation: warnings and infos are reported, not refused
        refuse = consistency.status == "inconsistent" or validation.fails("violation")

        written: list[str] = []
        # the summary's queries run natively (the GIL released) in a thread while the dumps are
        # written; `work` goes once they are done, before the store's bulk load (its memory)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="summary") as pool:
            summary = pool.submit(_summary, work)
            if not refuse:
                written = _write(graphs, out)
            counts, classes, provenance, landscape = summary.result()
        del work, summary
        if refuse:  # nothing under `out` is touched
            store.discard()
        else:
            stages.done("write", f"{len(written)} dumps")
            n_quads, blank = sum(map(len, graphs.values())), _blank_files(graphs, plan, hashes)
            shared = shared_from_lines(graphs)  # the store holds exactly these graphs' lines
            if old is None:
                # a full build: bulk-loaded from nigraph.nq just written, with `graphs` freed first
                # (the loader's buffers need the memory: one copy of the graph at a time)
                graphs.clear()
                _fill_store(store.wait(), out / "nigraph.nq")
            _publish_store(store, graphs, old, (CUBE_GRAPH.value, INFERRED_GRAPH.value), shared)
            written = sorted(written + ["store"])
            if catalogues:
                incremental.forget(out)
            else:
                incremental.save_state(out, hashes, blank, version)
            stages.done("store", f"{n_quads} quads, "
                        + ("bulk-loaded from nigraph.nq" if old is None else "the changed graphs replaced"))
    except BaseException:
        store.discard()
        raise
    return BuildSummary(
        version=version,
        files=tuple(p.relative_to(root).as_posix() for p in files),
        triples_asserted=n_asserted,
        triples_inferred=n_inferred,
        classes=classes,
        industries={"emerging": counts["EmergingIndustry"], "future": counts["FutureIndustry"]},
        main_tasks=counts["MainTask"],
        sub_tasks=counts["SubTask"],
        goals=counts["Goal"],
        targets=counts["Target"],
        quantitative_targets=counts["QuantitativeTarget"],
        consistency=consistency,
        provenance=provenance,
        outputs=tuple(written),
        warnings=tuple(warnings),
        validation=validation,
        stage_seconds=dict(stages.times),
        plan=plan.message,
        hermit_input=scope,
        landscape=landscape,
    )
