"""``nigraph build``: source files → consistency check → materialization → dist/ files and store.

Outputs (all under ``out``, default ``<root>/dist``):

* ``nigraph.ttl``, ``nigraph.nt``, ``nigraph.jsonld``: the asserted ontology, imports and data, merged,
  with ``owl:versionInfo`` and ``owl:versionIRI`` added to the ontology header;
* ``nigraph-inferred.ttl``: the triples added by :func:`nigraph.reason.owl.materialize`;
* ``store/``: a pyoxigraph store with one named graph per source file plus the inferred graph.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from ..core.files import atomic_write
from ..core.serialize import canonical_triples, to_jsonld, to_ntriples, to_turtle
from ..core.iri import GRAPH, ONTOLOGY, PREFIXES, release_iri
from ..core.load import load_files, project_files
from ..reason.owl import Consistency, check_consistency, materialize
from ..validate.results import Report
from ..core.store import build_store, open_memory_store, open_store
from ..validate.run import load_checks, validate_quads
from .cube import QB, cube_stage

__all__ = ["BuildSummary", "build", "version_header"]

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
  ?s ?p ?o .
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

    @property
    def refused(self) -> tuple[str, ...]:
        """Why nothing was written to the output directory (empty when the build wrote its files)."""
        reasons = []
        if self.consistency.status == "inconsistent":
            reasons.append("the ontology and data are inconsistent")
        if self.validation is not None and not self.validation.conforms:
            n = len(self.validation.results)
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


def build(root: str | Path, out: str | Path | None = None, *,
          catalogues: Sequence[pyoxigraph.Quad] = ()) -> BuildSummary:
    """Build every release file of the project at ``root``.

    :param root: the project directory (holds ``ontology/``, ``data/``, ``shapes/``).
    :param out: where to write; default ``<root>/dist``.
    :param catalogues: quads of catalogues given on the command line (``nigraph build --catalogue``),
        each in its own named graph; they are built like the project's own files.
    :returns: the summary. When the ontology is inconsistent or the data does not conform to
        ``shapes/``, nothing under ``out`` is written or changed, and ``summary.refused`` says why.
    :raises InputError: if a source file is missing or cannot be parsed.
    """
    root = Path(root).resolve()
    out = Path(out).resolve() if out is not None else root / "dist"
    version = _version()
    warnings: list[str] = []

    files = project_files(root)
    quads = load_files(files, root) + list(catalogues)
    quads, found = version_header(quads, version)
    if not found:
        warnings.append(f"warning: no <{ONTOLOGY}> a owl:Ontology header; version not added")
    # Literals in the store's canonical form ("60.0"^^xsd:decimal becomes "60"), so that the dumps
    # written here and those `nigraph export` writes from the store are byte-identical.
    memory = open_memory_store(quads)
    quads = list(memory)
    asserted = [q for q in quads if not q.graph_name.value.startswith(_SHAPES_GRAPHS)]

    consistency = check_consistency(asserted)
    if consistency.status == "skipped":
        warnings.append(consistency.detail)
    shapes = [q for q in quads if q.graph_name.value.startswith(_SHAPES_GRAPHS)]
    validation = validate_quads(asserted, shapes, checks=load_checks(root))
    inferred = materialize(asserted)
    merged = canonical_triples(asserted)
    refuse = consistency.status == "inconsistent" or not validation.conforms

    written: dict[str, str] = {}
    if refuse:  # nothing under `out` is touched; the summary is counted in memory
        store = open_memory_store(
            pyoxigraph.Quad(q.subject, q.predicate, q.object, q.graph_name) for q in quads + inferred)
    else:
        out.mkdir(parents=True, exist_ok=True)
        cube = cube_stage(memory, root)  # the coverage statistics (build/cube.py), in their own graph
        written = {
            "nigraph.ttl": to_turtle(merged, PREFIXES),
            "nigraph.nt": to_ntriples(merged),
            "nigraph.jsonld": to_jsonld(merged, PREFIXES),
            "nigraph-inferred.ttl": to_turtle(inferred, PREFIXES),
            "nigraph-cube.ttl": to_turtle(canonical_triples(cube), {**PREFIXES, "qb": QB}),
        }
        for name, text in written.items():
            atomic_write(out / name, text)
        del memory
        build_store(quads + inferred + cube, out / "store")
        store = open_store(out / "store")
    try:
        counts = _class_counts(store)
        rows = list(store.query(_PREAMBLE + _PROVENANCE, use_default_graph_as_union=True))
        provenance = (int(rows[0]["with"].value), int(rows[0]["all"].value)) if rows else (0, 0)
        summary = BuildSummary(
            version=version,
            files=tuple(p.relative_to(root).as_posix() for p in files),
            triples_asserted=len(merged),
            triples_inferred=len(inferred),
            classes=_count(store, _CLASSES),
            industries={"emerging": counts["EmergingIndustry"], "future": counts["FutureIndustry"]},
            main_tasks=counts["MainTask"],
            sub_tasks=counts["SubTask"],
            goals=counts["Goal"],
            targets=counts["Target"],
            quantitative_targets=counts["QuantitativeTarget"],
            consistency=consistency,
            provenance=provenance,
            outputs=tuple(sorted(written)) + ("store",) if written else (),
            warnings=tuple(warnings),
            validation=validation,
        )
    finally:
        del store
    return summary
