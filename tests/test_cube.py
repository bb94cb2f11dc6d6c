"""The coverage statistics as an RDF Data Cube (nigraph.build.cube): observations recount exactly.

The counts are recomputed here in plain Python from the generator's records (benchmarks/catalogue.py,
2,000 synthetic standards), not with SPARQL, and compared with every observation of the cube; the
structure is checked against the Data Cube's integrity constraints that apply (IC-1, IC-2, IC-11,
IC-12, IC-14).
"""

from __future__ import annotations

import datetime as dt
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


def test_number_order_is_the_order_of_the_numbers(cube) -> None:
    """nig:numberOrder, which queries/adopted-international-standards.rq sorts by, is 1..n in the
    order SPARQL's ORDER BY ?number ?standard gives the observations (pyoxigraph sorts here)."""
    store = pyoxigraph.Store()
    store.extend(cube)
    rows = [(s["obs"].value, int(s["order"].value)) for s in store.query(f"""SELECT ?obs ?order WHERE {{
        ?obs <{QB}dataSet> <{NID}cube/adopted-international-standards> ; <{NIG}refStandard> ?standard ;
          <{NIG}numberOrder> ?order . OPTIONAL {{ ?obs <{NIG}refStandardNumber> ?number }} }}
        ORDER BY ?number ?standard""", use_default_graph_as_union=True)]
    assert len(rows) > 50
    assert [order for _, order in rows] == list(range(1, len(rows) + 1))


def test_number_order_without_a_number_or_with_two() -> None:
    """A standard without a number comes first (an unbound ?number sorts first); one with two
    (data the shapes refuse, but the cube stage runs before validation) by its least number."""
    from nigraph.build.cube import DATASETS, Cube, cube_quads

    cells = {name: {} for name in DATASETS}
    cells["adopted-international-standards"] = {(f"http://e/{k}",): {"adopters": 1} for k in "abc"}
    numbers = {"http://e/a": (pyoxigraph.Literal("ISO 9"),),
               "http://e/c": (pyoxigraph.Literal("ISO 8"), pyoxigraph.Literal("ISO 10"))}
    quads = cube_quads(Cube(cells, None, numbers=numbers))
    order = {q.subject.value.rsplit(".", 1)[-1]: q.object.value for q in quads if q.predicate.value == NIG + "numberOrder"}
    assert order == {"b": "1", "c": "2", "a": "3"}  # "ISO 10" < "ISO 8" < "ISO 9", as strings


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


# --- the framework-node data set --------------------------------------------------------------

_SKOS = "http://www.w3.org/2004/02/skos/core#"
_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _node_counts(quads: list[pyoxigraph.Quad]) -> dict[tuple[str, ...], dict[str, int]]:
    """standards-by-framework-node recounted in Python: per framework node, the standards serving it
    (nig:servesNode) and those serving it or a node under it (skos:broader, transitively)."""
    nodes = {q.subject.value for q in quads if q.predicate.value == _TYPE and q.object.value == NIG + "FrameworkNode"}
    standards = {q.subject.value for q in quads if q.predicate.value == _TYPE and q.object.value == NIG + "Standard"}
    up = _up(quads)
    direct: dict[str, set[str]] = {}
    tree: dict[str, set[str]] = {}
    for q in quads:
        if q.predicate.value == NIG + "servesNode" and q.subject.value in standards:
            if q.object.value in nodes:
                direct.setdefault(q.object.value, set()).add(q.subject.value)
            for n in up(q.object.value) & nodes:
                tree.setdefault(n, set()).add(q.subject.value)
    return {(n.rsplit("/", 1)[-1],): {"standardCount": len(direct.get(n, ())), "withNarrowerCount": len(tree[n])}
            for n in tree}


def _framework_observations(cube: list[pyoxigraph.Quad]) -> dict[tuple[str, ...], dict[str, int]]:
    by_subject: dict[str, dict[str, list[str]]] = {}
    for q in cube:
        by_subject.setdefault(q.subject.value, {}).setdefault(q.predicate.value, []).append(q.object.value)
    out = {}
    for s, props in by_subject.items():
        if props.get(QB + "dataSet") == [NID + "cube/standards-by-framework-node"]:
            assert len(props[NIG + "refFrameworkNode"]) == 1
            key = (props[NIG + "refFrameworkNode"][0].rsplit("/", 1)[-1],)
            assert key not in out
            out[key] = {p[len(NIG):]: int(v[0]) for p, v in props.items() if p.endswith("Count")}
    return out


def test_framework_nodes_recount_the_project_sample() -> None:
    """The sample catalogue's nig:servesNode, as worked out by hand in tests/queries (the node and
    the standards serving it or a node under it)."""
    quads = load_files(project_files(ROOT), ROOT)
    obs = _framework_observations(build_cube(quads, ROOT))
    assert obs == _node_counts(quads)
    # the 30 (node, standard) pairs of tests/test_project_data.py::test_framework_nodes_serve_standards_by_rule
    assert obs == {
        ("ai-guide-2024.1.4",): {"standardCount": 1, "withNarrowerCount": 1},  # ISO/IEC 42001:2023
        ("ai-guide-2024.7",): {"standardCount": 4, "withNarrowerCount": 4},  # GB 45438-2025, GB/T 45654/45674-2025, T/CSAC 023-2025
        ("ai-guide-2024.1",): {"standardCount": 0, "withNarrowerCount": 1},
        # GB/T 38258-2019, GB/T 44220-2024, GB/T 45287-2025, ISO/IEC 18039:2019
        ("ai-guide-2020.E.5",): {"standardCount": 4, "withNarrowerCount": 4},
        ("ai-guide-2020.E",): {"standardCount": 0, "withNarrowerCount": 4},
        ("icv-guide-2023.1",): {"standardCount": 1, "withNarrowerCount": 1},  # GB/T 44373-2024
        ("low-altitude-guide-2025.1",): {"standardCount": 14, "withNarrowerCount": 14},  # GB 42590-2023 and 13 E07 rows
        ("low-altitude-guide-2025.3",): {"standardCount": 1, "withNarrowerCount": 1},  # T/AOPA 0004-2023
        ("low-altitude-guide-2025.5",): {"standardCount": 2, "withNarrowerCount": 2},  # DB41/T 1521-2018, T/AOPA 0004-2023
        ("uhd-video-guide-2020.2",): {"standardCount": 3, "withNarrowerCount": 3},  # GY/T 364/365/366-2023
    }


def test_framework_nodes_recount_a_synthetic_catalogue(records) -> None:
    """2,000 synthetic standards, each serving up to three nodes drawn from every framework of
    data/sectors/ (leaves and inner nodes alike, some standards two nodes of one branch)."""
    import random

    plan = _plan()
    nodes = sorted({q.subject.value for q in plan if q.predicate.value == _TYPE and q.object.value == NIG + "FrameworkNode"})
    assert len(nodes) > 50
    rng = random.Random(17)
    graph = pyoxigraph.NamedNode(GRAPH + "catalogue/synthetic.nt")
    lines = "\n".join(line for rec in records for line in synthetic.triples(rec)).encode()
    cat = [pyoxigraph.Quad(t.subject, t.predicate, t.object, graph) for t in pyoxigraph.parse(lines, pyoxigraph.RdfFormat.N_TRIPLES)]
    standards = sorted({q.subject.value for q in cat if q.predicate.value == _TYPE})
    serves = pyoxigraph.NamedNode(NIG + "servesNode")
    for s in standards:
        for node in rng.sample(nodes, rng.randrange(0, 4)):
            cat.append(pyoxigraph.Quad(pyoxigraph.NamedNode(s), serves, pyoxigraph.NamedNode(node), graph))
    quads = plan + cat
    obs = _framework_observations(build_cube(quads, ROOT))
    want = _node_counts(quads)
    assert obs == want
    # inner nodes count their narrower nodes' standards: some node has more with narrower than direct
    assert any(m["withNarrowerCount"] > m["standardCount"] for m in obs.values())
    assert sum(m["standardCount"] for m in obs.values()) == sum(
        1 for q in cat if q.predicate.value == NIG + "servesNode")


# --- the data sets the canned queries read instead of skos:broader* ---------------------------

_TIME = "http://www.w3.org/2006/time#"
_DCT = "http://purl.org/dc/terms/"


def _objects(quads: list[pyoxigraph.Quad], s: str, p: str) -> set[str]:
    return {q.object.value for q in quads if q.subject.value == s and q.predicate.value == p}


def _up(quads: list[pyoxigraph.Quad]):
    broader: dict[str, set[str]] = {}
    for q in quads:
        if q.predicate.value == _SKOS + "broader":
            broader.setdefault(q.subject.value, set()).add(q.object.value)

    def up(x: str) -> set[str]:
        seen, todo = {x}, [x]
        while todo:
            for b in broader.get(todo.pop(), ()):
                if b not in seen:
                    seen.add(b)
                    todo.append(b)
        return seen

    return up


def _generic(cube: list[pyoxigraph.Quad], dataset: str, dims: tuple[str, ...]) -> dict[tuple[str, ...], dict[str, int]]:
    by_subject: dict[str, dict[str, list[str]]] = {}
    for q in cube:
        by_subject.setdefault(q.subject.value, {}).setdefault(q.predicate.value, []).append(q.object.value)
    out = {}
    for props in by_subject.values():
        if props.get(QB + "dataSet") == [NID + "cube/" + dataset]:
            key = tuple(props[NIG + d][0].rsplit("/", 1)[-1].removeprefix("issue-year-") for d in dims)
            assert key not in out and all(len(props[NIG + d]) == 1 for d in dims)
            out[key] = {p[len(NIG):]: int(v[0]) for p, v in props.items() if p.endswith("Count")}
    return out


def test_type_tree_recounts_the_catalogue(records, cube) -> None:
    """standards-by-industry-type-tree: each standard counted under its industry and its type and
    every broader type (a GB/T standard under national-recommended and national)."""
    up = _up(_plan())
    adopted = _adopted(records)
    want: dict[tuple[str, str], Counter] = {}
    for r in records:
        for ind in set(r["industries"]):
            for t in up(NID + "standard-type/" + r["type"]):
                c = want.setdefault((ind, t.rsplit("/", 1)[-1]), Counter())
                c["standardCount"] += 1
                c["sinceNoticeCount"] += r["issued"] >= NOTICE
                c["adoptedCount"] += r["number"] in adopted
    got = _generic(cube, "standards-by-industry-type-tree", ("refIndustry", "refStandardTypeTree"))
    assert got == {k: dict(v) for k, v in want.items()}
    assert any(k[1] == "national" for k in got) and any(k[1] == "national-recommended" for k in got)


def test_target_progress_recounts_the_catalogue(records, cube) -> None:
    """target-progress-by-date and target-progress: per count target of the plan, the standards of
    its counted types (narrower included) issued from the notice's date up to every day and every
    year's end until the end of the milestone year (0 included)."""
    plan = _plan()
    up = _up(plan)
    by_date: Counter = Counter()
    by_year: dict[tuple[str, str], int] = {}
    for target in {q.subject.value for q in plan if q.predicate.value == NIG + "countsStandardType"}:
        if _objects(plan, target, NIG + "unit") != {NID + "unit/item"}:
            continue
        (goal,) = _objects(plan, target, NIG + "targetOf")
        milestones = {int(y[:4]) for m in _objects(plan, goal, NIG + "milestone") for y in _objects(plan, m, _TIME + "inXSDgYear")}
        plans = {q.subject.value for q in plan if q.predicate.value == NIG + "hasGoal" and q.object.value == goal}
        notices = {d for q in plan if q.predicate.value == NIG + "promulgates" and q.object.value in plans
                   for d in _objects(plan, q.subject.value, _DCT + "issued")}
        if not notices or not milestones:  # a sector document's target: no notice promulgates its goal
            continue
        (milestone,), (notice,) = milestones, notices
        counted = _objects(plan, target, NIG + "countsStandardType")
        key = target.rsplit("/", 1)[-1]
        issued = [r["issued"] for r in records
                  if up(NID + "standard-type/" + r["type"]) & counted and notice <= r["issued"] and int(r["issued"][:4]) <= milestone]
        day = dt.date.fromisoformat(notice)
        while day.year <= milestone:  # every day, each with the count up to it
            by_date[(key, day.isoformat())] = sum(1 for d in issued if d <= day.isoformat())
            day += dt.timedelta(days=1)
        for year in range(int(notice[:4]), milestone + 1):
            by_year[(key, str(year))] = sum(1 for d in issued if int(d[:4]) <= year)
    assert len({k[0] for k in by_year}) >= 3 and max(by_date.values()) > 0
    got = _generic(cube, "target-progress-by-date", ("refTarget", "refIssueDate"))
    assert got == {k: {"cumulativeCount": n} for k, n in by_date.items()}
    assert _generic(cube, "target-progress", ("refTarget", "refUpToYear")) == {
        k: {"cumulativeCount": n} for k, n in by_year.items()}


def test_sector_target_progress_recounts_the_catalogue(records, cube) -> None:
    """sector-target-progress: per target of a dated sector document, the standards of its counted
    types (narrower included) serving one of the document's industries, issued from the document's
    date (issued, else available) to the end of the milestone year."""
    plan = _plan()
    up = _up(plan)
    want = {}
    for target in {q.subject.value for q in plan if q.predicate.value == NIG + "countsStandardType"}:
        counted = _objects(plan, target, NIG + "countsStandardType")
        standards = set()
        for goal in _objects(plan, target, NIG + "targetOf"):
            years = {int(y[:4]) for m in _objects(plan, goal, NIG + "milestone") for y in _objects(plan, m, _TIME + "inXSDgYear")}
            for doc in _objects(plan, goal, _DCT + "isPartOf"):
                starts = _objects(plan, doc, _DCT + "issued") or _objects(plan, doc, _DCT + "available")
                industries = {i.rsplit("/", 1)[-1] for i in _objects(plan, doc, NIG + "forIndustry")}
                for start in starts:
                    for year in years:
                        standards |= {r["number"] for r in records
                                      if up(NID + "standard-type/" + r["type"]) & counted and set(r["industries"]) & industries
                                      and start <= r["issued"] and int(r["issued"][:4]) <= year}
        if standards:
            want[(target.rsplit("/", 1)[-1],)] = {"standardCount": len(standards)}
    assert want, "no sector target counts a synthetic standard: the test would check nothing"
    assert _generic(cube, "sector-target-progress", ("refTarget",)) == want
