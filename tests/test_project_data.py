"""Tests on the real ontology/ and data/ of this repository.

They are skipped only while ``data/`` does not exist; once it does, they must pass.
"""

from __future__ import annotations

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
