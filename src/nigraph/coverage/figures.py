"""Where the plan stands against a catalogue: the report's figures, each read from one canned query.

One definition per figure: every number the report shows is a value of a canned query in
``queries/`` (:data:`FIGURES` says which), run here exactly as ``nigraph query`` runs it, so the
report and ``nigraph query`` cannot disagree. Most of those queries read the coverage statistics
``nigraph build`` computes (the RDF Data Cube, :mod:`nigraph.build.cube`). This module runs them
and only adds labels (``@en`` and ``@zh``, from :data:`QUERIES`) and the plan's structure (which
target is measured how); it computes no figure itself.

* totals: ``catalogue-totals``; heatmap: ``standards-by-industry-and-type``;
* count targets: ``target-progress`` (or ``target-progress-on-date`` with ``as_of``); the
  conversion-rate target: ``international-conversion-rate`` (its rule is written once, in
  ``adopted-international-standards``); progress over time: ``progress-by-year``;
* directions: ``standards-per-direction``;
* the landscape, per industry: ``framework-coverage-by-industry`` (documents, nodes, covered, share),
  per framework ``standards-per-framework-node`` (standards per node) and per industry
  ``framework-nodes-without-standard`` (the nodes drawn as not covered).

Targets about projects or enterprises cannot be measured from a catalogue and are shown as such.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from pyoxigraph import Literal, NamedNode

from ..core.errors import NigraphError
from ..core.iri import GRAPH, NID, PREFIXES
from ..query.dataset import shared_graphs
from ..query.cube_guard import require_cube
from ..query.run import QueryResult, find_query, run_query

__all__ = ["Label", "TargetProgress", "DirectionCoverage", "YearPoint", "FrameworkNode", "Framework",
           "IndustryLandscape", "Coverage", "compute_coverage", "QUERIES", "FIGURES"]

_PREAMBLE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in sorted(PREFIXES.items()))

#: Figure → the canned query (``queries/<id>.rq``) it comes from.
FIGURES: dict[str, str] = {
    "totals": "catalogue-totals",
    "matrix": "standards-by-industry-and-type",
    "targets": "targets-of-goal",
    "count targets": "target-progress",
    "count targets on a date": "target-progress-on-date",
    "conversion rate": "international-conversion-rate",
    "progress by year": "progress-by-year",
    "directions": "standards-per-direction",
    "framework coverage": "framework-coverage-by-industry",
    "framework nodes": "standards-per-framework-node",
    "framework gaps": "framework-nodes-without-standard",
}

#: Labels and structure only (no figure): what is there and what it is called, by name.
QUERIES: dict[str, str] = {
    "labels": """
SELECT ?x ?en ?zh WHERE {
  VALUES ?class { nig:EmergingIndustry nig:FutureIndustry nig:StandardizationDirection nig:QuantitativeTarget
                  nig:QualitativeTarget nig:StandardType }
  ?x a ?class .
  OPTIONAL { ?x rdfs:label ?en FILTER(LANG(?en) = "en") }
  OPTIONAL { ?x rdfs:label ?zh FILTER(LANG(?zh) = "zh") }
} ORDER BY ?x""",
    "industries": """
SELECT DISTINCT ?i ?notation WHERE {
  VALUES ?kind { nig:EmergingIndustry nig:FutureIndustry }
  ?i a ?kind ; skos:notation ?notation .
} ORDER BY ?notation""",
    "types": """
SELECT ?t ?ordinal WHERE {
  ?t skos:topConceptOf nid:scheme\\/standard-types ; nig:ordinal ?ordinal .
} ORDER BY ?ordinal ?t""",
    "target-types": """
SELECT ?target ?type WHERE { ?target nig:countsStandardType ?type } ORDER BY ?target ?type""",
    # the sector documents' frameworks (data/sectors/) and the industries they serve
    "frameworks": """
SELECT DISTINCT ?industry ?framework ?en ?zh WHERE {
  ?framework a skos:ConceptScheme ; nig:forIndustry ?industry .
  FILTER EXISTS { ?node a nig:FrameworkNode ; skos:inScheme ?framework }
  OPTIONAL { ?framework rdfs:label ?en FILTER(LANG(?en) = "en") }
  OPTIONAL { ?framework rdfs:label ?zh FILTER(LANG(?zh) = "zh") }
} ORDER BY ?industry ?framework""",
    # the frameworks' trees: each node's parent and place among its siblings
    "framework-tree": """
SELECT ?framework ?node ?parent ?ordinal WHERE {
  ?node a nig:FrameworkNode ; skos:inScheme ?framework .
  OPTIONAL { ?node skos:broader ?parent . ?parent skos:inScheme ?framework }
  OPTIONAL { ?node nig:ordinal ?ordinal }
} ORDER BY ?framework ?node""",
}

_INTERNATIONAL = NID + "standard-type/international"


@dataclass(frozen=True)
class Label:
    """A resource with its key (last IRI segment) and English / Chinese labels."""

    iri: str
    key: str
    en: str
    zh: str


@dataclass(frozen=True)
class TargetProgress:
    """One quantitative target and how far the catalogue reaches it.

    :param reached: the measured value, or ``None`` if a catalogue cannot measure it.
    :param percent: the share of the target reached, as the canned query gives it, or ``None`` (also
        for a target that is itself a percentage, such as the conversion rate: ``reached`` is that rate).
    :param how: one line saying which canned query measured it, or why it was not measured.
    """

    target: Label
    value: float
    unit: str
    comparator: str
    reached: float | None
    percent: float | None
    how: str


@dataclass(frozen=True)
class DirectionCoverage:
    direction: Label
    industry: str
    standards: int


@dataclass(frozen=True)
class YearPoint:
    """Where a count target stood at a date (the end of a year, or the ``as_of`` date)."""

    target: str
    date: dt.date
    standards: int
    percent: float


@dataclass(frozen=True)
class FrameworkNode:
    """A node of a sector framework, with its depth in the tree and its standards.

    :param notation: the document's own notation (``skos:notation``), or ``""``.
    :param direct: catalogue standards that serve it (``nig:servesNode``), from standards-per-framework-node.
    :param with_narrower: those that serve it or a node under it (the same query).
    :param covered: whether it is not among the nodes without standard (framework-nodes-without-standard).
    """

    node: Label
    notation: str
    depth: int
    direct: int
    with_narrower: int
    covered: bool


@dataclass(frozen=True)
class Framework:
    """A sector document's framework (a ``skos:ConceptScheme``) and its nodes in tree order."""

    scheme: Label
    nodes: tuple[FrameworkNode, ...]


@dataclass(frozen=True)
class IndustryLandscape:
    """One of the plan's industries and its sector frameworks (framework-coverage-by-industry).

    :param percent: the share of nodes covered, or ``None`` when it has no framework node.
    """

    industry: Label
    documents: int
    nodes: int
    covered: int
    percent: float | None
    frameworks: tuple[Framework, ...]


@dataclass(frozen=True)
class Coverage:
    """Everything the report shows."""

    standards: int
    serving: int
    samples: int
    industries: tuple[Label, ...]
    types: tuple[Label, ...]
    matrix: dict[tuple[str, str], int]
    targets: tuple[TargetProgress, ...]
    directions: tuple[DirectionCoverage, ...]
    progress: tuple[YearPoint, ...]
    window: tuple[str, str] | None
    year: int
    as_of: dt.date | None = None
    landscape: tuple[IndustryLandscape, ...] = ()

    @property
    def empty_directions(self) -> tuple[DirectionCoverage, ...]:
        return tuple(d for d in self.directions if d.standards == 0)

    @property
    def empty_industries(self) -> tuple[Label, ...]:
        return tuple(i for i in self.industries if not any(self.matrix.get((i.key, t.key), 0) for t in self.types))


def _key(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _own(store: pyoxigraph.Store, name: str) -> list:
    return list(store.query(_PREAMBLE + QUERIES[name], use_default_graph_as_union=True))


class _Canned:
    """Runs the canned queries of a project on a store, as ``nigraph query`` does."""

    def __init__(self, store: pyoxigraph.Store, root: str | Path) -> None:
        self.store, self.root = store, root
        # which graphs share a triple: found once here, not by every run_query (a scan each)
        self.shared = shared_graphs(store)

    def __call__(self, figure: str, **bindings: NamedNode | Literal) -> list[dict[str, object]]:
        query = find_query(self.root, FIGURES[figure])
        # a cube data set missing (a store from an older build) would make the figure 0, silently
        require_cube(query.id, query.text, query.tags, lambda check: (
            str(row[0]) for row in run_query(check, store=self.store, shared=self.shared).rows), "the store")
        result: QueryResult = run_query(query.text, store=self.store, bindings=bindings, shared=self.shared)
        return [dict(zip(result.columns, row)) for row in result.rows]


def _float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def compute_coverage(store: pyoxigraph.Store, *, root: str | Path, year: int = 2025,
                     as_of: dt.date | None = None) -> Coverage:
    """Run the canned queries behind the report's figures (:data:`FIGURES`).

    :param store: a built store (with the cube ``nigraph build`` computes).
    :param root: the project directory, whose ``queries/`` are run.
    :param year: the milestone year whose quantitative targets are shown.
    :param as_of: count the targets up to this date instead of the end of ``year``.
    :returns: the figures.
    :raises NigraphError: if a canned query is missing or fails.
    """
    if not store.query(f"ASK {{ GRAPH <{GRAPH}cube> {{ ?s ?p ?o }} }}"):
        # the figures read the cube: without it they would all be 0, silently
        raise NigraphError("the store has no coverage statistics (the graph <https://w3id.org/nigraph/graph/cube>): "
                           "build it with `nigraph build` (a store from an older build lacks them)")
    canned = _Canned(store, root)
    labels = {r["x"].value: (r["en"], r["zh"]) for r in _own(store, "labels")}

    def label(iri: str) -> Label:
        en, zh = labels.get(iri, (None, None))
        key = _key(iri)
        return Label(iri, key, en.value if en is not None else key, zh.value if zh is not None else (en.value if en is not None else key))

    industries = tuple(label(r["i"].value) for r in _own(store, "industries"))
    types = tuple(label(r["t"].value) for r in _own(store, "types"))
    totals = canned("totals")[0]
    matrix = {(_key(str(r["industry"])), _key(str(r["type"]))): int(r["standards"]) for r in canned("matrix")}

    goal = NamedNode(f"{NID}goal/{year}")
    if as_of is None:
        counted = canned("count targets", goal=goal)
    else:
        counted = canned("count targets on a date", goal=goal,
                         as_of=Literal(as_of.isoformat(), datatype=NamedNode(PREFIXES["xsd"] + "date")))
    counted_by = {str(r["target"]): r for r in counted}
    window = None
    if counted:
        since = counted[0]["since"]
        end = as_of.isoformat() if as_of is not None else f"{counted[0]['by_year']}-12-31"
        window = (since.isoformat() if isinstance(since, dt.date) else str(since), end)
    counts_types: dict[str, list[str]] = {}
    for r in _own(store, "target-types"):
        counts_types.setdefault(r["target"].value, []).append(r["type"].value)
    targets = []
    for r in canned("targets", goal=goal):
        if r["kind"] != "quantitative":
            continue
        iri = str(r["target"])
        unit = {"%": "percent", "项": "item", "家": "enterprise"}.get(str(r["unit"]), str(r["unit"]))
        reached = percent = None
        if iri in counted_by:
            c = counted_by[iri]
            reached, percent = float(c["standards"]), _float(c["percent"])
            names = ", ".join(_key(t) for t in counts_types.get(iri, []))
            how = (f"{names} standards issued {window[0]} to {window[1]} (canned query "  # type: ignore[index]
                   f"{FIGURES['count targets' if as_of is None else 'count targets on a date']})")
        elif counts_types.get(iri) == [_INTERNATIONAL] and unit == "percent":
            rate = canned("conversion rate", target=NamedNode(iri))[0]
            if rate["international"]:
                reached = _float(rate["percent"])  # a rate in %, drawn against the target value, not a share of it
                how = (f"{rate['adopted']} of {rate['international']} international standards adopted (canned query "
                       "international-conversion-rate; the rule: adopted-international-standards)")
            else:
                how = "no international standard in the catalogue"
        else:
            how = "not measurable from a catalogue (it counts projects or enterprises, not standards)"
        targets.append(TargetProgress(label(iri), float(r["value"]), unit, str(r["comparator"]), reached, percent, how))

    progress = []
    for r in canned("progress by year", goal=goal):
        point = dt.date(int(str(r["year"])), 12, 31)
        if as_of is None or point <= as_of:
            progress.append(YearPoint(str(r["target"]), point, int(r["standards"]), float(r["percent"])))
    if as_of is not None:
        progress += [YearPoint(str(c["target"]), as_of, int(c["standards"]), float(c["percent"])) for c in counted
                     if as_of < dt.date(year, 12, 31)]
    directions = tuple(DirectionCoverage(label(str(r["direction"])), str(r["industry_notation"]), int(r["standards"]))
                       for r in canned("directions"))
    return Coverage(
        landscape=_landscape(store, canned, label),
        standards=int(totals["standards"]), serving=int(totals["serving"]), samples=int(totals["samples"]),
        industries=industries, types=types, matrix=matrix, targets=tuple(targets), directions=directions,
        progress=tuple(sorted(progress, key=lambda p: (p.target, p.date))), window=window, year=year, as_of=as_of)


def _tree_order(rows: list) -> list[tuple[str, int]]:
    """A framework's nodes depth first, siblings by ordinal then IRI: ``(node, depth)``."""
    parent = {r["node"].value: (r["parent"].value if r["parent"] is not None else None) for r in rows}
    ordinal = {r["node"].value: (int(r["ordinal"].value) if r["ordinal"] is not None else 0) for r in rows}
    children: dict[str | None, list[str]] = {}
    for node, up in parent.items():
        children.setdefault(up if up in parent else None, []).append(node)
    out: list[tuple[str, int]] = []

    def walk(up: str | None, depth: int) -> None:
        for node in sorted(children.get(up, []), key=lambda n: (ordinal[n], n)):
            out.append((node, depth))
            walk(node, depth + 1)

    walk(None, 0)
    if len(out) != len(parent):  # a cycle of skos:broader: the tree cannot be drawn
        raise NigraphError("a sector framework's skos:broader links form a cycle: "
                           + ", ".join(sorted(set(parent) - {n for n, _ in out})))
    return out


def _landscape(store: pyoxigraph.Store, canned: _Canned, label) -> tuple[IndustryLandscape, ...]:  # type: ignore[no-untyped-def]
    """Each industry's frameworks as trees, with the counts of the three landscape queries."""
    frameworks: dict[str, list[str]] = {}
    for r in _own(store, "frameworks"):
        frameworks.setdefault(r["industry"].value, []).append(r["framework"].value)
    scheme_labels = {r["framework"].value: (r["en"], r["zh"]) for r in _own(store, "frameworks")}
    tree_rows: dict[str, list] = {}
    for r in _own(store, "framework-tree"):
        tree_rows.setdefault(r["framework"].value, []).append(r)
    counted: dict[str, dict[str, dict]] = {}
    out = []
    for r in canned("framework coverage"):
        iri = str(r["industry"])
        gaps = {str(g["node"]) for g in canned("framework gaps", industry=NamedNode(iri))} if int(r["nodes"]) else set()
        trees = []
        for scheme in frameworks.get(iri, []):
            if scheme not in counted:
                counted[scheme] = {str(n["node"]): n for n in canned("framework nodes", framework=NamedNode(scheme))}
            nodes = []
            for node, depth in _tree_order(tree_rows[scheme]):
                n = counted[scheme][node]
                nodes.append(FrameworkNode(
                    Label(node, _key(node), str(n["label_en"] or n["label_zh"] or _key(node)),
                          str(n["label_zh"] or n["label_en"] or _key(node))),
                    str(n["notation"]) if n["notation"] is not None else "", depth,
                    int(n["direct"]), int(n["with_narrower"]), node not in gaps))
            en, zh = scheme_labels[scheme]
            trees.append(Framework(Label(scheme, _key(scheme), en.value if en is not None else _key(scheme),
                                         zh.value if zh is not None else _key(scheme)), tuple(nodes)))
        out.append(IndustryLandscape(label(iri), int(r["documents"]), int(r["nodes"]), int(r["covered"]),
                                     _float(r["percent"]), tuple(trees)))
    return tuple(out)
