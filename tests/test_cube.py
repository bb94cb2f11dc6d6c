"""The coverage statistics as an RDF Data Cube (nigraph.build.cube): observations recount exactly.

The counts are recomputed here in plain Python from the generator's records (benchmarks/catalogue.py,
2,000 synthetic standards), not with SPARQL, and compared with every observation of the cube; the
structure is checked against the Data Cube's integrity constraints that apply (IC-1, IC-2, IC-11,
IC-12, IC-14).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pyoxigraph
import pytest

from nigraph.build.cube import CUBE_GRAPH, QB, build_cube
from nigraph.core.iri import GRAPH, NID, NIG, standard_key
from nigraph.core.load import load_files, project_files

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import catalogue as synthetic  # noqa: E402

NOTICE = "2023-08-03"


def _plan() -> list[pyoxigraph.Quad]:
    quads = load_files(project_files(ROOT), ROOT)
    return [q for q in quads if not q.graph_name.value.startswith(GRAPH + "shapes/")
            and q.graph_name.value != GRAPH + "data/sample-catalogue.ttl"]


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return list(synthetic.records(2000, seed=17))


@pytest.fixture(scope="module")
def cube(records) -> list[pyoxigraph.Quad]:
    lines = "\n".join(line for rec in records for line in synthetic.triples(rec)).encode()
    graph = pyoxigraph.NamedNode(GRAPH + "catalogue/synthetic.nt")
    cat = [pyoxigraph.Quad(t.subject, t.predicate, t.object, graph)
           for t in pyoxigraph.parse(lines, pyoxigraph.RdfFormat.N_TRIPLES)]
    return build_cube(_plan() + cat, ROOT)


def _observations(cube: list[pyoxigraph.Quad], dataset: str) -> dict[tuple[str, ...], dict[str, int]]:
    """dimension values (last IRI segments, in DSD order) → measure local name → value."""
    by_subject: dict[str, dict[str, list[str]]] = {}
    for q in cube:
        by_subject.setdefault(q.subject.value, {}).setdefault(q.predicate.value, []).append(q.object.value)
    dims = {"standards": ("refStandardType", "refIssueYear"),
            "standards-by-industry": ("refIndustry", "refStandardType", "refIssueYear"),
            "standards-by-direction": ("refDirection", "refStandardType")}[dataset]
    out = {}
    for s, props in by_subject.items():
        if props.get(QB + "dataSet") != [NID + "cube/" + dataset]:
            continue
        key = tuple(props[NIG + d][0].rsplit("/", 1)[-1].removeprefix("issue-year-") for d in dims)
        assert key not in out, f"IC-12: two observations for {key}"
        assert all(len(props[NIG + d]) == 1 for d in dims), "IC-11: one value per dimension"
        out[key] = {p[len(NIG):]: int(v[0]) for p, v in props.items() if p.endswith("Count")}
    return out


def _adopted(records: list[dict]) -> set[str]:
    """The conversion rule, in Python: IDT or MOD by a standard that is not withdrawn."""
    return {r["adopted"] for r in records if r["adopted"] and r["degree"] in ("IDT", "MOD") and r["status"] != "withdrawn"}


def test_observations_recount_the_catalogue(records, cube) -> None:
    adopted = _adopted(records)
    want: dict[str, Counter] = {"standards": Counter(), "standards-by-industry": Counter(),
                                "standards-by-direction": Counter()}
    for r in records:
        year = r["issued"][:4]
        counts = Counter(standardCount=1, sinceNoticeCount=int(r["issued"] >= NOTICE),
                         adoptedCount=int(r["number"] in adopted))
        want["standards"][(r["type"], year, "standardCount")] += 1
        want["standards"][(r["type"], year, "servingCount")] += 1  # every synthetic record serves one
        for m in ("sinceNoticeCount", "adoptedCount"):
            want["standards"][(r["type"], year, m)] += counts[m]
        for ind in set(r["industries"]):
            for m, n in counts.items():
                want["standards-by-industry"][(ind, r["type"], year, m)] += n
        for d in set(r["directions"]):
            want["standards-by-direction"][(d, r["type"], "standardCount")] += 1
    for dataset, expected in want.items():
        got = {(*key, m): n for key, measures in _observations(cube, dataset).items() for m, n in measures.items()}
        assert {k: v for k, v in got.items()} == {k: v for k, v in expected.items() if k in got or v}, dataset
        # every cell with a standard is an observation, and no observation is empty
        assert all(v > 0 for k, v in got.items() if k[-1] == "standardCount")
    total = sum(m["standardCount"] for m in _observations(cube, "standards").values())
    assert total == len(records)


def test_adopted_count_needs_an_adopter_in_force(records, cube) -> None:
    """Some adoptions are by withdrawn standards or NEQ (so the rule above is exercised)."""
    by_withdrawn = {r["adopted"] for r in records if r["adopted"] and r["status"] == "withdrawn"}
    assert by_withdrawn - _adopted(records), "the sample has no international standard adopted only by a withdrawn one"
    obs = _observations(cube, "standards")
    assert 0 < sum(m["adoptedCount"] for m in obs.values()) < sum(
        m["standardCount"] for (t, _), m in obs.items() if t == "international")


def test_structure_follows_the_data_cube(cube) -> None:
    store = pyoxigraph.Store()
    store.extend(cube)
    ask = lambda q: store.query("PREFIX qb: <" + QB + ">\n" + q, use_default_graph_as_union=True)  # noqa: E731
    # IC-1, IC-2: each observation has exactly one data set, each data set exactly one structure
    assert not list(ask("SELECT ?o WHERE { ?o a qb:Observation . FILTER NOT EXISTS { ?o qb:dataSet ?d } }"))
    assert not list(ask("SELECT ?d WHERE { ?d a qb:DataSet . FILTER NOT EXISTS { ?d qb:structure ?s } }"))
    # IC-11 and IC-14: every dimension and every measure of the structure has a value
    missing = list(ask("""SELECT ?o ?p WHERE { ?o qb:dataSet/qb:structure/qb:component ?c .
        { ?c qb:dimension ?p } UNION { ?c qb:measure ?p } FILTER NOT EXISTS { ?o ?p ?v } }"""))
    assert not missing
    assert {q.graph_name for q in cube} == {CUBE_GRAPH}


def test_the_cube_is_the_same_on_every_build(records, cube) -> None:
    again = build_cube(list(reversed(_plan())) + [
        pyoxigraph.Quad(t.subject, t.predicate, t.object, pyoxigraph.NamedNode(GRAPH + "other.nt"))
        for t in pyoxigraph.parse("\n".join(l for rec in reversed(records) for l in synthetic.triples(rec)).encode(),
                                  pyoxigraph.RdfFormat.N_TRIPLES)], ROOT)
    assert again == cube


def test_undated_standards_have_the_unknown_year(tmp_path) -> None:
    s = pyoxigraph.NamedNode(NID + "standard/" + standard_key("GB/T 1-2020"))
    g = pyoxigraph.NamedNode(GRAPH + "c.ttl")
    quads = [pyoxigraph.Quad(s, pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                             pyoxigraph.NamedNode(NIG + "Standard"), g),
             pyoxigraph.Quad(s, pyoxigraph.NamedNode(NIG + "standardType"),
                             pyoxigraph.NamedNode(NID + "standard-type/national-recommended"), g)]
    obs = _observations(build_cube(_plan() + quads, ROOT), "standards")
    assert obs == {("national-recommended", "unknown"): {"standardCount": 1, "servingCount": 0, "sinceNoticeCount": 0,
                                                         "adoptedCount": 0}}
