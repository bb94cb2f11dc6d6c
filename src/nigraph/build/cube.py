"""Coverage statistics as an RDF Data Cube (W3C ``qb:``), computed once at build time.

The graph is read-only between builds, so the counts users ask for most (standards per industry,
type and issue year; international standards adopted) are computed here, once, into the named
graph :data:`CUBE_GRAPH`; the canned queries then sum a few hundred observations instead of
joining the whole catalogue. Three data sets, each with its data structure definition:

* ``nid:cube/standards`` — dimensions standard type, issue year; every catalogue standard;
* ``nid:cube/standards-by-industry`` — industry, standard type, issue year; a standard serving
  two industries is counted in both (the totals of the plan are in ``nid:cube/standards``);
* ``nid:cube/standards-by-direction`` — standardization direction, standard type;
* ``nid:cube/standards-by-industry-type-tree`` — industry, standard type *with its narrower types*
  (``nig:refStandardTypeTree``: a GB/T standard is counted under national-recommended and under
  national); derived from ``standards-by-industry``, so the canned queries need no ``skos:broader*``;
* ``nid:cube/standards-by-framework-node`` — node of a sector framework (``nig:refFrameworkNode``):
  the standards that serve it (``nig:servesNode``) and those that serve it or a node under it;
* ``nid:cube/target-progress`` — count target (``nig:refTarget``), year (``nig:refUpToYear``, a code
  of the issue-year scheme), every year from the notice's to the milestone's: ``nig:cumulativeCount``,
  the standards of the counted types issued from the notice's date to that year's end;
* ``nid:cube/target-progress-by-date`` — count target, date (``nig:refIssueDate``), every day from the
  notice's date to the end of the milestone year: ``nig:cumulativeCount``, the standards of its
  counted types issued from the notice's date to that day (one observation answers "as of a date");
* ``nid:cube/sector-target-progress`` — count target of a sector document: the standards of its
  counted types that serve one of the document's industries, issued from the document's date to
  the end of the milestone year (as ``queries/sector-target-progress.rq`` counted them);
* ``nid:cube/adopted-international-standards`` — international standard (``nig:refStandard``):
  ``nig:adopterCount``, the standards that adopt it under the conversion rule (:data:`CONVERSION_RULE`);
  only adopted ones are observations, each with the standard's number as the attribute
  ``nig:refStandardNumber`` and its place in the order of those numbers as the attribute
  ``nig:numberOrder`` (1, 2, …: ordered by number, then standard IRI, as SPARQL ``ORDER BY ?number
  ?standard`` orders them; pyoxigraph sorts integers several times faster than strings);
  ``queries/adopted-international-standards.rq`` lists them in that order.

The two target data sets count as ``queries/target-progress-on-date.rq`` did over the catalogue: the
targets of a goal of a plan a notice promulgates, the unit "item", ``nig:countsStandardType`` and its
narrower types, ``dcterms:issued`` from the notice's date to the end of the milestone year.

Measures: ``nig:standardCount`` (standards in the cell), ``nig:servingCount`` (of them, those serving
at least one industry of the plan; ``nid:cube/standards`` only), ``nig:sinceNoticeCount`` (of them, issued on
or after the notice's date, ``dcterms:issued`` of the ``nig:Notice``; only when the data has one) and
``nig:adoptedCount`` (of them, international standards adopted under the conversion rule,
:data:`CONVERSION_RULE`, written here once and described in ``queries/adopted-international-standards.rq``). The issue year is a code
(``nid:period/issue-year-2024``, ``…-unknown`` for standards without an issue date) of the scheme
``nid:scheme/issue-years``, with ``skos:notation "2024"^^xsd:gYear``. Only cells with at least
one standard are observations (the target data sets excepted: ``target-progress`` has every year).
Counting is done over SELECTs of distinct standard–value pairs and SPARQL aggregates, so a triple
repeated in two graphs is counted once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph
from pyoxigraph import Literal, NamedNode, Quad

from ..core.iri import CUBE_GRAPH, GRAPH, NID, NIG, PREFIXES, mint

__all__ = ["CUBE_GRAPH", "QB", "CONVERSION_RULE", "DATASETS", "Cube", "compute_cube", "cube_quads", "cube_stage",
           "build_cube", "adopted_standards"]

#: The named graph of the cube.
QB = "http://purl.org/linked-data/cube#"
#: The conversion rule, written once: an international standard (type international or a narrower
#: type) is adopted when a catalogue standard that is not withdrawn (no nig:status counts as not
#: withdrawn) adopts it identically (IDT) or modified (MOD); NEQ is not an adoption. Per adopted
#: standard, how many standards adopt it so. ``queries/adopted-international-standards.rq`` states
#: it in words and lists its result from the cube; every conversion figure sums nig:adoptedCount.
CONVERSION_RULE = """SELECT ?standard (COUNT(DISTINCT ?adopter) AS ?adopters) WHERE {
  VALUES ?degree { <https://w3id.org/nigraph/id/adoption-degree/IDT> <https://w3id.org/nigraph/id/adoption-degree/MOD> }
  ?adopter nig:adopts ?standard ; nig:adoptionDegree ?degree .
  FILTER NOT EXISTS { ?adopter nig:status <https://w3id.org/nigraph/id/standard-status/withdrawn> }
  ?standard nig:standardType ?narrower .
  ?narrower skos:broader* <https://w3id.org/nigraph/id/standard-type/international> .
} GROUP BY ?standard"""

_RDF_TYPE = NamedNode(PREFIXES["rdf"] + "type")
_LABEL = NamedNode(PREFIXES["rdfs"] + "label")
_SKOS = PREFIXES["skos"]
_XSD = PREFIXES["xsd"]
_INTEGER = NamedNode(_XSD + "integer")
_GYEAR = NamedNode(_XSD + "gYear")
_DATE = NamedNode(_XSD + "date")
_NUMBER = NamedNode(NIG + "refStandardNumber")
_NUMBER_ORDER = NamedNode(NIG + "numberOrder")
_SAFE_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*")
_PREAMBLE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in sorted(PREFIXES.items()))


def _qb(local: str) -> NamedNode:
    return NamedNode(QB + local)


def _nig(local: str) -> NamedNode:
    return NamedNode(NIG + local)


_TYPES = """SELECT DISTINCT ?s ?type ?issued WHERE {
  ?s a nig:Standard ; nig:standardType ?type . OPTIONAL { ?s dcterms:issued ?issued } }"""
_INDUSTRIES = "SELECT DISTINCT ?s ?i WHERE { ?s a nig:Standard ; nig:servesIndustry ?i }"
_DIRECTIONS = "SELECT DISTINCT ?s ?d WHERE { ?s a nig:Standard ; nig:servesDirection ?d }"
# as the canned query target-progress finds it: what promulgates the plan, and its issue date
_MILESTONES = "SELECT DISTINCT ?y WHERE { ?g nig:milestone/time:inXSDgYear ?y }"
_NOTICE = "SELECT ?date WHERE { ?n nig:promulgates ?p ; dcterms:issued ?date } ORDER BY ?date LIMIT 1"

# every type used by a standard, and every type it is (transitively) narrower than, itself included
_TYPE_TREE = "SELECT DISTINCT ?t ?a WHERE { { SELECT DISTINCT ?t WHERE { ?s nig:standardType ?t } } ?t skos:broader* ?a }"
_NODES_DIRECT = """SELECT ?node (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?s a nig:Standard ; nig:servesNode ?node . ?node a nig:FrameworkNode } GROUP BY ?node"""
_NODES_TREE = """SELECT ?node (COUNT(DISTINCT ?s) AS ?n) WHERE {
  { SELECT DISTINCT ?m ?node WHERE { { SELECT DISTINCT ?m WHERE { ?x nig:servesNode ?m } } ?m skos:broader* ?node .
      ?node a nig:FrameworkNode } }
  ?s nig:servesNode ?m ; a nig:Standard . } GROUP BY ?node"""
# what queries/target-progress-on-date.rq counted over the catalogue, per target and issue date
_TARGET_DATES = """SELECT ?target ?issued (COUNT(DISTINCT ?standard) AS ?n) WHERE {
  { SELECT DISTINCT ?target ?narrower ?start ?y WHERE {
      ?notice nig:promulgates ?plan ; dcterms:issued ?start . ?plan nig:hasGoal ?goal .
      ?goal nig:milestone/time:inXSDgYear ?y .
      ?target nig:targetOf ?goal ; nig:unit <https://w3id.org/nigraph/id/unit/item> ; nig:countsStandardType ?type .
      ?narrower skos:broader* ?type . } }
  ?standard nig:standardType ?narrower ; dcterms:issued ?issued .
  FILTER(DATATYPE(?issued) = xsd:date && ?issued >= ?start && YEAR(?issued) <= xsd:integer(STR(?y)))
} GROUP BY ?target ?issued"""
# what queries/sector-target-progress.rq counted over the catalogue: per target of a sector document,
# the standards of its counted types serving one of the document's industries, issued from the
# document's date (dcterms:issued, else dcterms:available) to the end of the milestone year
_SECTOR_TARGETS = """SELECT ?target (COUNT(DISTINCT ?standard) AS ?n) WHERE {
  { SELECT DISTINCT ?target ?narrower ?industry ?start ?y WHERE {
      ?target nig:targetOf ?g ; nig:countsStandardType ?type .
      ?g dcterms:isPartOf ?d ; nig:milestone/time:inXSDgYear ?y .
      OPTIONAL { ?d dcterms:issued ?i }
      OPTIONAL { ?d dcterms:available ?a }
      BIND(COALESCE(?i, ?a) AS ?start)
      FILTER(BOUND(?start))
      ?d nig:forIndustry ?industry .
      ?narrower skos:broader* ?type . } }
  ?standard nig:standardType ?narrower ; nig:servesIndustry ?industry ; dcterms:issued ?date .
  FILTER(?date >= ?start && YEAR(?date) <= xsd:integer(STR(?y)))
} GROUP BY ?target"""
# the years of each count target: from its notice's to its milestone's
_TARGET_YEARS = """SELECT ?target (MIN(?start) AS ?first) (MAX(xsd:integer(STR(?y))) AS ?last) WHERE {
  ?notice nig:promulgates ?plan ; dcterms:issued ?start . ?plan nig:hasGoal ?goal .
  ?goal nig:milestone/time:inXSDgYear ?y .
  ?target nig:targetOf ?goal ; nig:unit <https://w3id.org/nigraph/id/unit/item> ; nig:countsStandardType ?type .
} GROUP BY ?target"""

_DIMENSIONS = {"industry": _nig("refIndustry"), "type": _nig("refStandardType"), "year": _nig("refIssueYear"),
               "direction": _nig("refDirection"), "typetree": _nig("refStandardTypeTree"),
               "node": _nig("refFrameworkNode"), "target": _nig("refTarget"), "upto": _nig("refUpToYear"),
               "date": _nig("refIssueDate"), "standard": _nig("refStandard")}
#: dimensions whose values are codes of the issue-year scheme
_YEAR_DIMENSIONS = ("year", "upto")
_MEASURES = {"standards": _nig("standardCount"), "since": _nig("sinceNoticeCount"), "adopted": _nig("adoptedCount"),
             "serving": _nig("servingCount"), "tree": _nig("withNarrowerCount"), "cumulative": _nig("cumulativeCount"),
             "adopters": _nig("adopterCount")}
#: data set key → (dimensions, measures)
DATASETS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "standards": (("type", "year"), ("standards", "serving", "since", "adopted")),
    "standards-by-industry": (("industry", "type", "year"), ("standards", "since", "adopted")),
    "standards-by-direction": (("direction", "type"), ("standards",)),
    "standards-by-industry-type-tree": (("industry", "typetree"), ("standards", "since", "adopted")),
    "standards-by-framework-node": (("node",), ("standards", "tree")),
    "target-progress": (("target", "upto"), ("cumulative",)),
    "target-progress-by-date": (("target", "date"), ("cumulative",)),
    "sector-target-progress": (("target",), ("standards",)),
    "adopted-international-standards": (("standard",), ("adopters",)),
}
_TITLES = {
    "standards": ("Catalogue standards by standard type and issue year", "按标准类型和发布年份统计的目录标准"),
    "standards-by-industry": ("Catalogue standards by industry, standard type and issue year",
                              "按产业、标准类型和发布年份统计的目录标准"),
    "standards-by-direction": ("Catalogue standards by standardization direction and standard type",
                               "按标准化方向和标准类型统计的目录标准"),
    "standards-by-industry-type-tree": ("Catalogue standards by industry and standard type, narrower types included",
                                        "按产业和标准类型(含下级类型)统计的目录标准"),
    "standards-by-framework-node": ("Catalogue standards by node of a sector framework",
                                    "按行业标准体系框架节点统计的目录标准"),
    "target-progress": ("Count targets: standards of the counted types issued from the notice to each year's end",
                        "数量类指标:自通知印发至各年年末发布的计入类型标准累计数"),
    "target-progress-by-date": ("Count targets: standards of the counted types issued from the notice to each date",
                                "数量类指标:自通知印发至各日期发布的计入类型标准累计数"),
    "sector-target-progress": ("Sector documents' count targets: standards of the counted types serving the "
                               "document's industries, issued from its date to the end of the milestone year",
                               "行业文件数量类指标:服务文件产业的计入类型标准自文件日期至节点年末的发布数"),
    "adopted-international-standards": ("International standards adopted under the conversion rule, with their adopters",
                                        "按转化率口径已转化的国际标准及其采用标准数"),
}


@dataclass(frozen=True)
class Cube:
    """The counts, before they become triples: data set key → {dimension values: measure values}.

    Dimension values are IRIs (strings); for the years, ``"2024"`` or ``"unknown"``; for the issue
    date, ``"2024-05-01"`` (an ``xsd:date``).
    """

    cells: dict[str, dict[tuple[str, ...], dict[str, int]]]
    notice: str | None
    adoption: bool = True
    #: every year of the issue-year code list (also years without observations), as text
    years: tuple[str, ...] = ()
    #: the standard numbers of the adopted international standards (an attribute of their observations)
    numbers: dict[str, tuple[Literal, ...]] = field(default_factory=dict)


def _rows(store: pyoxigraph.Store, query: str) -> list:
    return list(store.query(_PREAMBLE + query, use_default_graph_as_union=True))


# the numbers of the adopted standards, copied onto their observations so that the canned query
# that lists them reads the cube only
_ADOPTED_NUMBERS = f"""SELECT DISTINCT ?standard ?number WHERE {{
  {{ {CONVERSION_RULE} }}
  ?standard nig:standardNumber ?number . }}"""


def adopted_standards(store: pyoxigraph.Store) -> dict[str, int]:
    """The international standards adopted under :data:`CONVERSION_RULE`: IRI → adopting standards."""
    return {r["standard"].value: int(r["adopters"].value) for r in _rows(store, CONVERSION_RULE)}


def compute_cube(store: pyoxigraph.Store, root: str | Path) -> Cube:
    """Count the catalogue in ``store`` (asserted triples; default graph = union of its graphs).

    :param root: the project (kept for the callers; the rule is :data:`CONVERSION_RULE`).
    """
    cells: dict[str, dict[tuple[str, ...], Counter]] = {k: {} for k in DATASETS}
    cells_adopted = cells["adopted-international-standards"]
    notice_rows = _rows(store, _NOTICE)
    notice = notice_rows[0]["date"].value if notice_rows else None
    adopted = adopted_standards(store)
    for standard, n in adopted.items():
        cells_adopted[(standard,)] = Counter(adopters=n)
    facts: dict[str, tuple[str, str, bool, bool]] = {}  # standard → (type, year, since notice, adopted)
    for r in _rows(store, _TYPES):
        s = r["s"].value
        issued = r["issued"].value if r["issued"] is not None else None
        year = issued[:4] if issued and issued[:4].isdigit() else "unknown"
        since = bool(notice and issued and issued >= notice)
        facts[s] = (r["type"].value, year, since, s in adopted)

    def add(dataset: str, key: tuple[str, ...], fact: tuple[str, str, bool, bool], serving: bool = False) -> None:
        counter = cells[dataset].setdefault(key, Counter())
        counter["standards"] += 1
        counter["serving"] += serving
        counter["since"] += fact[2]
        counter["adopted"] += fact[3]

    industries = _rows(store, _INDUSTRIES)
    serving = {r["s"].value for r in industries}
    for s, fact in facts.items():
        add("standards", (fact[0], fact[1]), fact, s in serving)
    for r in industries:
        fact = facts.get(r["s"].value)
        if fact is not None:
            add("standards-by-industry", (r["i"].value, fact[0], fact[1]), fact)
    for r in _rows(store, _DIRECTIONS):
        fact = facts.get(r["s"].value)
        if fact is not None:
            add("standards-by-direction", (r["d"].value, fact[0]), fact)
    _roll_up(cells, _rows(store, _TYPE_TREE))
    for name, query in (("standards", _NODES_DIRECT), ("tree", _NODES_TREE)):
        for r in _rows(store, query):
            cells["standards-by-framework-node"].setdefault((r["node"].value,), Counter())[name] = int(r["n"].value)
    _targets(cells, store)
    # the code list has every year from the first issue year (or the notice's) to the last issue or
    # milestone year, so that "by the end of 2025" has a code even when no standard was issued in 2025
    known = {int(f[1]) for f in facts.values() if f[1] != "unknown"}
    ends = known | {int(r["y"].value[:4]) for r in _rows(store, _MILESTONES) if r["y"].value[:4].isdigit()}
    ends |= {int(key[1]) for key in cells["target-progress"]}
    if notice:
        known.add(int(notice[:4]))
        ends.add(int(notice[:4]))
    years = tuple(str(y) for y in range(min(known), max(ends) + 1)) if known else ()
    if any(f[1] == "unknown" for f in facts.values()):
        years += ("unknown",)
    numbers: dict[str, list[Literal]] = {}
    for r in _rows(store, _ADOPTED_NUMBERS):
        numbers.setdefault(r["standard"].value, []).append(r["number"])
    return Cube({k: {key: dict(c) for key, c in v.items()} for k, v in cells.items()}, notice, True, years,
                {k: tuple(sorted(v, key=str)) for k, v in numbers.items()})


def _roll_up(cells: dict[str, dict[tuple[str, ...], Counter]], tree: list) -> None:
    """``standards-by-industry-type-tree`` from ``standards-by-industry``: each cell's counts added to
    its industry and every type its type is narrower than (itself included). The cells partition
    the standards of an industry, and a type's broader types are distinct, so each standard is
    counted once per industry and type."""
    broader: dict[str, set[str]] = {}
    for r in tree:
        broader.setdefault(r["t"].value, set()).add(r["a"].value)
    out = cells["standards-by-industry-type-tree"]
    for (industry, type_, _), counts in cells["standards-by-industry"].items():
        for a in broader.get(type_, {type_}) | {type_}:
            out.setdefault((industry, a), Counter()).update(counts)


def _targets(cells: dict[str, dict[tuple[str, ...], Counter]], store: pyoxigraph.Store) -> None:
    """The target data sets: the standards counted per target and issue date (a SPARQL aggregate),
    cumulated over every day and every year from the notice's date to the end of the milestone year
    (0 included), so that a query looks up one observation instead of summing."""
    for r in _rows(store, _SECTOR_TARGETS):
        cells["sector-target-progress"][(r["target"].value,)] = Counter(standards=int(r["n"].value))
    per_day: dict[str, Counter] = {}
    for r in _rows(store, _TARGET_DATES):
        per_day.setdefault(r["target"].value, Counter())[dt.date.fromisoformat(r["issued"].value)] += int(r["n"].value)
    for r in _rows(store, _TARGET_YEARS):
        if r["first"] is None or r["last"] is None:
            continue
        target, last = r["target"].value, int(r["last"].value)
        day, end = dt.date.fromisoformat(r["first"].value[:10]), dt.date(last, 12, 31)
        counts, total = per_day.get(target, Counter()), 0
        while day <= end:
            total += counts[day]
            cells["target-progress-by-date"][(target, day.isoformat())] = Counter(cumulative=total)
            if day.month == 12 and day.day == 31:
                cells["target-progress"][(target, str(day.year))] = Counter(cumulative=total)
            day += dt.timedelta(days=1)


def _key(iri_or_year: str) -> str:
    """The last segment of an IRI (or the year, or the date), or, when that is not a safe key (a
    catalogue may name its standards with any IRI), a digest of the whole IRI."""
    key = iri_or_year.rstrip("/").rsplit("/", 1)[-1]
    if _SAFE_KEY.fullmatch(key):
        return key
    return "x" + hashlib.sha256(iri_or_year.encode("utf-8")).hexdigest()[:20]


def _year(year: str) -> NamedNode:
    return mint("period", f"issue-year-{year}")


def cube_quads(cube: Cube) -> list[Quad]:
    """The cube as quads in :data:`CUBE_GRAPH`, sorted: data sets, structures, codes, observations.

    >>> q = cube_quads(Cube({name: {} for name in DATASETS}, None))
    >>> sorted({t.object.value.rsplit("#", 1)[-1] for t in q if t.predicate.value.endswith("#type")})
    ['ComponentSpecification', 'ConceptScheme', 'DataSet', 'DataStructureDefinition']
    """
    g = CUBE_GRAPH
    out: list[Quad] = []
    observations: set[str] = set()

    def add(s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> None:
        out.append(Quad(s, p, o, g))

    scheme = mint("scheme", "issue-years")
    add(scheme, _RDF_TYPE, NamedNode(_SKOS + "ConceptScheme"))
    add(scheme, _LABEL, Literal("Issue years of catalogue standards", language="en"))
    add(scheme, _LABEL, Literal("目录标准的发布年份", language="zh"))
    years = sorted(set(cube.years) | {key[i] for k, (dims, _) in DATASETS.items() for i, d in enumerate(dims)
                                      if d in _YEAR_DIMENSIONS for key in cube.cells[k]})
    for year in years:
        code = _year(year)
        add(code, _RDF_TYPE, NamedNode(_SKOS + "Concept"))
        add(code, NamedNode(_SKOS + "inScheme"), scheme)
        if year == "unknown":
            add(code, NamedNode(_SKOS + "notation"), Literal("unknown"))
            add(code, _LABEL, Literal("issue date unknown", language="en"))
            add(code, _LABEL, Literal("发布日期不详", language="zh"))
        else:
            add(code, NamedNode(_SKOS + "notation"), Literal(year, datatype=_GYEAR))
            add(code, _LABEL, Literal(f"issued in {year}", language="en"))
            add(code, _LABEL, Literal(f"{year}年发布", language="zh"))
    for name, (dims, measures) in DATASETS.items():
        measures = tuple(m for m in measures if (m != "since" or cube.notice) and (m != "adopted" or cube.adoption))
        dataset, dsd = mint("cube", name), mint("cube", f"{name}-structure")
        en, zh = _TITLES[name]
        add(dataset, _RDF_TYPE, _qb("DataSet"))
        add(dataset, _qb("structure"), dsd)
        add(dataset, _LABEL, Literal(en, language="en"))
        add(dataset, _LABEL, Literal(zh, language="zh"))
        add(dsd, _RDF_TYPE, _qb("DataStructureDefinition"))
        add(dsd, _LABEL, Literal(f"Structure of: {en}", language="en"))
        add(dsd, _LABEL, Literal(f"数据结构:{zh}", language="zh"))
        for order, dim in enumerate(dims, start=1):
            spec = mint("cube", f"{name}-structure.{dim}")
            add(dsd, _qb("component"), spec)
            add(spec, _RDF_TYPE, _qb("ComponentSpecification"))
            add(spec, _qb("dimension"), _DIMENSIONS[dim])
            add(spec, _LABEL, Literal(f"{name}: dimension {dim}", language="en"))
            add(spec, _LABEL, Literal(f"{name}:维度 {dim}", language="zh"))
            add(spec, _qb("order"), Literal(str(order), datatype=_INTEGER))
            if dim in _YEAR_DIMENSIONS:
                add(spec, _qb("codeList"), scheme)
        for measure in measures:
            spec = mint("cube", f"{name}-structure.{measure}")
            add(dsd, _qb("component"), spec)
            add(spec, _RDF_TYPE, _qb("ComponentSpecification"))
            add(spec, _qb("measure"), _MEASURES[measure])
            add(spec, _LABEL, Literal(f"{name}: measure {measure}", language="en"))
            add(spec, _LABEL, Literal(f"{name}:度量 {measure}", language="zh"))
        places: dict[tuple[str, ...], int] = {}
        if name == "adopted-international-standards":
            for attribute, prop in (("number", _NUMBER), ("order", _NUMBER_ORDER)):
                spec = mint("cube", f"{name}-structure.{attribute}")
                add(dsd, _qb("component"), spec)
                add(spec, _RDF_TYPE, _qb("ComponentSpecification"))
                add(spec, _qb("attribute"), prop)
                add(spec, _LABEL, Literal(f"{name}: attribute {attribute}", language="en"))
                add(spec, _LABEL, Literal(f"{name}:属性 {attribute}", language="zh"))
            places = _number_order(cube.cells[name], cube.numbers)
        for key, counts in sorted(cube.cells[name].items()):
            obs = mint("cube", ".".join([name, *(_key(v) for v in key)]))
            if obs.value in observations:  # two dimension values with the same last segment
                raise ValueError(f"two cells of {name} would both be {obs.value}: {key}")
            observations.add(obs.value)
            add(obs, _RDF_TYPE, _qb("Observation"))
            cell = ", ".join(_key(v) for v in key)
            add(obs, _LABEL, Literal(f"{en}: {cell}", language="en"))
            add(obs, _LABEL, Literal(f"{zh}:{cell}", language="zh"))
            add(obs, _qb("dataSet"), dataset)
            for dim, value in zip(dims, key):
                add(obs, _DIMENSIONS[dim], _year(value) if dim in _YEAR_DIMENSIONS
                    else Literal(value, datatype=_DATE) if dim == "date" else NamedNode(value))
            for measure in measures:
                add(obs, _MEASURES[measure], Literal(str(counts.get(measure, 0)), datatype=_INTEGER))
            if name == "adopted-international-standards":
                for number in cube.numbers.get(key[0], ()):
                    add(obs, _NUMBER, number)
                add(obs, _NUMBER_ORDER, Literal(str(places[key]), datatype=_INTEGER))
    return sorted(set(out), key=lambda q: (q.subject.value, q.predicate.value, str(q.object)))


def _number_order(cells: dict[tuple[str, ...], dict[str, int]],
                  numbers: dict[str, tuple[Literal, ...]]) -> dict[tuple[str, ...], int]:
    """The place (from 1) of each adopted standard's observation when the rows (standard, number)
    are ordered as SPARQL ``ORDER BY ?number ?standard`` orders them: by the number (a standard
    without one first: an unbound value sorts first), then by the standard's IRI. Plain strings
    compare by code point in SPARQL and in Python alike. That is the rows' order when each standard
    has one number, a plain string, as ``shapes/standard.ttl`` requires; a build whose data breaks
    that shape is refused (its validation runs after this stage), and for such data (or a cube
    computed without validation) a standard is placed by its least number, its rows together.

    >>> n = {"http://e/a": (Literal("ISO 2"),), "http://e/b": (Literal("ISO 10"),)}
    >>> _number_order({("http://e/a",): {}, ("http://e/b",): {}, ("http://e/c",): {}}, n)
    {('http://e/c',): 1, ('http://e/b',): 2, ('http://e/a',): 3}
    """
    def sort_key(key: tuple[str, ...]) -> tuple[bool, str, str]:
        found = sorted(n.value for n in numbers.get(key[0], ()))
        return (bool(found), found[0] if found else "", key[0])

    return {key: place for place, key in enumerate(sorted(cells, key=sort_key), start=1)}


def cube_stage(store: pyoxigraph.Store, root: str | Path) -> list[Quad]:
    """The build stage: the cube of the data in ``store`` (asserted quads), as quads of :data:`CUBE_GRAPH`."""
    return cube_quads(compute_cube(store, root))


def build_cube(quads: Iterable[Quad], root: str | Path) -> list[Quad]:
    """The cube of asserted ``quads`` (for tests and benchmarks that build stores themselves)."""
    store = pyoxigraph.Store()
    store.bulk_extend(quads)
    return cube_stage(store, root)
