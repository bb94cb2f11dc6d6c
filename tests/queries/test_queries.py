"""Every canned query, pinned on the project data and on the synthetic fixture catalogue.

Expected answers are worked out by hand from ``data/*.ttl`` and ``tests/fixtures/catalogue/
catalogue.ttl`` (S01…S31 below refer to the standards of that file in order) and written in
``tests/queries/expected/<id>.csv`` (project data) and ``expected/catalogue/<id>.csv`` (the fixture,
for queries over catalogue data; queries about the plan alone must give the project's answer
there too). IRIs are written with the nigraph prefixes (``nid:``); everything else exactly as the
CSV output prints it. How the fixture answers were worked out:

* standards-by-industry-and-type: count each standard once per industry it serves under its
  top type (GB, GB/T, GB/Z and S28's plain "national" are national). E01: national S09 S10 S11
  S17, industry S18 S19, international S01 S02 S03; E02: S12 S13 / S20 / S04 S07; E03: S17;
  E05: S16 / group S24 / S08; E06 local S26; E07 enterprise S27; E08 S29; F03: S28 / S21;
  F04: S14 S15 / S25 / S05 S06; F05: group S22 S23 / S31; F09: S20. S30 serves no industry.
* industries-without-standard-of-type (international): E01 E02 E05 F04 F05 have one; 12 remain.
* directions-without-standard-of-type (national): F03-1 has S28, F04-1 S14 (GB/Z), F04-2 S15;
  F03-2 has only an industry standard (S21), F04-3 only a group standard (S25).
* target-progress: issued in [2023-08-03, 2025-12-31]. National+industry: S11 S12 S14 S15 S16
  S17 S28 S29 + S18 S20 S21 = 11 → round(1000·11/2000)/10 = 0.6; group: S22 S23 = 2 → 0.7
  (S24 is before, S25 after); international: S04 (on the day) S05 S08 (last day) S30 = 4 → 1.3
  (S07 the day before, S06 in 2026, S31 before).
* standards-per-framework-node, framework-nodes-without-standard, framework-coverage-by-industry:
  the fixture has no nig:servesNode, so every node has 0 standards, the 12 nodes of ai-guide-2024
  (the one framework for F05) are all gaps, and every industry with nodes is covered 0.0 %. On the
  project data (sample catalogue): node ai-guide-2024.1.4 has ISO/IEC 42001:2023, .7 GB 45438-2025,
  GB/T 45654-2025, GB/T 45674-2025 and T/CSAC 023-2025 (so .1 has one with narrower);
  ai-guide-2020.E.5 has GB/T 38258-2019, GB/T 44220-2024, GB/T 45287-2025 and ISO/IEC 18039:2019;
  low-altitude-guide-2025.1 has GB 42590-2023 and thirteen of the E07 rows (a title with 无人驾驶航空器/
  无人机/unmanned aircraft), .3 has T/AOPA 0004-2023 (无人机…航管), .5 DB41/T 1521-2018 (植保无人机) and
  T/AOPA 0004-2023 (物流无人机); icv-guide-2023.1 has GB/T 44373-2024 (智能网联汽车 术语);
  uhd-video-guide-2020.2 has GY/T 364/365/366-2023.
  E01: 5 of 56 nodes (12 of ai-guide-2024 + 44 of ai-guide-2020; covered 1, 1.4, 7, E, E.5) = 8.9;
  F05 3 of 12 = 25.0; E05 1 of 4 = 25.0; E07 3 of 5 = 60.0; F07 1 of 5 (uhd-video-guide-2020.2) = 20.0.
* sector-target-progress: ai-guide-2024 (2024-07-02) and lithium-guide-2024 (2024-09-02) have a date.
  ai-guide-2024's national+industry standards for E01/F05 issued by 2026: GB/T 44220-2024 (2024-07-24,
  E01 by ICS 33), GB/T 45288.1-2025 (2025-02-28, E01 by ICS 35 and 人工智能), YD/T 4730-2024
  (2024-07-05, E01 by 5G), GB/T 45654-2025 and GB/T 45674-2025 (2025-04-25, F05), GB/T 45287-2025
  (2025-01-24, E01) → 6 of 50 = 12.0; international: ISO/IEC TS 27571:2026 (2026-04-21, E01 by its
  title's "information technology") → 1 of 20 = 5.0. lithium-guide-2024 (F09): GB/T 47032-2026 (F09
  by its title's "energy storage") → 1 of 100 = 1.0; international none → 0 of 10. The fixture has
  none after 2024-07-02 → 0. Targets of undated documents (carbon, machine tools, smart
  manufacturing) are left empty.
* international-adoption-by-industry: adopted = adopted IDT or MOD by a standard that is not
  withdrawn. E01: S01 (S09 IDT, S17 MOD) and S02 (S10 MOD) yes, S03 (S11 NEQ) no → 2/3 = 66.7;
  E02: S04 (S12) yes, S07 (only S13, withdrawn) no → 50.0; E05: S08 (S16) → 100.0 > 90;
  F04: S05 (S14 MOD, upcoming) and S06 (S15) → 100.0; F05: S31 not adopted → 0.0. On the project
  data no international standard that serves an industry is adopted (the ten adopted ones are named
  only as adopted and serve none), so every industry with international standards is at 0.0.
* adopted-international-standards (the conversion rule): S01 S02 S04 S05 S06 S08 (not S03: NEQ;
  not S07: its only adopter S13 is withdrawn), ordered by number; on the project data nine:
  ISO/TR 23482-2:2019 (GB/Z 43202.2-2023 IDT), IEC 62341-1-2:2014 (GB/T 20871.12-2024 IDT),
  IEC 62368-1:2018 (GB 4943.1-2022 MOD), IEC 63202-1:2019 (GB/T 46984.1-2025 IDT), ISO 10218-1:2006
  (GB 11291.1-2011 IDT), ISO 24360:2022 (GB/T 45473-2025 IDT), ISO 9203-1:1989 (GB/T 23305.1-2009 IDT),
  ISO 16620-2:2019 (GB/T 39715.2-2021 IDT) and ISO 18646-1:2016 (GB/T 38834.1-2020 IDT); not
  ISO 8373:2012, whose only adopter GB/T 12643-2013 is withdrawn.
* international-conversion-rate: 6 of the 10 international standards (S01-S08, S30, S31) → 60.0,
  not > 90; project: the nine above of the 32 international standards (the build summary's type
  count) → 28.1.
* catalogue-totals: 31 standards, 30 serving an industry (not S30), no sample; project 200, 190, 190
  (190 sample rows — 28 before issue 14's growth, 60 for E01-E04, 61 for E05-E08, 41 for F01-F09 —
  each serving an industry, and the 10 international standards they adopt, which serve none).
* standards-per-direction: F03-1 S28, F03-2 S21, F04-1 S05 S14, F04-2 S15, F04-3 S25, others 0;
  project: F03-2 has GB/T 42565-2023 (量子计算 术语和定义), others 0.
* target-progress-on-date (as of 2025-12-31): as target-progress. As of 2024-06-30 (a test below):
  national+industry S11 S12 S17 S29 + S18 S20 = 6; group S22 S23 = 2; international S04 S05 S30 = 3.
* progress-by-year, cumulative from 2023-08-03 to each year's end: national+industry 2023 S17 S29
  S18 = 3 (0.2), 2024 + S11 S12 S14 S28 S20 = 8 (0.4), 2025 + S15 S16 S21 = 11 (0.6); group 1, 2, 2
  (0.3, 0.7, 0.7); international 2023 S04 = 1 (0.3), 2024 + S05 S30 = 3 (1.0), 2025 + S08 = 4 (1.3).
  Project: 2023 GB/T 36276-2023, GB/Z 43202.2-2023, YD/T 4541-2023, GB/T 43056-2023, GB/T 43536.1-2023,
  GB/T 32151.10-2023, GB/T 43551-2023, GB/T 20234.1-2023, GB/T 42831-2023 = 9; 2024 + GB 44240-2024,
  GB/T 44220-2024, GB/T 20871.12-2024, YD/T 4730-2024, GB/T 20868-2024, GB/T 44373-2024,
  GB/T 44721-2024, GB/T 18385-2024, GB/T 24067-2024, MH/T 2015-2024, GB/T 43868-2024,
  GB/T 20871.61-2024, GB/T 44471-2024 = 22; 2025 + GB/T 45288.1-2025, GB/T 45461-2025, GB/T 45473-2025,
  GB/T 35351-2025, GB/T 45877-2025, GB/T 9535.101-2025, GB/T 2296-2025, GB/T 20513.1-2025,
  GB/T 46984.1-2025, GB/T 44130.4-2025, GB 18384-2025, GB/T 45654-2025, GB/T 45674-2025,
  GB/T 20871.62-2025, GB/T 45287-2025 = 37 (GB 45438-2025, GB 46761-2025, GB 46750-2025,
  GB/T 26991-2023, GB/T 34425-2023 and YY/T 1987-2025 have no issue date; local standards do not
  count); group 2023 T/ZSA 170-2023, T/CIECCPA 041-2023, T/ZSA 207-2023 = 3, 2024 + T/AOPA 0056.1-2024
  = 4, 2025 + T/CSAC 023-2025 = 5; international 2023 ISO/IEC 42001:2023, ISO 21384-3:2023,
  ISO 24060-2:2023, ISO/IEC 23837-1:2023 = 4, 2024 + ISO 20688-2:2024 = 5, 2025 none more = 5.
  standards-by-industry-and-type: E02 national = 23, including the three fuel-cell vehicle standards
  (GB/T 39132-2020, GB/T 26991-2023, GB/T 34425-2023) that the E02 rule "燃料电池" files there besides E05.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib.plugins.sparql import prepareQuery

import sys

from conftest import rdflib_term
from nigraph.core.iri import GRAPH
from nigraph.core.load import load_file, load_files, project_files
from nigraph.query.run import (
    HEADER_KEYS,
    CannedQuery,
    format_result,
    load_queries,
    parse_header,
    run_query,
    term_for,
)
from nigraph.query.run import compact
from nigraph.reason.owl import materialize
from nigraph.core.store import open_memory_store
from nigraph.build.cube import build_cube

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).parent
EXPECTED = HERE / "expected"
CATALOGUE = ROOT / "tests" / "fixtures" / "catalogue" / "catalogue.ttl"
QUERIES = load_queries(ROOT)
IDS = [q.id for q in QUERIES]
#: Queries over catalogue data: their fixture answers differ from the project's.
CATALOGUE_QUERIES = {q.id for q in QUERIES if "catalogue" in q.tags}
#: The only answer allowed to be empty: catalogue standards on the project data, which has none.
EMPTY_ON_PROJECT = {"standards-by-industry-and-type"}
NID = "https://w3id.org/nigraph/id/"
pytestmark = [
    pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:unknown response content type:RuntimeWarning"),
]
sys.path.insert(0, str(HERE))  # for sparql_server


def _project_quads() -> list[pyoxigraph.Quad]:
    quads = load_files(project_files(ROOT), ROOT)
    return [q for q in quads if not q.graph_name.value.startswith(GRAPH + "shapes/")]


@pytest.fixture(scope="module")
def asserted() -> list[pyoxigraph.Quad]:
    return _project_quads()


@pytest.fixture(scope="module")
def project_store(asserted) -> pyoxigraph.Store:
    """As `nigraph build` makes it: one graph per file plus the inferred graph and the cube."""
    return open_memory_store(asserted + materialize(asserted) + build_cube(asserted, ROOT))


@pytest.fixture(scope="module")
def asserted_store(asserted) -> pyoxigraph.Store:
    """Asserted triples (and the cube) only, as on an endpoint that holds no inferred graph."""
    return open_memory_store(asserted + build_cube(asserted, ROOT))


@pytest.fixture(scope="module")
def plan_only(asserted) -> list[pyoxigraph.Quad]:
    """The project data without its sample catalogue: the fixture's answers are worked out by hand without it."""
    return [q for q in asserted if q.graph_name.value != GRAPH + "data/sample-catalogue.ttl"]


@pytest.fixture(scope="module")
def catalogue_store(plan_only) -> pyoxigraph.Store:
    plan = plan_only
    cat = load_file(CATALOGUE, ROOT)
    return open_memory_store(plan + materialize(plan + cat) + cat + build_cube(plan + cat, ROOT))


@pytest.fixture(scope="module")
def doubled_store(plan_only) -> pyoxigraph.Store:
    """The catalogue in two named graphs: the union default graph then repeats each triple."""
    cat = load_file(CATALOGUE, ROOT)
    copy = [pyoxigraph.Quad(q.subject, q.predicate, q.object, pyoxigraph.NamedNode(GRAPH + "copy.ttl")) for q in cat]
    return open_memory_store(plan_only + cat + copy + build_cube(plan_only + cat + copy, ROOT))


def rows(result) -> list[list[str]]:
    """The CSV output, header included, with IRIs written with nigraph prefixes."""
    parsed = list(csv.reader(io.StringIO(format_result(result, "csv"))))
    return [parsed[0]] + [[compact(c) if c.startswith("http") else c for c in r] for r in parsed[1:]]


def expected(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def by_id(query_id: str) -> CannedQuery:
    return next(q for q in QUERIES if q.id == query_id)


def test_at_least_15_queries_all_with_expected_answers():
    assert len(QUERIES) >= 15
    assert sorted(p.stem for p in EXPECTED.glob("*.csv")) == sorted(IDS)
    assert {p.stem for p in (EXPECTED / "catalogue").glob("*.csv")} == CATALOGUE_QUERIES
    assert len(CATALOGUE_QUERIES) >= 5


@pytest.mark.parametrize("query_id", IDS)
def test_project_answer(query_id, project_store, asserted_store, asserted):
    q = by_id(query_id)
    got = rows(run_query(q.text, store=project_store))
    want = expected(EXPECTED / f"{query_id}.csv")
    if query_id == "sources-of-resource":
        # the text column is the source's verbatim prov:value, read here with rdflib
        g = rdflib.Graph()
        for f in ("passages.ttl", "sources.ttl"):
            g.parse(ROOT / "data" / f)
        prov_value = rdflib.URIRef("http://www.w3.org/ns/prov#value")
        want = [want[0] + ["text"]] + [
            r + [str(g.value(rdflib.URIRef(NID + r[0][4:]), prov_value))] for r in want[1:]
        ]
    assert got == want
    assert len(got) > 1 or query_id in EMPTY_ON_PROJECT
    assert rows(run_query(q.text, store=asserted_store)) == got, "inferred triples changed the answer"


@pytest.mark.parametrize("query_id", IDS)
def test_catalogue_answer(query_id, catalogue_store, doubled_store):
    q = by_id(query_id)
    folder = EXPECTED / "catalogue" if query_id in CATALOGUE_QUERIES else EXPECTED
    got = rows(run_query(q.text, store=catalogue_store))
    if query_id == "sources-of-resource":
        got = [r[:4] for r in got]
    assert got == expected(folder / f"{query_id}.csv")
    assert len(got) > 1
    doubled = rows(run_query(q.text, store=doubled_store))
    assert (doubled if query_id != "sources-of-resource" else [r[:4] for r in doubled]) == got, \
        "a triple repeated in two graphs changed the answer"


def _run(store, query_id: str, **params: str) -> list[list[str]]:
    q = by_id(query_id)
    return rows(run_query(q.text, store=store, bindings={k: term_for(q.params[k], v) for k, v in params.items()}))


def _col(table: list[list[str]], name: str) -> list[str]:
    i = table[0].index(name)
    return [r[i] for r in table[1:]]


def test_industries_without_standard_of_other_types(catalogue_store):
    # national (any narrower type, and S28 typed plain national): E01 E02 E03 E05 E08 F03 F04 have one
    got = _run(catalogue_store, "industries-without-standard-of-type", type="nid:standard-type/national")
    assert _col(got, "notation") == ["E04", "E06", "E07", "F01", "F02", "F05", "F06", "F07", "F08", "F09"]
    # GB/T only: F03's S28 is plain national and no longer counts
    got = _run(catalogue_store, "industries-without-standard-of-type", type="nid:standard-type/national-recommended")
    assert _col(got, "notation") == ["E04", "E06", "E07", "F01", "F02", "F03", "F05", "F06", "F07", "F08", "F09"]


def test_directions_without_international_standard(catalogue_store):
    # only S05 (ISO) serves a direction, F04-1
    got = _run(catalogue_store, "directions-without-standard-of-type", type="nid:standard-type/international")
    assert _col(got, "direction") == ["nid:direction/F03-1", "nid:direction/F03-2", "nid:direction/F03-3",
                                      "nid:direction/F04-2", "nid:direction/F04-3", "nid:direction/F04-4",
                                      "nid:direction/F04-5"]


def test_target_progress_on_a_date(catalogue_store):
    got = _run(catalogue_store, "target-progress-on-date", as_of="2024-06-30")
    assert [(r[0], r[4], r[5]) for r in got[1:]] == [
        ("nid:target/2025-5", "2024-06-30", "6"), ("nid:target/2025-6", "2024-06-30", "2"),
        ("nid:target/2025-10", "2024-06-30", "3")]


def test_a_withdrawn_adopter_does_not_convert(plan_only):
    """The conversion rule (adopted-international-standards) and every figure that reads the cube:
    ISO 1 is adopted only by a withdrawn standard, ISO 2 only NEQ, ISO 3 by a standard in force."""
    ttl = """
    @prefix nig: <https://w3id.org/nigraph/def/> . @prefix std: <https://w3id.org/nigraph/id/standard/> .
    @prefix st: <https://w3id.org/nigraph/id/standard-type/> . @prefix ss: <https://w3id.org/nigraph/id/standard-status/> .
    @prefix ad: <https://w3id.org/nigraph/id/adoption-degree/> . @prefix ind: <https://w3id.org/nigraph/id/industry/> .
    std:ISO_1-2020 a nig:Standard ; nig:standardNumber "ISO 1:2020" ; nig:standardType st:international ; nig:servesIndustry ind:F04 .
    std:ISO_2-2020 a nig:Standard ; nig:standardNumber "ISO 2:2020" ; nig:standardType st:international ; nig:servesIndustry ind:F04 .
    std:ISO_3-2020 a nig:Standard ; nig:standardNumber "ISO 3:2020" ; nig:standardType st:international ; nig:servesIndustry ind:F04 .
    std:GB-T_1-2013 a nig:Standard ; nig:standardType st:national-recommended ; nig:status ss:withdrawn ;
        nig:adopts std:ISO_1-2020 ; nig:adoptionDegree ad:IDT .
    std:GB-T_2-2021 a nig:Standard ; nig:standardType st:national-recommended ; nig:status ss:in-force ;
        nig:adopts std:ISO_2-2020 ; nig:adoptionDegree ad:NEQ .
    std:GB-T_3-2021 a nig:Standard ; nig:standardType st:national-recommended ;
        nig:adopts std:ISO_3-2020 ; nig:adoptionDegree ad:MOD .
    """
    cat = list(pyoxigraph.parse(ttl.encode(), pyoxigraph.RdfFormat.TURTLE))
    cat = [pyoxigraph.Quad(t.subject, t.predicate, t.object, pyoxigraph.NamedNode(GRAPH + "c.ttl")) for t in cat]
    store = open_memory_store(plan_only + cat + build_cube(plan_only + cat, ROOT))
    assert _col(_run(store, "adopted-international-standards"), "number") == ["ISO 3:2020"]
    rate = _run(store, "international-conversion-rate")
    assert [(r[1], r[2], r[3]) for r in rate[1:]] == [("3", "1", "33.3")]
    f04 = [r for r in _run(store, "international-adoption-by-industry")[1:] if r[1] == "F04"]
    assert [(r[3], r[4], r[5]) for r in f04] == [("3", "1", "33.3")]


def test_parameterised_plan_queries(project_store):
    got = _run(project_store, "directions-of-industry", industry="nid:industry/F03")
    assert _col(got, "direction") == ["nid:direction/F03-1", "nid:direction/F03-2", "nid:direction/F03-3"]
    # E01 has no direction in any source: empty, and that is the right answer
    assert _run(project_store, "directions-of-industry", industry="nid:industry/E01") == [
        ["direction", "ordinal", "label_en", "label_zh"]]
    got = _run(project_store, "targets-of-goal", goal="nid:goal/2030")
    assert [(r[0], r[1], r[2]) for r in got[1:]] == [
        (str(i), f"nid:target/2030-{i}", "qualitative") for i in range(1, 5)]
    got = _run(project_store, "tasks-concerning", concern="nid:industry/E01")
    assert got[1:] == [["nid:task/3", "main task", "nid:task/3", "Focus on emerging industries"]]
    # industries.ttl: ind:F04 prov:wasDerivedFrom p:p05, e:E8 (p05 is on line 10)
    got = _run(project_store, "sources-of-resource", resource="nid:industry/F04")
    assert [r[:4] for r in got[1:]] == [["nid:passage/p05", "passage", "10", ""],
                                        ["nid:excerpt/E8", "excerpt", "", "https://027idc.com/About/information/2023/0825/1773.html"]]
    # industries.ttl: the five humanoid-robot direction items and their scheme rest on E9
    got = _run(project_store, "facts-from-passage", passage="nid:excerpt/E9")
    assert _col(got, "resource") == [f"nid:direction/F04-{i}" for i in range(1, 6)] + ["nid:scheme/direction-items"]


def test_comparators_at_the_boundary():
    """A count equal to the target value reaches 以上 (at least) but not 超过 (more than)."""
    ttl = """
    @prefix nig: <https://w3id.org/nigraph/def/> . @prefix dcterms: <http://purl.org/dc/terms/> .
    @prefix time: <http://www.w3.org/2006/time#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    @prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix doc: <https://w3id.org/nigraph/id/document/> .
    @prefix goal: <https://w3id.org/nigraph/id/goal/> . @prefix ms: <https://w3id.org/nigraph/id/milestone/> .
    @prefix cmp: <https://w3id.org/nigraph/id/comparator/> . @prefix tg: <https://w3id.org/nigraph/id/target/> .
    @prefix unit: <https://w3id.org/nigraph/id/unit/> . @prefix st: <https://w3id.org/nigraph/id/standard-type/> .
    @prefix std: <https://w3id.org/nigraph/id/standard/> .
    doc:x nig:promulgates doc:p ; dcterms:issued "2024-01-01"^^xsd:date .
    doc:p nig:hasGoal goal:x . goal:x nig:milestone ms:x . ms:x time:inXSDgYear "2024"^^xsd:gYear .
    cmp:at-least skos:notation ">=" . cmp:more-than skos:notation ">" .
    tg:a nig:targetOf goal:x ; nig:unit unit:item ; nig:countsStandardType st:group ;
        nig:targetValue 2.0 ; nig:comparator cmp:at-least ; nig:ordinal 1 .
    tg:b nig:targetOf goal:x ; nig:unit unit:item ; nig:countsStandardType st:group ;
        nig:targetValue 2.0 ; nig:comparator cmp:more-than ; nig:ordinal 2 .
    std:1 a nig:Standard ; nig:standardType st:group ; dcterms:issued "2024-01-01"^^xsd:date .
    std:2 a nig:Standard ; nig:standardType st:group ; dcterms:issued "2024-12-31"^^xsd:date .
    std:3 a nig:Standard ; nig:standardType st:group ; dcterms:issued "2025-01-01"^^xsd:date .
    """
    store = pyoxigraph.Store()
    store.load(ttl.encode(), pyoxigraph.RdfFormat.TURTLE, to_graph=pyoxigraph.NamedNode(GRAPH + "t.ttl"))
    store.extend(build_cube(list(store), ROOT))  # target-progress reads the cube nigraph build computes
    got = _run(store, "target-progress", goal="nid:goal/x")
    assert [(r[0], r[5], r[8], r[9]) for r in got[1:]] == [
        ("nid:target/a", "2", "100.0", "true"), ("nid:target/b", "2", "100.0", "false")]


# --- headers and parsing ---------------------------------------------------------------------


@pytest.mark.parametrize("query_id", IDS)
def test_header_documents_the_query(query_id):
    q = by_id(query_id)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", q.id)
    for text in (q.title, q.title_zh, q.description, q.description_zh):
        assert text and text == text.strip()
    assert re.search(r"[\u4e00-\u9fff]", q.title_zh) and re.search(r"[\u4e00-\u9fff]", q.description_zh)
    assert q.tags and all(t == t.strip() and " " not in t for t in q.tags)
    keys = {line.split(":", 1)[0][2:].strip() for line in q.text.splitlines()
            if line.startswith("#+") and not line.startswith("#+  ")}
    assert keys <= HEADER_KEYS
    # the columns the header promises are the ones the query returns
    assert tuple(v.value for v in pyoxigraph.Store().query(q.text).variables) == q.columns
    # every query ends with ORDER BY, so its rows come in one order everywhere
    body = "\n".join(line.split("#")[0] for line in q.text.splitlines())
    assert re.search(r"ORDER BY[^{}]*$", body.strip())


@pytest.mark.parametrize("query_id", IDS)
def test_parses_with_pyoxigraph_and_rdflib(query_id):
    q = by_id(query_id)
    pyoxigraph.Store().query(q.text)  # raises SyntaxError if it does not parse
    prepareQuery(q.text)


def test_unknown_header_key_is_rejected(tmp_path):
    bad = tmp_path / "bad-key.rq"
    bad.write_text("#+ summary: x\n#+ keywords: [a]\nSELECT * {} ORDER BY ?x\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"bad-key.rq:2: unknown header key 'keywords'"):
        parse_header(bad.read_text(), bad)


# --- parameters are terms, never text ----------------------------------------------------------


ATTACK = '" } UNION { ?direction ?p ?o } #'
TWO_IRIS = "https://w3id.org/nigraph/id/industry/F04> <https://w3id.org/nigraph/id/industry/F03"


def test_a_spliced_value_would_change_the_query(project_store):
    """Splicing text does change the query (8 directions instead of 5), so the tests below can fail."""
    q = by_id("directions-of-industry")
    spliced = q.text.replace("<https://w3id.org/nigraph/id/industry/F04>", "<" + TWO_IRIS + ">")
    assert len(list(project_store.query(spliced, use_default_graph_as_union=True))) == 8


@pytest.mark.parametrize("value", [ATTACK, 'x"} UNION {?s ?p ?o}', "a\\\" }\n UNION { ?direction ?p ?o", "\\u0022 } #"])
def test_injected_literal_changes_nothing(project_store, value):
    q = by_id("directions-of-industry")
    result = run_query(q.text, store=project_store, bindings={"industry": pyoxigraph.Literal(value)})
    assert result.rows == []  # a literal is no industry: no direction, and nothing else leaks in


@pytest.mark.parametrize("value", [TWO_IRIS, "https://w3id.org/nigraph/id/industry/F04> } UNION { ?direction ?p ?o } #",
                                   "<https://e/x> UNION", "nid:industry/F04 }", 'https://e/"x'])
def test_injected_iri_is_rejected(value):
    with pytest.raises(Exception, match="bad IRI"):
        term_for(by_id("directions-of-industry").params["industry"], value)


# --- the same answers from a remote endpoint (rdflib's engine behind HTTP) ---------------------


@pytest.fixture(scope="module")
def endpoint(plan_only):
    from sparql_server import SparqlServer

    ds = rdflib.Dataset(default_union=True)
    cat = load_file(CATALOGUE, ROOT)
    for q in plan_only + cat + build_cube(plan_only + cat, ROOT):
        g = ds.graph(rdflib.URIRef(q.graph_name.value))
        g.add(tuple(rdflib_term(t) for t in (q.subject, q.predicate, q.object)))
    server = SparqlServer(ds)
    try:
        yield server
    finally:
        server.close()


@pytest.mark.parametrize("query_id", IDS)
def test_endpoint_gives_the_store_answer(query_id, endpoint, catalogue_store):
    q = by_id(query_id)
    remote = run_query(q.text, endpoint=endpoint.url, timeout_s=60)
    assert rows(remote) == rows(run_query(q.text, store=catalogue_store))


def test_endpoint_bindings_are_values_rows(endpoint):
    q = by_id("directions-of-industry")
    industry = term_for(q.params["industry"], "nid:industry/F03")
    result = run_query(q.text, endpoint=endpoint.url, bindings={"industry": industry})
    assert [r[0] for r in result.rows] == [f"{NID}direction/F03-{i}" for i in (1, 2, 3)]
    assert "VALUES ?industry { <https://w3id.org/nigraph/id/industry/F03> }" in endpoint.queries[-1]
    injected = run_query(q.text, endpoint=endpoint.url, bindings={"industry": pyoxigraph.Literal(ATTACK)})
    assert injected.rows == []


def test_endpoint_errors_are_one_line(endpoint):
    from nigraph.core.errors import NigraphError

    base = endpoint.url.rsplit("/", 1)[0]
    with pytest.raises(NigraphError, match=r"answered with an error: .*Query error"):
        run_query("SELECT * WHERE { ?s ?p }", endpoint=endpoint.url)
    with pytest.raises(NigraphError, match=r"answered with an error|HTTP 500"):
        run_query("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s", endpoint=base + "/broken")
    with pytest.raises(NigraphError, match=r"did not answer with SPARQL JSON"):
        run_query("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s", endpoint=base + "/html")
    with pytest.raises(NigraphError, match=r"unreachable"):
        run_query("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s", endpoint="http://127.0.0.1:1/sparql")


def test_the_canned_queries_are_exactly_these() -> None:
    """No canned query appears or vanishes unnoticed: each id below has pinned answers in this file's
    parametrized tests (expected/<id>.csv); adding a query means adding it here with its answers."""
    from nigraph.query.run import load_queries

    assert sorted(q.id for q in load_queries(ROOT)) == [
        "adopted-international-standards", "catalogue-totals",
        "directions-of-industry", "directions-per-industry", "directions-without-standard-of-type",
        "facts-from-passage", "framework-coverage-by-industry", "framework-nodes-without-standard",
        "industries-by-kind", "industries-without-directions", "industries-without-standard-of-type",
        "international-adoption-by-industry", "international-conversion-rate", "issuing-bodies", "main-tasks",
        "progress-by-year", "sector-target-progress", "sources-of-resource", "standards-by-industry-and-type",
        "standards-per-direction", "standards-per-framework-node", "target-progress",
        "target-progress-on-date",
        "targets-by-milestone", "targets-of-goal", "task-concerns", "tasks-concerning",
    ]


def test_the_catalogue_fixture_is_valid_data():
    """Answers worked out on data the shapes would refuse would pin behaviour users never see."""
    from nigraph.validate.run import validate

    report = validate(ROOT, [CATALOGUE])
    assert report.conforms, [(r.focus, r.path, r.message) for r in report.results][:5]
