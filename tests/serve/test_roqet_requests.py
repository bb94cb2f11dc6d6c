"""What roqet 0.9.33 sends (captured through a proxy: ``GET /sparql?query=…`` with only
``Accept: application/sparql-results+xml``, whatever the query form) gets the right answer: an XML
boolean for ASK, RDF/XML for CONSTRUCT, equal to the embedded engine's. roqet itself prints no rows
for either (it reads every protocol answer as variable bindings; docs/serve.md), so what is
checked here is the answer it is sent, parsed back."""

from __future__ import annotations

import urllib.parse

import pyoxigraph as ox
import pytest

from nigraph.query.dataset import query_options

from .serve_helpers import Server, request

ROQET_ACCEPT = {"Accept": "application/sparql-results+xml"}
CONSTRUCT = """PREFIX nig: <https://w3id.org/nigraph/def/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?i rdfs:label ?l } WHERE { ?i a nig:EmergingIndustry ; rdfs:label ?l }"""


def _roqet_get(server: Server, query: str) -> tuple[int, dict, bytes]:
    return request(f"{server.url}sparql?{urllib.parse.urlencode({'query': query})}", headers=ROQET_ACCEPT)


@pytest.mark.parametrize(("query", "expected"), [("PREFIX nig: <https://w3id.org/nigraph/def/> ASK { ?g a nig:Goal }", True),
                                                 ("ASK { ?s <urn:nothing> ?o }", False)])
def test_roqets_ask_gets_an_xml_boolean(server: Server, query: str, expected: bool) -> None:
    status, headers, body = _roqet_get(server, query)
    assert status == 200 and headers["content-type"].startswith("application/sparql-results+xml")
    assert bool(ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)) is expected


def test_roqets_construct_gets_rdf_xml(server: Server) -> None:
    status, headers, body = _roqet_get(server, CONSTRUCT)
    assert status == 200 and headers["content-type"].startswith("application/rdf+xml")
    got = {(q.subject, q.predicate, q.object) for q in ox.parse(body, format=ox.RdfFormat.RDF_XML)}
    store = ox.Store.read_only(str(server.store))
    want = {(t.subject, t.predicate, t.object) for t in store.query(CONSTRUCT, **query_options(CONSTRUCT))}
    assert got == want and len(got) == 16
