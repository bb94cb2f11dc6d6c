"""Unit tests of the serving modules that need no server: guard, negotiation, canned queries, pool."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from nigraph.serve.examples import load_canned, parse_canned
from nigraph.serve.formats import GRAPHS, PAGES, RESULTS, negotiate
from nigraph.serve.guard import Refused, check_query, keywords
from nigraph.serve.pages import Site, query_page
from nigraph.serve.pool import Pool, QueryFailed, QueryTimeout


@pytest.mark.parametrize("query", [
    'SELECT ?service WHERE { ?s <http://e/SERVICE> "SERVICE" }',
    "PREFIX service: <http://e/> SELECT * WHERE { ?s service:load ?o } # DROP ALL",
    "SELECT * WHERE { ?s ?p '''INSERT\nDATA''' }",
    "ASK { FILTER(1 < 2 && 3 > 2) }",
])
def test_guard_lets_queries_through(query: str) -> None:
    check_query(query)


@pytest.mark.parametrize(("query", "word"), [
    ("SELECT * { SERVICE <http://e/> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * { \\u0053ERVICE <http://e/> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * { \\U00000053ERVICE <http://e/> { ?s ?p ?o } }", "SERVICE"),
    ("load <http://e/x>", "LOAD"),
    ("CLEAR ALL", "CLEAR"),
    ("WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "DELETE"),
])
def test_guard_refuses(query: str, word: str) -> None:
    with pytest.raises(Refused) as exc:
        check_query(query)
    assert exc.value.status == 403 and word in str(exc.value)


def test_keywords_skip_strings_iris_and_comments() -> None:
    assert keywords('SELECT * WHERE { ?s <urn:x:SERVICE> "LOAD" } # DROP') == ["SELECT", "WHERE"]


@pytest.mark.parametrize(("accept", "offered", "expected"), [
    ("application/json", RESULTS, "application/sparql-results+json"),
    ("text/plain", GRAPHS, "application/n-triples"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", PAGES, "text/html"),
    ("application/rdf+xml;q=0.5, text/turtle;q=0.9", PAGES, "text/turtle"),
    ("text/*", RESULTS, "text/csv"),
    ("application/pdf", GRAPHS, None),
])
def test_negotiation(accept: str, offered: tuple[str, ...], expected: str | None) -> None:
    assert negotiate(accept, offered) == expected


def test_canned_reader_is_tolerant(tmp_path: Path) -> None:
    (tmp_path / "b-two.rq").write_text("#+ summary: Two <b>\n#+ description: first\n#+   second\nASK {}\n", encoding="utf-8")
    (tmp_path / "a-one.rq").write_text("SELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    (tmp_path / "bad.rq").write_bytes(b"\xff\xfe\x00")
    found = load_canned(tmp_path)
    assert [q.id for q in found] == ["a-one", "b-two"]
    assert found[1].header == {"summary": "Two <b>", "description": "first second"}
    page = query_page(Site("http://h/"), found, "ASK {}", "")
    assert "Two &lt;b&gt;" in page and "Two <b>" not in page
    assert load_canned(tmp_path / "missing") == []
    assert parse_canned("x", "#+ summary: s\nASK {}\n#+ tags: late\n").header == {"summary": "s"}


@pytest.fixture(scope="module", params=["disk", "memory"])
def pool(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("pool") / "store"
    store = ox.Store(str(path))
    g = ox.NamedNode("http://e/g")
    store.extend(ox.Quad(ox.NamedNode(f"http://e/s{i}"), ox.NamedNode("http://e/p"), ox.Literal(str(i)), g) for i in range(300))
    store.flush()
    del store
    p = Pool(path, workers=1, max_workers=2, timeout_s=1.0, max_result_bytes=4096, cache_bytes=8192,
             engine=request.param)
    try:
        yield p
    finally:
        p.close()


def test_pool_uses_the_union_default_graph_and_substitutions(pool: Pool) -> None:
    answer = pool.run("SELECT ?s ?o WHERE { ?s ?p ?o }", results=("text/csv",),
                      substitutions={ox.Variable("s"): ox.NamedNode("http://e/s7")})
    assert answer.kind == "solutions" and answer.body.decode().splitlines() == ["s,o", "http://e/s7,7"]


def test_pool_ends_runaway_queries_and_recovers(pool: Pool) -> None:
    with pytest.raises(QueryTimeout):
        pool.run("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    assert pool.killed >= 1
    assert pool.run("ASK { ?s ?p ?o }").body == b'{"head":{},"boolean":true}'


def test_pool_caps_result_size_and_reports_syntax(pool: Pool) -> None:
    with pytest.raises(QueryFailed) as exc:
        pool.run("SELECT * WHERE { ?s ?p ?o }")
    assert exc.value.status == 500 and "LIMIT" in str(exc.value)
    with pytest.raises(QueryFailed) as exc:
        pool.run("SELECT * WHERE {")
    assert exc.value.status == 400 and "error at 1:" in str(exc.value)
    with pytest.raises(QueryFailed) as exc:
        pool.run("ASK {}", results=())
    assert exc.value.status == 406


def test_pool_caches_answers_within_its_bound(pool: Pool) -> None:
    query = "SELECT ?o WHERE { <http://e/s1> ?p ?o }"
    first = pool.run(query, results=("text/csv",))
    hits = pool.cache.hits
    assert pool.run(query, results=("text/csv",)) == first
    assert pool.cache.hits == hits + 1
    pool.run(query, results=("text/tab-separated-values",))  # another format is another answer
    assert pool.cache.hits == hits + 1
    for i in range(200):
        pool.run(f"SELECT ?o WHERE {{ <http://e/s{i}> ?p ?o }}")
    assert pool.cache.size <= pool.cache.max_bytes
