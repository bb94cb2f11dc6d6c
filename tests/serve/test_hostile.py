"""Hostile requests against a running server (issue 8, item 2): nothing falls over, hangs or leaks."""

from __future__ import annotations

import socket
import threading
import time
import urllib.parse

import pytest
from .serve_helpers import Server, request

# A cartesian product of the whole store, three times over: runs for hours if not ended.
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SIMPLE = "ASK { <https://w3id.org/nigraph/id/industry/E01> ?p ?o }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def _query(server: Server, query: str, timeout: float = 30) -> tuple[int, bytes, float]:
    start = time.monotonic()
    status, _, body = request(server.url + "sparql?" + urllib.parse.urlencode({"query": query}),
                              headers={"Accept": "text/csv"}, timeout=timeout)
    return status, body, time.monotonic() - start


def _count(server: Server) -> bytes:
    # A fresh comment each time: the answer must come from the store, not from the answer cache.
    status, body, _ = _query(server, f"{COUNT} # {time.monotonic_ns()}")
    assert status == 200
    return body


def test_cartesian_product_is_cut_at_the_timeout_and_the_next_query_is_prompt(server: Server) -> None:
    status, body, took = _query(server, CARTESIAN)
    assert status == 503 and b"timeout" in body
    assert 1.9 < took < 6
    status, body, took = _query(server, SIMPLE)
    assert status == 200 and b"true" in body
    assert took < 1.5


def test_several_runaway_queries_do_not_starve_others(server: Server) -> None:
    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(_query(server, CARTESIAN)[0])) for _ in range(3)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    try:
        for _ in range(3):
            status, body, took = _query(server, SIMPLE)
            assert status == 200 and b"true" in body, body
            assert took < 2.0  # answered while the runaway queries still run (they end at 2 s)
    finally:
        for t in threads:
            t.join(30)
    assert results == [503, 503, 503]
    assert _query(server, SIMPLE)[0] == 200


@pytest.mark.parametrize("query", ["SELEC * WHERE { ?s ?p ?o }", "SELECT * WHERE { ?s ?p }", "ASK {"])
def test_malformed_query_is_400_with_the_parser_message(server: Server, query: str) -> None:
    status, body, _ = _query(server, query)
    assert status == 400
    assert b"error at 1:" in body  # the engine's parser: line and column


def test_oversized_body_is_413(server: Server) -> None:
    big = ("SELECT * WHERE { ?s ?p ?o } #" + "x" * 70000).encode()
    status, _, _ = request(server.url + "sparql", data=big, headers={"Content-Type": "application/sparql-query"})
    assert status == 413
    assert _query(server, SIMPLE)[0] == 200


UPDATES = [
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "INSERT DATA { <http://e/s> <http://e/p> <http://e/o> }",
    "DROP ALL",
    "CLEAR DEFAULT",
    "DELETE WHERE { ?s ?p ?o }",
    "PREFIX x: <http://e/> INSERT { ?s x:p 1 } WHERE { ?s ?p ?o }",
]


@pytest.mark.parametrize("update", UPDATES)
def test_updates_are_refused_by_every_method_and_change_nothing(server: Server, update: str) -> None:
    before = _count(server)
    url = server.url + "sparql"
    tries = [
        request(url + "?" + urllib.parse.urlencode({"query": update})),
        request(url + "?" + urllib.parse.urlencode({"update": update})),
        request(url, data=urllib.parse.urlencode({"update": update}).encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded"}),
        request(url, data=urllib.parse.urlencode({"query": update}).encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded"}),
        request(url, data=update.encode(), headers={"Content-Type": "application/sparql-update"}),
        request(url, data=update.encode(), headers={"Content-Type": "application/sparql-query"}),
        request(url, data=update.encode(), headers={"Content-Type": "application/sparql-update"}, method="PUT"),
        request(url, method="DELETE"),
    ]
    for status, _, body in tries:
        assert status in (403, 405), (status, body)
    assert _count(server) == before


def test_service_is_refused_and_nothing_is_fetched(server: Server) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(0.5)
        port = listener.getsockname()[1]
        queries = [f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
                   f"SELECT * WHERE {{ service   SILENT <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
                   f"SELECT * WHERE {{ \\u0053ERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"]
        for q in queries:
            status, body, _ = _query(server, q)
            assert status == 403 and b"SERVICE" in body
        with pytest.raises(TimeoutError):
            listener.accept()


TRAVERSALS = [
    "static/..%2fapp.py", "static/%2e%2e/pool.py", "static/%2e%2e%2f%2e%2e%2f__init__.py",
    "static/%252e%252e/app.py", "dumps/..%2fstore%2fCURRENT", "dumps/%2e%2e/%2e%2e/etc/passwd",
    "id/..%2f..%2f..%2f..%2fetc%2fpasswd", "def/%2e%2e%2f%2e%2e%2fetc/passwd", "%2e%2e/%2e%2e/etc/passwd",
    "query/..%2f..%2fetc/passwd", "sparql/..%2f..%2fetc%2fpasswd", "void/%2e%2e", "static/%00style.css",
    "static/style.css%2f..%2f..%2fapp.py", "..%5c..%5cetc%5cpasswd", "id/industry/E01%2f..%2f..%2f..%2fetc%2fpasswd.html",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_encoded_path_traversal_is_404(server: Server, path: str) -> None:
    status, _, body = server.get(path)
    assert status == 404, path
    assert b"root:" not in body and b"import " not in body and b"MANIFEST" not in body


def test_connections_beyond_the_limit_get_503_and_the_server_goes_on(served_data) -> None:
    from .serve_helpers import start_server, stop_server
    store, dumps = served_data
    srv = start_server(store, dumps, "--max-connections", "3", "--workers", "1")
    held = []
    try:
        host, port = srv.url.split("//")[1].rstrip("/").split(":")
        for _ in range(3):  # idle keep-alive connections hold all three slots
            s = socket.create_connection((host, int(port)))
            held.append(s)
        time.sleep(0.3)
        status, body, _ = _query(srv, SIMPLE)
        assert status == 503 and b"too many connections" in body
        for s in held:
            s.close()
        held.clear()
        time.sleep(0.3)
        assert _query(srv, SIMPLE)[0] == 200
    finally:
        for s in held:
            s.close()
        stop_server(srv.process)
