"""Tests on the real ontology/ and data/ of this repository.

They are skipped only while ``data/`` does not exist; once it does, they must pass.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph
import pytest

from conftest import PROJECT_ROOT, needs_java
from nigraph import build
from nigraph.build.pipeline import BuildSummary
from nigraph.core.iri import PREFIXES
from nigraph.core.store import open_store

pytestmark = [
    pytest.mark.project_data,
    pytest.mark.skipif(not (PROJECT_ROOT / "data").is_dir(), reason="data/ not written yet"),
]

PREAMBLE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in sorted(PREFIXES.items()))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildSummary, Path]:
    out = tmp_path_factory.mktemp("project-build") / "dist"
    return build(PROJECT_ROOT, out), out


@pytest.fixture(scope="module")
def store(built) -> pyoxigraph.Store:
    s = open_store(built[1] / "store")
    yield s
    del s


def select(store: pyoxigraph.Store, query: str) -> list[dict[str, str]]:
    result = store.query(PREAMBLE + query, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]


def test_eight_emerging_and_nine_future_industries(store) -> None:
    (row,) = select(store, """
        SELECT (COUNT(DISTINCT ?e) AS ?emerging) (COUNT(DISTINCT ?f) AS ?future) WHERE {
          { ?e a nig:EmergingIndustry } UNION { ?f a nig:FutureIndustry } }""")
    assert (int(row["emerging"]), int(row["future"])) == (8, 9)
    both = select(store, "SELECT ?i WHERE { ?i a nig:EmergingIndustry, nig:FutureIndustry }")
    assert both == []


def test_four_issuing_bodies(store) -> None:
    (row,) = select(store, "SELECT (COUNT(DISTINCT ?org) AS ?n) WHERE { ?plan a nig:Plan ; dcterms:creator ?org }")
    assert int(row["n"]) == 4


def test_three_milestones(store) -> None:
    rows = select(store, """
        SELECT DISTINCT ?y WHERE { ?plan a nig:Plan ; nig:hasGoal ?g . ?g a nig:Goal ; nig:milestone ?m . ?m time:inXSDgYear ?y } ORDER BY ?y""")
    assert [r["y"] for r in rows] == ["2025", "2030", "2035"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_one_label_per_language(store, lang: str) -> None:
    rows = select(store, """
        SELECT ?r (COUNT(DISTINCT ?label) AS ?n) WHERE {
          {
            { ?r ?p ?o } UNION { ?s ?p ?r }
            FILTER(isIRI(?r) && STRSTARTS(STR(?r), STR(nid:)))
          } UNION {
            ?r a ?kind .
            VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty rdf:Property }
            FILTER(isIRI(?r) && STRSTARTS(STR(?r), STR(nig:)))
          }
          OPTIONAL { ?r rdfs:label ?label . FILTER(LANGMATCHES(LANG(?label), "%s")) }
        } GROUP BY ?r HAVING (COUNT(DISTINCT ?label) != 1) ORDER BY ?r""".replace("%s", lang))
    offenders = [f"{r['r']} has {r['n']} @{lang} labels" for r in rows]
    assert offenders == [], "\n".join(offenders)


def test_two_builds_are_byte_identical(built, tmp_path: Path) -> None:
    _, first = built
    build(PROJECT_ROOT, tmp_path / "again")
    for name in ("nigraph.ttl", "nigraph.nt", "nigraph.jsonld", "nigraph-inferred.ttl"):
        assert (first / name).read_bytes() == (tmp_path / "again" / name).read_bytes(), name


@needs_java
def test_real_ontology_is_consistent(built) -> None:
    summary, _ = built
    assert summary.consistency.status == "consistent", summary.consistency.detail


# The six 2025 targets as the Chinese text (excerpt E3) states them, worked out by hand:
# 以上 ("at least", inclusive) for five, 超过 ("more than") for the 90 % conversion rate.
EXPECTED_2025 = {
    ("at-least", "60", "percent"),
    ("at-least", "2000", "item"),
    ("at-least", "300", "item"),  # advanced group standards
    ("at-least", "10000", "enterprise"),
    ("more-than", "90", "percent"),
}


def test_six_quantitative_2025_targets_with_values_and_comparators(store) -> None:
    rows = store.query(
        PREAMBLE
        + """SELECT ?t ?cmp ?value ?unit ?type WHERE {
            ?t a nig:QuantitativeTarget ; nig:targetOf <https://w3id.org/nigraph/id/goal/2025> ;
               nig:comparator ?cmp ; nig:targetValue ?value ; nig:unit ?unit .
            OPTIONAL { ?t nig:countsStandardType ?type }
        } ORDER BY ?t ?type""",
        use_default_graph_as_union=True,
    )
    got = {}
    for r in rows:
        key = str(r["t"].value).rsplit("/", 1)[1]
        got.setdefault(key, set()).add(
            (
                r["cmp"].value.rsplit("/", 1)[1],
                str(int(float(r["value"].value))),
                r["unit"].value.rsplit("/", 1)[1],
                r["type"].value.rsplit("/", 1)[1] if r["type"] is not None else None,
            )
        )
    assert sorted(got) == ["2025-10", "2025-11", "2025-3", "2025-5", "2025-6", "2025-8"]
    assert {(c, v, u) for rows_ in got.values() for (c, v, u, _t) in rows_} == EXPECTED_2025
    # The two 300-item targets are told apart by the standard type they count.
    assert {t for (_c, _v, _u, t) in got["2025-6"]} == {"group"}
    assert {t for (_c, _v, _u, t) in got["2025-10"]} == {"international"}
    assert {t for (_c, _v, _u, t) in got["2025-5"]} == {"national", "industry"}
    assert got["2025-11"] == {("more-than", "90", "percent", "international")}


def test_key_areas_scope_on_conversion_rate_only(store) -> None:
    rows = list(
        store.query(
            PREAMBLE + 'SELECT ?t WHERE { ?t nig:scope ?s . FILTER(LANG(?s) = "zh" && STR(?s) = "重点领域") }',
            use_default_graph_as_union=True,
        )
    )
    assert [str(r["t"].value) for r in rows] == ["https://w3id.org/nigraph/id/target/2025-11"]


def test_task_counts_and_named_subtasks(store) -> None:
    rows = store.query(
        PREAMBLE
        + """SELECT ?task ?declared (COUNT(?sub) AS ?named) WHERE {
            ?task a nig:MainTask . OPTIONAL { ?task nig:declaredSubTaskCount ?declared }
            OPTIONAL { ?sub nig:subTaskOf ?task }
        } GROUP BY ?task ?declared ORDER BY ?task""",
        use_default_graph_as_union=True,
    )
    got = {
        r["task"].value.rsplit("/", 1)[1]: (r["declared"].value if r["declared"] else None, r["named"].value)
        for r in rows
    }
    assert got == {"1": ("6", "6"), "2": ("4", "4"), "3": (None, "0"), "4": (None, "0"), "5": ("4", "4")}


# --- Issue 14: the audit's rules and the sector documents -------------------------------------------

_HAN = re.compile(r"[\u4e00-\u9fff]")
_GLUED = re.compile(r"[A-Za-z][\u4e00-\u9fff]|[\u4e00-\u9fff][A-Za-z]")


def test_every_milestone_rests_on_passages_that_name_its_year(store) -> None:
    """A milestone cites only passages whose text contains its year (p01, the headline, names none)."""
    rows = select(store, """
        SELECT ?m ?y ?p ?text WHERE {
          ?m a nig:Milestone ; time:inXSDgYear ?y ; prov:wasDerivedFrom ?p .
          OPTIONAL { ?p prov:value ?text } } ORDER BY ?m ?p""")
    assert rows
    bad = [f"{r['m']} cites {r['p']}" for r in rows if r["text"] is None or r["y"] not in r["text"]]
    assert bad == []


def test_no_fact_rests_on_the_headline(store) -> None:
    assert select(store, "SELECT ?s WHERE { ?s prov:wasDerivedFrom nid:passage\\/p01 }") == []


def test_excerpts_about_the_plan_are_not_classed_as_its_text(store) -> None:
    """An excerpt that speaks of the plan in the third person (《实施方案》/《方案》) is a summary or report,
    never a repost of the text; E2 is the official interpretation."""
    rows = select(store, """
        SELECT ?e ?rel WHERE { ?e a nig:SourceExcerpt ; nig:reliability ?rel ; prov:value ?text .
          FILTER(CONTAINS(?text, "《实施方案》") || CONTAINS(?text, "《方案》")) } ORDER BY ?e""")
    assert {r["e"].rsplit("/", 1)[1] for r in rows} >= {"E8", "E10"}
    reposts = {PREFIXES["nid"] + "reliability/" + k for k in ("official-repost", "full-text-repost")}
    assert [r["e"] for r in rows if r["rel"] in reposts] == []
    (e2,) = select(store, "SELECT ?rel WHERE { nid:excerpt\\/E2 nig:reliability ?rel }")
    assert e2["rel"].endswith("/official-interpretation")


def test_keyword_rules_are_nigraphs_own_resources(store) -> None:
    """No hidden labels on the plan's concepts: keywords live on nig:KeywordRule resources made by nig:team."""
    assert select(store, """SELECT ?c WHERE { ?c skos:hiddenLabel ?l .
        { ?c a nig:Industry } UNION { ?c a nig:StandardizationDirection } UNION { ?c a nig:FrameworkNode } }""") == []
    rows = select(store, """SELECT ?r ?creator ?from WHERE { ?r a nig:KeywordRule ; dcterms:creator ?creator ;
        prov:wasDerivedFrom ?from } ORDER BY ?r""")
    assert len({r["r"] for r in rows}) == 17 + 8 + 8  # industries, direction items, framework nodes (4 + 1 for F01-F09 + 3 for E05-E08)
    assert {r["creator"] for r in rows} == {PREFIXES["nig"] + "team"}
    assert {r["from"] for r in rows} == {PREFIXES["nid"] + "source/nigraph-rules"}


def test_the_industries_scheme_holds_exactly_the_17_industries(store) -> None:
    rows = select(store, "SELECT ?c WHERE { ?c skos:inScheme nid:scheme\\/industries } ORDER BY ?c")
    assert [r["c"].rsplit("/", 1)[1] for r in rows] == [f"E0{i}" for i in range(1, 9)] + [f"F0{i}" for i in range(1, 10)]


def test_a_declared_direction_count_counts_industries(store) -> None:
    """One direction per industry: the declared count of a task equals the industries it concerns."""
    rows = select(store, """SELECT ?t ?declared (COUNT(DISTINCT ?i) AS ?industries) WHERE {
        ?t nig:declaredDirectionCount ?declared . OPTIONAL { ?t nig:concerns ?i . ?i a nig:Industry }
    } GROUP BY ?t ?declared ORDER BY ?t""")
    assert [(r["t"].rsplit("/", 1)[1], r["declared"], r["industries"]) for r in rows] == [("3", "8", "8"), ("4", "9", "9")]


def test_no_english_label_is_half_translated(store) -> None:
    """English labels may cite a Chinese term as a word of its own ("the definition of 新产业", "at
    least (以上)"), never glue Chinese to English as the seed's "enterprise主体" did."""
    rows = select(store, 'SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(LANG(?l) = "en") }')
    assert any(_HAN.search(r["l"]) for r in rows)  # the rule below is not vacuous
    bad = [f"{r['s']}: {r['l']}" for r in rows if _GLUED.search(r["l"])]
    assert bad == []


def test_a_reworded_chinese_label_says_it_is_nigraphs(store) -> None:
    """A direction item's Chinese label is part of its verbatim quote, or its note says the label is nigraph's."""
    rows = select(store, """SELECT ?d ?l ?quote ?note WHERE { ?d a nig:StandardizationDirection ; rdfs:label ?l ;
        skos:definition ?quote . FILTER(LANG(?l) = "zh")
        OPTIONAL { ?d skos:scopeNote ?note FILTER(LANG(?note) = "en") } } ORDER BY ?d""")
    reworded = [r["d"].rsplit("/", 1)[1] for r in rows if r["l"] not in r["quote"]]
    assert reworded == ["F03-3", "F04-5"]
    assert all("Both labels are nigraph's" in (r["note"] or "") for r in rows if r["l"] not in r["quote"])


def test_inferred_statuses_are_marked_and_explained(store) -> None:
    rows = select(store, """SELECT ?s (COUNT(DISTINCT ?note) AS ?notes) WHERE { ?s nig:statusInferred true ; nig:status ?st .
        OPTIONAL { ?s skos:editorialNote ?note } } GROUP BY ?s ORDER BY ?s""")
    assert [r["s"].rsplit("/", 1)[1] for r in rows] == [
        "GB-T_12643-2013", "GB-T_20513.1-2025", "GB-T_2296-2025", "GB-T_35351-2017", "GB-T_45654-2025",
        "GB-T_45674-2025", "GB-T_47313-2026", "GB-T_9535.101-2025", "GB_38031-2020", "GB_51048-2014"]
    assert all(r["notes"] == "2" for r in rows)


def test_sector_quantitative_targets_quote_their_numbers(store) -> None:
    """Every quantitative target of a sector document has its value in the passage it cites."""
    rows = select(store, """SELECT ?t ?v ?text WHERE { ?t a nig:QuantitativeTarget ; nig:targetValue ?v ;
        nig:targetOf/dcterms:isPartOf ?doc ; prov:wasDerivedFrom/prov:value ?text . ?doc nig:forIndustry ?i } ORDER BY ?t""")
    assert len({r["t"] for r in rows}) == 19  # 16, and the lithium battery guide's 3
    bad = [r["t"] for r in rows if str(int(float(r["v"]))) not in r["text"].replace(" ", "")]
    assert bad == []


def test_every_sector_page_passage_is_used_and_every_page_classed(store) -> None:
    rows = select(store, """SELECT ?p (COUNT(?fact) AS ?uses) WHERE { ?p a nig:Passage ; dcterms:isPartOf ?src .
        ?src nig:address ?a ; nig:reliability ?rel . OPTIONAL { ?fact prov:wasDerivedFrom ?p } } GROUP BY ?p ORDER BY ?p""")
    assert len(rows) == 92  # the passages of pages S01-S19 (38), S20-S28 (17) and the links' page L01 (37)
    assert [r["p"] for r in rows if r["uses"] == "0"] == []


def test_every_industry_has_a_document_or_a_data_note(store) -> None:
    """An industry no sector document serves is listed, with what was searched, in docs/data-notes.md."""
    rows = select(store, """SELECT ?notation WHERE { ?i skos:notation ?notation . { ?i a nig:EmergingIndustry } UNION
        { ?i a nig:FutureIndustry } FILTER NOT EXISTS { ?d a nig:PolicyDocument ; nig:forIndustry ?i } } ORDER BY ?notation""")
    missing = [r["notation"] for r in rows]
    assert missing == ["F03", "F06", "F08"]
    notes = (PROJECT_ROOT / "docs" / "data-notes.md").read_text(encoding="utf-8")
    section = notes.split("## Industries without a sector document", 1)[1]
    assert all(f"**{m}**" in section for m in missing)


def test_framework_nodes_serve_standards_by_rule(store) -> None:
    """nig:servesNode comes only from the keyword rules: pinned on the sample catalogue."""
    rows = select(store, "SELECT ?s ?n WHERE { ?s nig:servesNode ?n } ORDER BY ?n ?s")
    assert [(r["n"].rsplit("/", 1)[1], r["s"].rsplit("/", 1)[1]) for r in rows] == [
        ("ai-guide-2020.E.5", "GB-T_38258-2019"), ("ai-guide-2020.E.5", "GB-T_44220-2024"),
        ("ai-guide-2020.E.5", "GB-T_45287-2025"), ("ai-guide-2020.E.5", "ISO-IEC_18039-2019"),
        ("ai-guide-2024.1.4", "ISO-IEC_42001-2023"), ("ai-guide-2024.7", "GB-T_45654-2025"),
        ("ai-guide-2024.7", "GB-T_45674-2025"), ("ai-guide-2024.7", "GB_45438-2025"),
        ("ai-guide-2024.7", "T-CSAC_023-2025"), ("icv-guide-2023.1", "GB-T_44373-2024"),
        ("low-altitude-guide-2025.1", "DB41-T_1521-2018"), ("low-altitude-guide-2025.1", "GB-T_35018-2018"),
        ("low-altitude-guide-2025.1", "GB-T_43551-2023"), ("low-altitude-guide-2025.1", "GB_42590-2023"),
        ("low-altitude-guide-2025.1", "GB_46750-2025"), ("low-altitude-guide-2025.1", "GB_46761-2025"),
        ("low-altitude-guide-2025.1", "ISO_21384-3-2019"), ("low-altitude-guide-2025.1", "ISO_21384-3-2023"),
        ("low-altitude-guide-2025.1", "MH-T_1069-2018"), ("low-altitude-guide-2025.1", "MH-T_2015-2024"),
        ("low-altitude-guide-2025.1", "MH-T_3030-2023"), ("low-altitude-guide-2025.1", "T-AOPA_0004-2023"),
        ("low-altitude-guide-2025.1", "T-AOPA_0056.1-2024"), ("low-altitude-guide-2025.1", "T-UAV_5-2021"),
        ("low-altitude-guide-2025.3", "T-AOPA_0004-2023"), ("low-altitude-guide-2025.5", "DB41-T_1521-2018"),
        ("low-altitude-guide-2025.5", "T-AOPA_0004-2023"), ("uhd-video-guide-2020.2", "GY-T_364-2023"),
        ("uhd-video-guide-2020.2", "GY-T_365-2023"), ("uhd-video-guide-2020.2", "GY-T_366-2023")]


def test_build_summary_has_the_landscape_lines(built) -> None:
    summary, _ = built
    lines = dict(summary.landscape)
    assert all(f"{label}  " in summary.render() for label in lines)
    assert lines["documents"] == "19 policy documents, 16 serving an industry of the plan"  # + E08, F01, F09 x2
    assert lines["frameworks"] == "9 frameworks, 90 nodes"
    assert lines["framework nodes"] == "E01 56, E03 3, E04 3, E05 4, E06 4, E07 5, F04 10, F05 12, F07 5"
    assert lines["no framework"] == "E02, E08, F01, F02, F03, F06, F08, F09"
    assert lines["catalogue standards"].startswith("200, 200 with a source address")
