"""Where the plan stands against a catalogue: coverage figures computed with SPARQL over the store.

Three questions, each answered by bound-term-only SPARQL (values enter as ``substitutions``)
over the union of the store's graphs:

* how many standards serve each industry, by standard type (the heatmap);
* how far each quantitative 2025 target is reached (the progress bars);
* which standardization directions have no standard yet.

Counting rule for a target (documented in the README, "nigraph report"): a standard counts if it
serves at least one industry of the plan, its type is one the target counts (``nig:countsStandardType``,
narrower types included), and its issue date lies between the notice's issue date and the end of the
milestone year. Standards without an issue date are not counted (their number is reported). The
conversion rate of international standards is measured as: international standards adopted by a
catalogue standard (``nig:adopts``) / all international standards the catalogue names. Targets about
projects or enterprises cannot be measured from a catalogue and are shown as such.

>>> from pyoxigraph import Store
>>> cov = compute_coverage(Store())
>>> (cov.standards, cov.industries, cov.targets)
(0, (), ())
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from pyoxigraph import Literal, NamedNode, Variable

from ..core.errors import NigraphError
from ..core.iri import NID, PREFIXES
from ..query.run import find_query, run_query

__all__ = ["Label", "TargetProgress", "DirectionCoverage", "Coverage", "compute_coverage", "QUERIES"]

_PREAMBLE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in sorted(PREFIXES.items()))

#: The SPARQL the report runs, by name (each has an ORDER BY so results are stable).
QUERIES: dict[str, str] = {
    "industries": """
SELECT ?i ?notation ?en ?zh ?kind WHERE {
  VALUES ?kind { nig:EmergingIndustry nig:FutureIndustry }
  ?i a ?kind ; skos:notation ?notation .
  OPTIONAL { ?i rdfs:label ?en FILTER(LANG(?en) = "en") }
  OPTIONAL { ?i rdfs:label ?zh FILTER(LANG(?zh) = "zh") }
} ORDER BY ?notation""",
    "types": """
SELECT ?t ?en ?zh ?top ?topOrd ?ord WHERE {
  ?t a nig:StandardType .
  FILTER NOT EXISTS { ?narrower skos:broader ?t }
  OPTIONAL { ?t skos:broader ?parent }
  BIND(COALESCE(?parent, ?t) AS ?top)
  OPTIONAL { ?top nig:ordinal ?topOrd0 } BIND(COALESCE(?topOrd0, 99) AS ?topOrd)
  OPTIONAL { ?t nig:ordinal ?ord0 } BIND(IF(BOUND(?parent), COALESCE(?ord0, 99), 0) AS ?ord)
  OPTIONAL { ?t rdfs:label ?en FILTER(LANG(?en) = "en") }
  OPTIONAL { ?t rdfs:label ?zh FILTER(LANG(?zh) = "zh") }
} ORDER BY ?topOrd ?ord ?t""",
    "matrix": """
SELECT ?i ?t (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?s a nig:Standard ; nig:servesIndustry ?i ; nig:standardType ?t .
} GROUP BY ?i ?t ORDER BY ?i ?t""",
    "totals": """
SELECT (COUNT(DISTINCT ?s) AS ?all) (COUNT(DISTINCT ?served) AS ?serving) (COUNT(DISTINCT ?sample) AS ?samples) WHERE {
  ?s a nig:Standard .
  OPTIONAL { ?s nig:servesIndustry ?any . BIND(?s AS ?served) }
  OPTIONAL { ?s nig:isSample true . BIND(?s AS ?sample) }
}""",
    "window": """
SELECT ?from WHERE { ?notice a nig:Notice ; nig:promulgates ?plan ; dcterms:issued ?from } ORDER BY ?from LIMIT 1""",
    "targets": """
SELECT ?year ?target ?ordinal ?en ?zh ?value ?unit ?comparator WHERE {
  ?plan a nig:Plan ; nig:hasGoal ?goal .  # the plan's goals only; sector documents' goals are not the report's
  ?goal nig:milestone ?milestone . ?milestone time:inXSDgYear ?year .
  ?target nig:targetOf ?goal ; a nig:QuantitativeTarget ; nig:ordinal ?ordinal ; nig:targetValue ?value ;
          nig:unit ?unit ; nig:comparator ?comparator .
  OPTIONAL { ?target rdfs:label ?en FILTER(LANG(?en) = "en") }
  OPTIONAL { ?target rdfs:label ?zh FILTER(LANG(?zh) = "zh") }
} ORDER BY ?ordinal""",
    "target-types": """
SELECT ?target ?type WHERE { ?target nig:countsStandardType ?type } ORDER BY ?type""",
    "counted": """
SELECT DISTINCT ?counted ?from ?to ?s WHERE {
  ?s a nig:Standard ; nig:servesIndustry ?industry ; nig:standardType ?t ; dcterms:issued ?issued .
  ?t skos:broader* ?counted .
  FILTER(?issued >= ?from && ?issued <= ?to)
} ORDER BY ?s""",
    "undated": """
SELECT ?counted (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?s a nig:Standard ; nig:servesIndustry ?industry ; nig:standardType ?t .
  ?t skos:broader* ?counted .
  FILTER NOT EXISTS { ?s dcterms:issued ?issued }
} GROUP BY ?counted""",
    "conversion": """
SELECT ?intl (COUNT(DISTINCT ?x) AS ?all) (COUNT(DISTINCT ?adopted) AS ?converted) WHERE {
  { ?x a nig:Standard ; nig:standardType ?intl } UNION { ?y nig:adopts ?x }
  OPTIONAL { ?z nig:adopts ?x . BIND(?x AS ?adopted) }
} GROUP BY ?intl""",
    "directions": """
SELECT ?d ?industry ?ordinal ?en ?zh (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?d a nig:StandardizationDirection ; nig:directionOf ?industry ; nig:ordinal ?ordinal .
  OPTIONAL { ?d rdfs:label ?en FILTER(LANG(?en) = "en") }
  OPTIONAL { ?d rdfs:label ?zh FILTER(LANG(?zh) = "zh") }
  OPTIONAL { ?s nig:servesDirection ?d }
} GROUP BY ?d ?industry ?ordinal ?en ?zh ORDER BY ?industry ?ordinal""",
}

_INTERNATIONAL = NamedNode(NID + "standard-type/international")
_ITEM = NID + "unit/item"
_PERCENT = NID + "unit/percent"


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
    :param how: one line saying how ``reached`` was measured, or why it was not.
    """

    target: Label
    value: float
    unit: str
    comparator: str
    reached: float | None
    how: str

    @property
    def percent(self) -> float | None:
        """``reached`` as a share of ``value`` (0-100, not capped), or ``None``."""
        if self.reached is None or not self.value:
            return None
        return 100.0 * self.reached / self.value


@dataclass(frozen=True)
class DirectionCoverage:
    direction: Label
    industry: str
    standards: int


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
    window: tuple[str, str] | None
    year: int

    @property
    def empty_directions(self) -> tuple[DirectionCoverage, ...]:
        return tuple(d for d in self.directions if d.standards == 0)

    @property
    def empty_industries(self) -> tuple[Label, ...]:
        return tuple(i for i in self.industries if not any(self.matrix.get((i.key, t.key), 0) for t in self.types))


def _run(store: pyoxigraph.Store, name: str, **bindings: pyoxigraph.NamedNode | pyoxigraph.Literal) -> list:
    subs = {Variable(k): v for k, v in bindings.items()}
    return list(store.query(_PREAMBLE + QUERIES[name], substitutions=subs, use_default_graph_as_union=True))


def _val(term: object, default: str = "") -> str:
    return term.value if term is not None else default  # type: ignore[attr-defined]


def _label(iri: pyoxigraph.NamedNode, en: object, zh: object) -> Label:
    key = iri.value.rsplit("/", 1)[-1]
    return Label(iri.value, key, _val(en, key), _val(zh, _val(en, key)))


def canned_progress(store: pyoxigraph.Store, root: str | Path, goal: str) -> dict[str, int] | None:
    """Standards counted per target by the canned query ``queries/target-progress.rq``, if the project has it.

    :returns: target IRI → standards counted, or ``None`` without that query.
    """
    try:
        query = find_query(root, "target-progress")
    except NigraphError:
        return None
    result = run_query(query.text, store=store, bindings={"goal": NamedNode(goal)})
    t, n = result.columns.index("target"), result.columns.index("standards")
    return {str(row[t]): int(row[n]) for row in result.rows}


def _measure(store: pyoxigraph.Store, target: pyoxigraph.NamedNode, unit: str,
             window: tuple[str, str] | None, canned: dict[str, int] | None = None) -> tuple[float | None, str]:
    types = [row["type"] for row in _run(store, "target-types", target=target)]
    if not types:
        return None, "not measurable from a catalogue (it counts projects or enterprises, not standards)"
    if unit == _PERCENT:
        if types == [_INTERNATIONAL]:
            rows = _run(store, "conversion", intl=_INTERNATIONAL)
            total = sum(int(r["all"].value) for r in rows)
            converted = sum(int(r["converted"].value) for r in rows)
            if not total:
                return None, "no international standard in the catalogue"
            return 100.0 * converted / total, f"{converted} of {total} international standards adopted by a catalogue standard"
        return None, "not measurable from a catalogue"
    if window is None:
        return None, "the plan's issue date is not in the store"
    date = pyoxigraph.NamedNode(PREFIXES["xsd"] + "date")
    counted: set[str] = set()
    undated = 0
    for t in types:
        if canned is None:
            rows = _run(store, "counted", counted=t, **{"from": Literal(window[0], datatype=date)},
                        to=Literal(window[1], datatype=date))
            counted.update(r["s"].value for r in rows)
        undated += sum(int(r["n"].value) for r in _run(store, "undated", counted=t))
    names = ", ".join(t.value.rsplit("/", 1)[-1] for t in types)
    if canned is not None:
        how = f"{names} standards issued {window[0]} to {window[1]} (canned query target-progress)"
        reached = float(canned.get(target.value, 0))
    else:
        how = f"{names} standards serving a plan industry, issued {window[0]} to {window[1]}"
        reached = float(len(counted))
    if undated:
        how += f"; {undated} without an issue date not counted"
    return reached, how


def compute_coverage(store: pyoxigraph.Store, *, year: int = 2025, root: str | Path | None = None) -> Coverage:
    """Compute the report's figures.

    :param store: a store holding the plan's data and one or more catalogues.
    :param year: the milestone year whose quantitative targets are shown.
    :param root: the project directory; if its ``queries/target-progress.rq`` exists, the count
        targets are measured with that canned query (so `nigraph query target-progress` and the
        report agree), else with this module's own query (which also requires a plan industry).
    :returns: the figures.
    """
    industries = tuple(_label(r["i"], r["en"], r["zh"]) for r in _run(store, "industries"))
    types = tuple(_label(r["t"], r["en"], r["zh"]) for r in _run(store, "types"))
    matrix = {(r["i"].value.rsplit("/", 1)[-1], r["t"].value.rsplit("/", 1)[-1]): int(r["n"].value)
              for r in _run(store, "matrix")}
    totals = _run(store, "totals")[0]
    window_rows = _run(store, "window")
    window = (window_rows[0]["from"].value, f"{year}-12-31") if window_rows else None
    if window and dt.date.fromisoformat(window[0]) > dt.date(year, 12, 31):
        window = None
    gyear = Literal(str(year), datatype=NamedNode(PREFIXES["xsd"] + "gYear"))
    targets = []
    canned = canned_progress(store, root, f"{NID}goal/{year}") if root is not None else None
    for r in _run(store, "targets", year=gyear):
        label = _label(r["target"], r["en"], r["zh"])
        reached, how = _measure(store, r["target"], r["unit"].value, window, canned)
        targets.append(TargetProgress(label, float(r["value"].value), r["unit"].value.rsplit("/", 1)[-1],
                                      r["comparator"].value.rsplit("/", 1)[-1], reached, how))
    directions = tuple(
        DirectionCoverage(_label(r["d"], r["en"], r["zh"]), r["industry"].value.rsplit("/", 1)[-1], int(r["n"].value))
        for r in _run(store, "directions"))
    return Coverage(
        standards=int(totals["all"].value), serving=int(totals["serving"].value), samples=int(totals["samples"].value),
        industries=industries, types=types, matrix=matrix, targets=tuple(targets), directions=directions,
        window=window, year=year)
