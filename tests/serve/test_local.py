"""Narrow look-ups answered in the server process (issue 15, item 2): the same answer as a query
worker gives, byte for byte, in every media type and dataset; anything wider, bigger than the
budget, or failing goes to the workers."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from nigraph.query.dataset import Dataset
from nigraph.serve.local import BUDGET, anchor, degree_at_most, over_budget
from nigraph.serve.pool import Pool, QueryFailed

E = "http://e/"
HUB = ox.NamedNode(E + "hub")  # BUDGET + 1 quads with it as subject: past the budget
SINK = ox.NamedNode(E + "sink")  # BUDGET + 1 quads with it as object (the default graph's and g2's)


def _write_store(path) -> None:
    store = ox.Store(str(path))
    g1, g2 = ox.NamedNode(E + "g1"), ox.NamedNode(E + "g2")
    quads = [ox.Quad(ox.NamedNode(f"{E}s{i}"), ox.NamedNode(E + "p"), ox.Literal(str(i)), g1) for i in range(50)]
    quads += [ox.Quad(ox.NamedNode(f"{E}s{i}"), ox.NamedNode(E + "q"), ox.NamedNode(f"{E}s{i + 1}"), g2) for i in range(50)]
    quads += [ox.Quad(ox.NamedNode(E + "s3"), ox.NamedNode(E + "label"), ox.Literal("drei", language="de"), g2)]
    quads += [ox.Quad(HUB, ox.NamedNode(E + "p"), ox.Literal(str(i)), g1) for i in range(BUDGET + 1)]
    quads += [ox.Quad(ox.NamedNode(f"{E}t{i}"), ox.NamedNode(E + "r"), SINK, ox.DefaultGraph() if i % 2 else g2)
              for i in range(BUDGET + 1)]
    store.extend(quads)
    store.flush()


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("local") / "store"
    _write_store(path)
    return path


@pytest.fixture(scope="module", params=["disk", "memory"])
def pools(request, store_path):
    """The budget is judged by a count per look-up (disk engine) or by the set computed at start
    (memory). ``there`` answers every query in a worker that reads the on-disk store, as the server
    process does: the same bytes, rows in the same order."""
    here = Pool(store_path, workers=1, max_workers=1, timeout_s=10.0, cache_bytes=0, engine=request.param)
    there = Pool(store_path, workers=1, max_workers=1, timeout_s=10.0, cache_bytes=0, in_process=False)
    try:
        assert (here._heavy is not None) == (request.param == "memory")
        yield here, there
    finally:
        here.close()
        there.close()


def test_the_set_past_the_budget_is_what_the_counts_say(store_path) -> None:
    """over_budget holds exactly the (place, IRI) that degree_at_most refuses, for every IRI in the
    store and every budget tried: a quad in the default graph counts as one in a named graph."""
    disk = ox.Store.read_only(str(store_path))
    memory = ox.Store()
    memory.bulk_extend(disk)
    iris = {t.value for q in disk for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)}
    assert over_budget(memory) == over_budget(disk) == {("s", HUB.value), ("o", SINK.value)}
    for budget in (0, 1, 2, 50, BUDGET):
        expected = {(place, iri) for iri in iris for place in "so" if not degree_at_most(disk, place, iri, budget)}
        assert over_budget(memory, budget) == expected, budget
    assert ("o", E + "s4") in over_budget(memory, 0) and ("o", E + "s4") not in over_budget(memory, 1)  # s3 q s4


NARROW = [
    "SELECT ?p ?o WHERE { <http://e/s3> ?p ?o }",
    "SELECT ?s WHERE { ?s ?p <http://e/s4> }",
    "PREFIX e: <http://e/> SELECT * { e:s3 ?p ?o } LIMIT 2 OFFSET 1",
    "PREFIX e: <http://e/>\nSELECT DISTINCT ?o WHERE { e:s3 e:q ?o . }",
    "SELECT ?g ?p ?o WHERE { GRAPH ?g { <http://e/s3> ?p ?o } }",
    "SELECT ?p ?o WHERE { GRAPH <http://e/g2> { <http://e/s3> ?p ?o } }",
    "# a comment { with braces }\nSELECT ?o { <http://e/s3> a ?o }",
    "SELECT ?p ?o WHERE { <http://e/nothing> ?p ?o }",
]


@pytest.mark.parametrize("query", NARROW)
@pytest.mark.parametrize("media", ["application/sparql-results+json", "application/sparql-results+xml",
                                   "text/csv", "text/tab-separated-values"])
def test_a_narrow_lookup_is_answered_here_as_a_worker_answers_it(pools, query: str, media: str) -> None:
    here, there = pools
    assert anchor(query) is not None
    before = here.answered_here
    assert here.run(query, results=(media,)) == there.run(query, results=(media,))
    assert here.answered_here == before + 1
    assert there.answered_here == 0


@pytest.mark.parametrize("dataset", [Dataset(default=(E + "g2",), named=()), Dataset(default=(), named=(E + "g1",))])
def test_the_protocol_dataset_is_kept(pools, dataset: Dataset) -> None:
    here, there = pools
    query = "SELECT ?p ?o WHERE { <http://e/s3> ?p ?o }"
    before = here.answered_here
    assert here.run(query, results=("text/csv",), dataset=dataset) == there.run(query, results=("text/csv",), dataset=dataset)
    assert here.answered_here == before + 1


def test_a_bound_variable_anchors_the_lookup(pools) -> None:
    here, there = pools
    query, subs = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", {ox.Variable("s"): ox.NamedNode(E + "s3")}
    before = here.answered_here
    answer = here.run(query, results=("text/csv",), substitutions=subs)
    assert answer == there.run(query, results=("text/csv",), substitutions=subs)
    assert sorted(answer.body.decode().splitlines()[1:]) == ["http://e/s3,http://e/label,drei", "http://e/s3,http://e/p,3",
                                                           "http://e/s3,http://e/q,http://e/s4"]
    assert here.answered_here == before + 1


@pytest.mark.parametrize("query", [
    "SELECT ?p ?o WHERE { <http://e/hub> ?p ?o }",  # past the budget: the workers answer
    "SELECT ?s WHERE { ?s <http://e/r> <http://e/sink> }",  # past it as an object
    "SELECT ?o WHERE { <http://e/s3> ?p ?o FILTER(?o != 'x') }",
    "SELECT ?o WHERE { <http://e/s3> ?p ?o } ORDER BY ?o",
    "ASK { <http://e/s3> ?p ?o }",
    "SELECT ?o WHERE { <http://e/s3> <http://e/q>+ ?o }",
])
def test_anything_else_goes_to_the_workers(pools, query: str) -> None:
    here, there = pools
    before = here.answered_here
    a, b = here.run(query, results=("text/csv",)), there.run(query, results=("text/csv",))
    assert (a.kind, a.media_type) == (b.kind, b.media_type)
    assert sorted(a.body.splitlines()) == sorted(b.body.splitlines())  # a memory worker's rows come in its own order
    assert here.answered_here == before


def test_an_error_is_the_workers_error(pools) -> None:
    """No acceptable media type: the same 406 from either path."""
    here, there = pools
    query = "SELECT ?p ?o WHERE { <http://e/s3> ?p ?o }"
    with pytest.raises(QueryFailed) as a:
        here.run(query, results=())
    with pytest.raises(QueryFailed) as b:
        there.run(query, results=())
    assert (a.value.status, str(a.value)) == (b.value.status, str(b.value)) == (406, str(b.value))


@pytest.mark.parametrize("query", [
    "SELECT * { ?s ?p ?o }",
    "SELECT * { <http://e/s> ?p ?o . ?o ?q ?r }",
    "SELECT * { <http://e/s> ?p ?o ; ?q ?r }",
    "SELECT * { <http://e/s> ?p ?o , ?r }",
    "SELECT * { <http://e/s> ?p 'a literal' }",
    "SELECT * { <http://e/s> ?p ?o OPTIONAL { ?o ?q ?r } }",
    "SELECT * { <http://e/s> ?p ?o } VALUES ?o { 1 }",
    "SELECT * { <relative> ?p ?o }",
    "BASE <http://e/> SELECT * { <s> ?p ?o }",
    "SELECT * FROM NAMED <http://e/g> { <http://e/s> ?p ?o }",
    "SELECT * { GRAPH ?g { <http://e/s> ?p ?o }",
    "SELECT * { <http://e/s> ?p ?o } }",
    "SELECT (?o AS ?x) { <http://e/s> ?p ?o }",
    "SELECT * { <http://e/s> ?p ?o } LIMIT 1 OFFSET 1 LIMIT 2 OFFSET 3",
    "SELECT * { undeclared:s ?p ?o }",
    "SELECT * { <http://e/s> ?p ?o } # trailing\n SERVICE",
])
def test_what_is_not_narrow(query: str) -> None:
    assert anchor(query) is None


def test_shared_graphs_keep_every_query_in_the_workers(tmp_path) -> None:
    """Where two graphs hold the same triples, the exact union lives in the workers' memory alone."""
    path = tmp_path / "store"
    store = ox.Store(str(path))
    t = (ox.NamedNode(E + "s"), ox.NamedNode(E + "p"), ox.Literal("o"))
    store.extend([ox.Quad(*t, ox.NamedNode(E + "a")), ox.Quad(*t, ox.NamedNode(E + "b"))])
    store.flush()
    del store
    pool = Pool(path, workers=1, max_workers=1, timeout_s=10.0, cache_bytes=0, engine="memory")
    try:
        answer = pool.run("SELECT ?o WHERE { <http://e/s> ?p ?o }", results=("text/csv",))
        assert answer.body.decode().splitlines() == ["o", "o"]  # the header, then one row: a set union
        assert pool.answered_here == 0 and pool._here is None
    finally:
        pool.close()
