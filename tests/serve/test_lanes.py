"""The look-up lane (issue 15, item 2): look-ups do not wait behind long queries, and a query
misjudged as a look-up is run again among the query workers, with its answer or timeout unchanged."""

from __future__ import annotations

import threading
import time

import pyoxigraph as ox
import pytest

from nigraph.serve.lanes import is_lookup
from nigraph.serve.pool import Pool, QueryTimeout

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
#: Looks like a look-up (it starts at a fixed IRI) but is a cartesian product of the store.
MISJUDGED = "ASK { <http://e/s1> ?p ?o . ?a ?b ?c . ?d ?e ?f . ?g ?h ?i FILTER(CONCAT(?c, ?f, ?i) = 'none') }"


def _write_store(path) -> None:
    """400 triples <http://e/sN> <http://e/p> "N" in one named graph, on disk at ``path``."""
    store = ox.Store(str(path))
    g = ox.NamedNode("http://e/g")
    store.extend(ox.Quad(ox.NamedNode(f"http://e/s{i}"), ox.NamedNode("http://e/p"), ox.Literal(str(i)), g)
                 for i in range(400))
    store.flush()


@pytest.fixture(scope="module", params=["disk", "memory"])
def pool(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("lanes") / "store"
    _write_store(path)
    p = Pool(path, workers=1, max_workers=1, timeout_s=3.0, cache_bytes=0, engine=request.param, lanes=1, lane_s=0.5)
    try:
        yield p
    finally:
        p.close()


def test_the_lane_comes_beside_the_workers(pool: Pool, tmp_path) -> None:
    """--workers and --max-workers stay the long queries' own (taken from them, a lane halved their
    throughput on two cores)."""
    assert (pool._main.workers, pool._main.max_workers, pool._lane.max_workers) == (1, 1, 1)
    path = tmp_path / "store"
    _write_store(path)
    p = Pool(path, workers=2, max_workers=3, timeout_s=3.0, cache_bytes=0, lanes=1)
    try:
        # the lane's worker starts on the first look-up that needs it, not before (memory)
        assert (p._main.workers, p._main.max_workers, p._lane.max_workers, len(p._main.idle), p._lane.total) == (2, 3, 1, 2, 0)
        p.run("SELECT ?o WHERE { <http://e/s7> ?p ?o }")  # narrow: answered in the server process
        assert (p.answered_here, p._lane.total) == (1, 0)
        p.run("SELECT ?o WHERE { <http://e/s7> ?p ?o FILTER(?o != 'x') }")  # a look-up, not narrow
        assert (p.answered_here, p._lane.total, len(p._lane.idle), len(p._main.idle)) == (1, 1, 1, 2)
    finally:
        p.close()


@pytest.mark.parametrize(("lookup", "here"), [
    ("SELECT ?o WHERE { <http://e/s7> ?p ?o }", True),  # answered in the server process
    ("SELECT ?o WHERE { <http://e/s7> ?p ?o FILTER(?o != 'x') }", False),  # by the lane's worker
])
def test_a_lookup_is_answered_while_a_runaway_query_holds_every_query_worker(pool: Pool, lookup: str, here: bool) -> None:
    failures: list[BaseException] = []
    answered_here = pool.answered_here

    def runaway() -> None:
        try:
            pool.run(RUNAWAY)
        except QueryTimeout as exc:
            failures.append(exc)

    thread = threading.Thread(target=runaway)
    thread.start()
    try:
        time.sleep(0.3)  # the only query worker is on the runaway query
        start = time.monotonic()
        answer = pool.run(lookup, results=("text/csv",))
        took = time.monotonic() - start
        assert answer.body.decode().splitlines() == ["o", "7"]
        assert took < 1.0, took  # without the lane it would wait for the runaway's 3 s timeout
        assert pool.answered_here == answered_here + here
    finally:
        thread.join(30)
    assert len(failures) == 1  # the runaway was still ended at the timeout


def test_a_misjudged_query_is_moved_and_keeps_its_timeout(pool: Pool) -> None:
    assert is_lookup(MISJUDGED)
    demoted, killed = pool.demoted, pool.killed
    start = time.monotonic()
    with pytest.raises(QueryTimeout):
        pool.run(MISJUDGED)
    took = time.monotonic() - start
    assert pool.demoted == demoted + 1 and pool.killed == killed + 1
    assert 3.0 < took < 6.0  # the lane's 0.5 s, then the whole timeout among the query workers
    # the lane's worker was replaced: look-ups go on
    assert pool.run("ASK { <http://e/s1> ?p '1' }").body == b'{"head":{},"boolean":true}'


def test_a_demoted_query_gets_the_same_answer(tmp_path) -> None:
    path = tmp_path / "store"
    _write_store(path)
    # 160,000 pairs to join: far longer than the lane's 10 ms
    query = "SELECT ?c ?f WHERE { <http://e/s1> ?p ?o . ?a ?b ?c . ?d ?e ?f FILTER(CONCAT(?c, '-', ?f) = '39-99') }"
    with_lane = Pool(path, workers=2, max_workers=2, timeout_s=20.0, cache_bytes=0, lanes=1, lane_s=0.01)
    without = Pool(path, workers=1, max_workers=1, timeout_s=20.0, cache_bytes=0)
    try:
        first = with_lane.run(query, results=("text/csv",))
        assert with_lane.demoted == 1
        assert first == without.run(query, results=("text/csv",))
        assert first.body.decode().splitlines() == ["c,f", "39,99"]
    finally:
        with_lane.close()
        without.close()


@pytest.mark.parametrize(("query", "bound", "expected"), [
    ("SELECT ?p ?o WHERE { <https://w3id.org/nigraph/id/standard/S00001> ?p ?o }", (), True),
    ("PREFIX nig: <https://w3id.org/nigraph/def/> SELECT ?p WHERE { GRAPH ?g { nig:Standard ?p ?o } }", (), True),
    ("SELECT ?s WHERE { { ?s ?p ?o } UNION { ?x ?q ?s } } LIMIT 1", ("s",), True),
    ("SELECT ?s WHERE { { ?s ?p ?o } UNION { ?x ?q ?s } } LIMIT 1", (), False),
    ("PREFIX nig: <https://w3id.org/nigraph/def/> SELECT ?industry (COUNT(?s) AS ?n) WHERE { ?s a nig:Standard ; "
     "nig:servesIndustry ?industry } GROUP BY ?industry ORDER BY DESC(?n) ?industry", (), False),
    ("SELECT ?o WHERE { <x:a> <x:p>+ ?o }", (), False),
    ("SELECT ?o WHERE { <x:a> <x:p>? ?o }", (), False),
    ("SELECT ?o WHERE { <x:a> ?p ?o . FILTER(?o = '{ SELECT GROUP')}", (), True),
    ("SELECT (SAMPLE(?o) AS ?x) WHERE { <x:a> ?p ?o }", (), False),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", ("s",), True),
    ("SELECT * WHERE { _:b ?p ?o }", (), False),
])
def test_what_counts_as_a_lookup(query: str, bound: tuple[str, ...], expected: bool) -> None:
    assert is_lookup(query, bound) is expected
