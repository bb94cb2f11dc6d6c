"""Tests on the real ontology/ and data/ of this repository.

They are skipped only while ``data/`` does not exist; once it does, they must pass.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph
import pytest

from conftest import PROJECT_ROOT, in_ci
from nigraph import build
from nigraph.build import BuildSummary
from nigraph.iri import PREFIXES
from nigraph.store import open_store

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
        SELECT DISTINCT ?y WHERE { ?g a nig:Goal ; nig:milestone ?m . ?m time:inXSDgYear ?y } ORDER BY ?y""")
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


@pytest.mark.skipif(shutil.which("java") is None and not in_ci(), reason="java not on PATH")
def test_real_ontology_is_consistent(built) -> None:
    summary, _ = built
    assert summary.consistency.status == "consistent", summary.consistency.detail
