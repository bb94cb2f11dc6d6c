"""The SPARQL 1.1 Protocol at /sparql, checked with real clients: plain HTTP, SPARQLWrapper, roqet."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import urllib.parse

import pyoxigraph as ox
import pytest
from .serve_helpers import Server, request, tool
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

INDUSTRIES = """PREFIX nig: <https://w3id.org/nigraph/def/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?i ?label WHERE { VALUES ?t { nig:EmergingIndustry nig:FutureIndustry } ?i a ?t ; rdfs:label ?label FILTER(LANG(?label) = "zh") } ORDER BY ?i"""
CONSTRUCT = """PREFIX nig: <https://w3id.org/nigraph/def/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?i rdfs:label ?l } WHERE { ?i a nig:EmergingIndustry ; rdfs:label ?l }"""
ASK = "PREFIX nig: <https://w3id.org/nigraph/def/> ASK { ?g a nig:Goal }"


def _get(server: Server, query: str, accept: str | None = None, **extra: str) -> tuple[int, dict, bytes]:
    qs = urllib.parse.urlencode({"query": query, **extra})
    return request(f"{server.url}sparql?{qs}", headers={"Accept": accept} if accept else {})


def _rows(media: str, body: bytes) -> list[tuple[str, str]]:
    """Parse a SELECT ?i ?label result back into (iri, label) pairs, whatever the format."""
    if media == "text/csv":
        return [(r["i"], r["label"]) for r in csv.DictReader(io.StringIO(body.decode("utf-8")))]
    fmt = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
           "application/sparql-results+xml": ox.QueryResultsFormat.XML,
           "text/tab-separated-values": ox.QueryResultsFormat.TSV}[media]
    return [(s["i"].value, s["label"].value) for s in ox.parse_query_results(body, format=fmt)]


@pytest.mark.parametrize("media", ["application/sparql-results+json", "application/sparql-results+xml",
                                   "text/csv", "text/tab-separated-values"])
def test_select_in_every_result_format(server: Server, media: str) -> None:
    status, headers, body = _get(server, INDUSTRIES, media)
    assert status == 200, body
    assert headers["content-type"].startswith(media)
    rows = _rows(media, body)
    assert len(rows) == 17
    assert ("https://w3id.org/nigraph/id/industry/E01", "新一代信息技术") in rows
    assert headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize(("fmt", "media"), [("json", "application/sparql-results+json"), ("csv", "text/csv"),
                                            ("tsv", "text/tab-separated-values"), ("xml", "application/sparql-results+xml")])
def test_format_parameter_wins_for_browsers(server: Server, fmt: str, media: str) -> None:
    status, headers, body = _get(server, INDUSTRIES, "text/html,*/*;q=0.8", format=fmt)
    assert status == 200 and headers["content-type"].startswith(media)
    assert len(_rows(media, body)) == 17


@pytest.mark.parametrize(("media", "fmt"), [("text/turtle", ox.RdfFormat.TURTLE),
                                            ("application/n-triples", ox.RdfFormat.N_TRIPLES),
                                            ("application/ld+json", ox.RdfFormat.JSON_LD),
                                            ("application/rdf+xml", ox.RdfFormat.RDF_XML)])
def test_construct_in_every_graph_format(server: Server, media: str, fmt: ox.RdfFormat) -> None:
    status, headers, body = _get(server, CONSTRUCT, media)
    assert status == 200, body
    assert headers["content-type"].startswith(media)
    triples = list(ox.parse(body, format=fmt))
    assert len(triples) == 16  # 8 emerging industries, an English and a Chinese label each
    if fmt == ox.RdfFormat.TURTLE:  # readable: nigraph's prefixes, not full IRIs
        text = body.decode()
        assert "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> ." in text
        statements = [line for line in text.splitlines() if not line.startswith("@prefix")]
        assert "nid:industry\\/E01 rdfs:label" in text and not any("<http" in line for line in statements)


def test_ask_and_post_forms(server: Server) -> None:
    status, _, body = _get(server, ASK, "application/sparql-results+json")
    assert status == 200 and json.loads(body)["boolean"] is True
    form = urllib.parse.urlencode({"query": INDUSTRIES}).encode()
    status, _, body = request(server.url + "sparql", data=form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"})
    assert status == 200 and len(_rows("text/csv", body)) == 17
    status, _, body = request(server.url + "sparql", data=INDUSTRIES.encode(), headers={
        "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+xml"})
    assert status == 200 and len(_rows("application/sparql-results+xml", body)) == 17


def test_unacceptable_type_is_406(server: Server) -> None:
    status, _, _ = _get(server, INDUSTRIES, "image/png")
    assert status == 406


def test_service_description_without_query(server: Server) -> None:
    status, headers, body = request(server.url + "sparql", headers={"Accept": "text/turtle"})
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    triples = list(ox.parse(body, format=ox.RdfFormat.TURTLE))
    assert any(t.predicate.value == sd + "endpoint" and t.object.value == server.url + "sparql" for t in triples)
    assert any(t.object.value == sd + "UnionDefaultGraph" for t in triples)
    status, headers, _ = request(server.url + "sparql", headers={"Accept": "text/html"}, follow=False)
    assert status == 303 and headers["location"].endswith("/query")


def test_cors_preflight(server: Server) -> None:
    status, headers, _ = request(server.url + "sparql", method="OPTIONS")
    assert status == 204
    assert headers["access-control-allow-origin"] == "*" and "POST" in headers["access-control-allow-methods"]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_and_construct(server: Server, method: str) -> None:
    sw = SPARQLWrapper(server.url + "sparql")
    sw.setMethod(method)
    sw.setQuery(INDUSTRIES)
    for fmt in (JSON, XML, CSV):
        sw.setReturnFormat(fmt)
        result = sw.queryAndConvert()
        if fmt == JSON:
            labels = {b["label"]["value"] for b in result["results"]["bindings"]}
        elif fmt == XML:
            labels = {n.firstChild.data for n in result.getElementsByTagName("literal")}
        else:
            labels = {r["label"] for r in csv.DictReader(io.StringIO(result.decode("utf-8")))}
        assert len(labels) == 17 and "新能源" in labels
    sw.setQuery(CONSTRUCT)
    sw.setReturnFormat(TURTLE)
    graph = sw.queryAndConvert()
    assert len(list(ox.parse(graph, format=ox.RdfFormat.TURTLE))) == 16


@pytest.mark.parametrize("fmt", ["csv", "tsv", "xml"])
def test_roqet_protocol_client(server: Server, fmt: str) -> None:
    roqet = tool("roqet")
    out = subprocess.run([roqet, "-p", server.url + "sparql", "-e", INDUSTRIES, "-R", fmt, "-r", "csv"],
                         capture_output=True, timeout=60)
    assert out.returncode == 0, out.stderr.decode(errors="replace")
    text = out.stdout.decode("utf-8")
    assert "新一代信息技术" in text
    assert len([line for line in text.splitlines() if "/industry/" in line]) == 17
