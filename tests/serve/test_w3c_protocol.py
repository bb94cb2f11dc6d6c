"""The W3C SPARQL 1.1 Protocol tests' requests (w3c/rdf-tests, sparql/sparql11/protocol/manifest.ttl),
written again here, sent to a real ``nigraph serve`` over a store of several named graphs.

Each query test of the manifest is one function named after the test; its request (method, path,
parameters, headers, body) is the manifest's, and the check is the manifest's expected status,
format and boolean. The graphs ``http://kasei.us/2009/09/sparql/data/data{1,2,3}.rdf`` hold what the
manifest's ``ut:graphData`` loads into them (each document typed ``foaf:Document``); one more graph
makes the union differ from every dataset the tests name. The update tests are refused (403) and
change nothing (this server is read-only, which the Protocol allows).
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from nigraph.core.store import build_store

from .serve_helpers import Server, start_server, stop_server

KASEI = "http://kasei.us/2009/09/sparql/data/"
FOAF_DOCUMENT = ox.NamedNode("http://xmlns.com/foaf/0.1/Document")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RESULTS = {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
           "text/tab-separated-values"}
GRAPHS = {"text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"}


@pytest.fixture(scope="module")
def kasei(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    base = tmp_path_factory.mktemp("w3c-protocol")
    quads = [ox.Quad(ox.NamedNode(f"{KASEI}data{i}.rdf"), RDF_TYPE, FOAF_DOCUMENT, ox.NamedNode(f"{KASEI}data{i}.rdf"))
             for i in (1, 2, 3)]
    quads.append(ox.Quad(ox.NamedNode("http://example.org/other"), RDF_TYPE, ox.NamedNode("http://example.org/Thing"),
                         ox.NamedNode("http://example.org/graph/other")))
    build_store(quads, base / "store")
    (base / "dumps").mkdir()
    srv = start_server(base / "store", base / "dumps", "--timeout", "5")
    try:
        yield srv
    finally:
        stop_server(srv.process)


def send(server: Server, method: str, path_and_query: str, body: bytes | None = None,
         headers: dict[str, str] | None = None) -> tuple[int, str, bytes]:
    """One raw HTTP request (no header added for us): status, media type, body."""
    url = urllib.parse.urlsplit(server.url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        conn.putrequest(method, url.path + path_and_query.lstrip("/"), skip_accept_encoding=True)
        for k, v in (headers or {}).items():
            conn.putheader(k, v)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        resp = conn.getresponse()
        return resp.status, (resp.getheader("Content-Type") or "").split(";")[0].strip(), resp.read()
    finally:
        conn.close()


def q(**params: str | list[str]) -> str:
    return "sparql?" + urllib.parse.urlencode(params, doseq=True, quote_via=urllib.parse.quote)


def boolean(media: str, body: bytes) -> bool:
    assert media in ("application/sparql-results+json", "application/sparql-results+xml"), media
    fmt = ox.QueryResultsFormat.JSON if media.endswith("json") else ox.QueryResultsFormat.XML
    result = ox.parse_query_results(body, format=fmt)
    assert isinstance(result, ox.QueryBoolean)
    return bool(result)


def ok(status: int) -> bool:
    return 200 <= status < 400


DATA0 = KASEI + "data0.rdf"
ASK_DEFAULT_12 = (f"ASK {{ <{KASEI}data1.rdf> a ?type . <{KASEI}data2.rdf> a ?type . }}")
ASK_NAMED_12 = (f"ASK {{ GRAPH ?g1 {{ <{KASEI}data1.rdf> a ?type }} GRAPH ?g2 {{ <{KASEI}data2.rdf> a ?type }} }}")
FORM = {"content-type": "application/x-www-form-urlencoded"}
DIRECT = {"content-type": "application/sparql-query"}


def test_query_post_form(kasei: Server) -> None:
    status, media, body = send(kasei, "POST", q(**{"default-graph-uri": DATA0}), b"query=ASK%20%7B%7D", FORM)
    assert ok(status) and boolean(media, body) is True


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_query_dataset_default_graphs(kasei: Server, method: str) -> None:
    graphs = [KASEI + "data1.rdf", KASEI + "data2.rdf"]
    if method == "GET":
        status, media, body = send(kasei, "GET", q(query=ASK_DEFAULT_12, **{"default-graph-uri": graphs}))
    else:
        status, media, body = send(kasei, "POST", q(**{"default-graph-uri": graphs}), ASK_DEFAULT_12.encode(), DIRECT)
    assert ok(status) and boolean(media, body) is True


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_query_dataset_named_graphs(kasei: Server, method: str) -> None:
    graphs = [KASEI + "data1.rdf", KASEI + "data2.rdf"]
    if method == "GET":
        status, media, body = send(kasei, "GET", q(query=ASK_NAMED_12, **{"named-graph-uri": graphs}))
    else:
        status, media, body = send(kasei, "POST", q(**{"named-graph-uri": graphs}), ASK_NAMED_12.encode(), DIRECT)
    assert ok(status) and boolean(media, body) is True


def test_query_dataset_full(kasei: Server) -> None:
    query = (f"ASK {{\n  <{KASEI}data3.rdf> a ?type\n  GRAPH ?g1 {{ <{KASEI}data1.rdf> a ?type }}\n"
             f"  GRAPH ?g2 {{ <{KASEI}data2.rdf> a ?type }}\n}}")
    path = q(**{"default-graph-uri": KASEI + "data3.rdf", "named-graph-uri": [KASEI + "data1.rdf", KASEI + "data2.rdf"]})
    status, media, body = send(kasei, "POST", path, query.encode(), DIRECT)
    assert ok(status) and boolean(media, body) is True


def test_query_multiple_dataset(kasei: Server) -> None:
    query = (f"ASK FROM <{KASEI}data3.rdf> {{ GRAPH ?g1 {{ <{KASEI}data1.rdf> a ?type }} "
             f"GRAPH ?g2 {{ <{KASEI}data2.rdf> a ?type }} }}")
    path = q(**{"named-graph-uri": [KASEI + "data1.rdf", KASEI + "data2.rdf"]})
    status, media, body = send(kasei, "POST", path, query.encode(), DIRECT)
    assert ok(status) and boolean(media, body) is True


def test_query_get(kasei: Server) -> None:
    status, media, body = send(kasei, "GET", q(query="ASK {}", **{"default-graph-uri": DATA0}))
    assert ok(status) and boolean(media, body) is True


@pytest.mark.parametrize(("query", "expected"), [
    ("SELECT (1 AS ?value) {}", RESULTS), ("ASK {}", {"application/sparql-results+json", "application/sparql-results+xml"}),
    ("DESCRIBE <http://example.org/>", GRAPHS), ("CONSTRUCT { <s> <p> 1 } WHERE {}", GRAPHS)],
    ids=["select", "ask", "describe", "construct"])
def test_query_content_type(kasei: Server, query: str, expected: set[str]) -> None:
    status, media, body = send(kasei, "POST", q(**{"default-graph-uri": DATA0}), query.encode(), DIRECT)
    assert ok(status) and media in expected, (status, media, body)


def test_query_post_direct(kasei: Server) -> None:
    status, media, body = send(kasei, "POST", "sparql", b"ASK {}", DIRECT)
    assert ok(status) and boolean(media, body) is True


@pytest.mark.parametrize(("method", "path", "body", "headers"), [
    ("PUT", q(query="ASK {}", **{"default-graph-uri": DATA0}), None, FORM),
    ("GET", "sparql?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D", None, {}),
    ("POST", "sparql", b"ASK {}", {"content-type": "text/plain"}),
    ("POST", "sparql", b"query=ASK%20%7B%7D", {}),
    ("POST", "sparql", b"ASK {}", {}),
    ("POST", "sparql", "ASK {}".encode("utf-16"), {"content-type": "application/sparql-query; charset=UTF-16"}),
    ("GET", "sparql?query=ASK%20%7B", None, {}),
    ("POST", "sparql", b"CLEAR NAMED", {"content-type": "text/plain"}),
    ("POST", "sparql", b"update=CLEAR%20NAMED", {}),
    ("POST", "sparql", "CLEAR NAMED".encode("utf-16"), {"content-type": "application/sparql-update; charset=UTF-16"}),
], ids=["bad_query_method", "bad_multiple_queries", "bad_query_wrong_media_type", "bad_query_missing_form_type",
        "bad_query_missing_direct_type", "bad_query_non_utf8", "bad_query_syntax",
        "bad_update_wrong_media_type", "bad_update_missing_form_type", "bad_update_non_utf8"])
def test_bad_queries_are_4xx(kasei: Server, method: str, path: str, body: bytes | None, headers: dict) -> None:
    status, _, text = send(kasei, method, path, body, headers)
    assert 400 <= status < 500, (status, text)


def _everything(server: Server) -> bytes:
    # a fresh comment each time: the answer comes from the store, not from the answer cache
    query = f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} ORDER BY ?g ?s ?p ?o # {time.monotonic_ns()}"
    status, _, body = send(server, "GET", q(query=query), None, {"accept": "text/csv"})
    assert status == 200
    return body


UPDATE = "CLEAR ALL"
UPDATE_FULL = ("PREFIX foaf: <http://xmlns.com/foaf/0.1/> INSERT { GRAPH <http://example.org/protocol-update-dataset-full-test/> "
               "{ ?s <http://example.org/in> ?in } } WHERE { GRAPH ?g { ?s a foaf:Document } BIND(?g AS ?in) }")
UPDATE_BASE = ("CLEAR SILENT GRAPH <http://example.org/protocol-base-test/> ;\nINSERT DATA { GRAPH "
               "<http://example.org/protocol-base-test/> { <http://example.org/s> <http://example.org/p> <test> } }")
UPDATE_WITH = ("PREFIX foaf: <http://xmlns.com/foaf/0.1/> WITH <http://example/addresses> DELETE { ?person foaf:givenName 'Bill' } "
               "INSERT { ?person foaf:givenName 'William' } WHERE { ?person foaf:givenName 'Bill' }")
SPARQL_UPDATE = {"content-type": "application/sparql-update"}
UPDATE_DATA = f"INSERT DATA {{ GRAPH <{KASEI}data1.rdf> {{ <{KASEI}data1.rdf> a <http://purl.org/dc/terms/BibliographicResource> }} }}"


@pytest.mark.parametrize(("method", "path", "body", "headers"), [
    ("POST", q(**{"using-graph-uri": KASEI + "data1.rdf"}), UPDATE_DATA.encode(), {"content-type": "application/sparql-update"}),
    ("POST", q(**{"using-named-graph-uri": KASEI + "data1.rdf"}), UPDATE.encode(), {"content-type": "application/sparql-update"}),
    ("POST", "sparql", b"update=CLEAR+ALL", FORM),
    ("POST", "sparql", UPDATE.encode(), {"content-type": "application/sparql-update"}),
    ("GET", "sparql?update=CLEAR%20ALL", None, {}),
    ("POST", "sparql", b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", FORM),
    ("POST", "sparql", b"update=CLEAR%20XYZ", FORM),
    ("POST", q(**{"using-graph-uri": [KASEI + "data1.rdf", KASEI + "data2.rdf"]}), b"DROP ALL", SPARQL_UPDATE),
    ("POST", q(**{"using-graph-uri": KASEI + "data1.rdf", "using-named-graph-uri": KASEI + "data2.rdf"}),
     UPDATE_FULL.encode(), SPARQL_UPDATE),
    ("POST", "sparql", UPDATE_BASE.encode(), SPARQL_UPDATE),
    ("POST", q(**{"using-named-graph-uri": "http://example/people"}), UPDATE_WITH.encode(), SPARQL_UPDATE),
], ids=["update_dataset_default_graph", "update_dataset_named_graphs", "update_post_form", "update_post_direct",
        "bad_update_get", "bad_multiple_updates", "bad_update_syntax", "update_dataset_default_graphs",
        "update_dataset_full", "update_base_uri", "bad_update_dataset_conflict"])
def test_updates_are_refused_and_change_nothing(kasei: Server, method: str, path: str, body: bytes | None,
                                                headers: dict) -> None:
    before = _everything(kasei)
    status, _, text = send(kasei, method, path, body, headers)
    assert status == 403, (status, text)
    assert _everything(kasei) == before
    assert before.count(b"\n") == 5  # the header and the four triples


def test_union_is_the_default_without_a_dataset(kasei: Server) -> None:
    status, media, body = send(kasei, "GET", q(query="SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"), None,
                               {"accept": "application/sparql-results+json"})
    assert status == 200
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "4"
