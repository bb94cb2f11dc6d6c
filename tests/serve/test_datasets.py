"""FROM, FROM NAMED and the protocol's graphs on a real server, both engines; the service
description's counts recounted through the endpoint (issue 13, items 1 and 5)."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import pyoxigraph as ox
import pytest

from nigraph.core.iri import GRAPH

from .serve_helpers import Server, request, start_server, stop_server

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID_TRIPLES = "http://rdfs.org/ns/void#triples"
INDUSTRIES = GRAPH + "data/industries.ttl"
ONTOLOGY = GRAPH + "ontology/nigraph.ttl"


@pytest.fixture(scope="module")
def disk(served_data: tuple[Path, Path]):
    srv = start_server(*served_data, "--engine", "disk", "--cache-mb", "0")
    try:
        yield srv
    finally:
        stop_server(srv.process)


def _count(server: Server, query: str, **params: str | list[str]) -> int:
    qs = urllib.parse.urlencode({"query": query, **params}, doseq=True)
    status, _, body = request(f"{server.url}sparql?{qs}", headers={"Accept": "application/sparql-results+json"})
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def _in_store(store: Path, *graphs: str) -> int:
    """Triples of the merge of ``graphs``, counted in Python from the store's quads."""
    s = ox.Store.read_only(str(store))
    return len({(q.subject, q.predicate, q.object) for g in graphs for q in s.quads_for_pattern(None, None, None, ox.NamedNode(g))})


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.mark.parametrize("engine", ["memory", "disk"])
def test_from_is_the_default_graph(server: Server, disk: Server, engine: str) -> None:
    srv = server if engine == "memory" else disk
    industries = _in_store(srv.store, INDUSTRIES)
    both = _in_store(srv.store, INDUSTRIES, ONTOLOGY)
    assert 0 < industries < both < _count(srv, COUNT)
    assert _count(srv, f"SELECT (COUNT(*) AS ?n) FROM <{INDUSTRIES}> WHERE {{ ?s ?p ?o }}") == industries
    assert _count(srv, f"SELECT (COUNT(*) AS ?n) FROM <{INDUSTRIES}> FROM <{ONTOLOGY}> WHERE {{ ?s ?p ?o }}") == both
    # FROM NAMED alone: the default graph is empty and GRAPH sees only the graphs named
    assert _count(srv, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{INDUSTRIES}> WHERE {{ ?s ?p ?o }}") == 0
    assert _count(srv, f"SELECT (COUNT(DISTINCT ?g) AS ?n) FROM NAMED <{INDUSTRIES}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}") == 1
    # FROM alone: no named graphs
    assert _count(srv, f"SELECT (COUNT(*) AS ?n) FROM <{INDUSTRIES}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}") == 0


@pytest.mark.parametrize("engine", ["memory", "disk"])
def test_protocol_graphs_replace_the_querys_dataset(server: Server, disk: Server, engine: str) -> None:
    srv = server if engine == "memory" else disk
    industries = _in_store(srv.store, INDUSTRIES)
    ontology = _in_store(srv.store, ONTOLOGY)
    from_ontology = f"SELECT (COUNT(*) AS ?n) FROM <{ONTOLOGY}> WHERE {{ ?s ?p ?o }}"
    assert _count(srv, from_ontology) == ontology
    assert _count(srv, from_ontology, **{"default-graph-uri": INDUSTRIES}) == industries
    assert _count(srv, from_ontology, **{"named-graph-uri": INDUSTRIES}) == 0  # default graph: none given
    assert _count(srv, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                  **{"named-graph-uri": [INDUSTRIES, ONTOLOGY]}) == industries + ontology


def test_the_answer_cache_is_keyed_by_the_dataset(server: Server) -> None:
    # the same query text, three datasets: three answers (the memory server caches answers)
    counts = [_count(server, COUNT), _count(server, COUNT, **{"default-graph-uri": INDUSTRIES}),
              _count(server, COUNT, **{"default-graph-uri": ONTOLOGY})]
    assert len(set(counts)) == 3
    assert counts[1:] == [_in_store(server.store, INDUSTRIES), _in_store(server.store, ONTOLOGY)]


def test_a_bad_graph_iri_is_400(server: Server) -> None:
    qs = urllib.parse.urlencode({"query": COUNT, "default-graph-uri": "not an iri"})
    status, _, body = request(f"{server.url}sparql?{qs}")
    assert status == 400 and b"default-graph-uri" in body


def test_service_description_counts_are_recounted(server: Server) -> None:
    status, _, body = request(server.url + "sparql", headers={"Accept": "application/n-triples"})
    assert status == 200
    sd = list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))

    def objects(s, p):  # noqa: ANN001, ANN202
        return [t.object for t in sd if t.subject == s and t.predicate.value == p]

    service = next(t.subject for t in sd if t.object.value == SD + "Service")
    assert ox.NamedNode(SD + "UnionDefaultGraph") in objects(service, SD + "feature")
    (dataset,) = objects(service, SD + "defaultDataset")
    (default,) = objects(dataset, SD + "defaultGraph")
    (stated,) = objects(default, VOID_TRIPLES)
    assert int(stated.value) == _count(server, COUNT) == _count(server, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }")
    named = objects(dataset, SD + "namedGraph")
    s = ox.Store.read_only(str(server.store))
    assert len(named) == len(list(s.named_graphs())) > 3
    for n in named:
        (name,) = objects(n, SD + "name")
        (graph,) = objects(n, SD + "graph")
        (triples,) = objects(graph, VOID_TRIPLES)
        assert int(triples.value) == _count(server, f"SELECT (COUNT(*) AS ?n) FROM <{name.value}> WHERE {{ ?s ?p ?o }}") \
            == _in_store(server.store, name.value), name


@pytest.mark.parametrize("engine", ["memory", "disk"])
def test_a_triple_in_two_graphs_is_counted_once_or_refused(tmp_path: Path, engine: str) -> None:
    from nigraph.core.store import build_store

    e = "http://example.org/"

    def quad(s: str, g: str) -> ox.Quad:
        return ox.Quad(ox.NamedNode(e + s), ox.NamedNode(e + "p"), ox.NamedNode(e + "o"), ox.NamedNode(e + g))

    build_store([quad("a", "g1"), quad("b", "g1"), quad("a", "g2")], tmp_path / "store")
    (tmp_path / "dumps").mkdir()
    srv = start_server(tmp_path / "store", tmp_path / "dumps", "--engine", engine)
    try:
        assert "hold the same triples" in srv.log.read_text()
        qs = urllib.parse.urlencode({"query": COUNT})
        status, _, body = request(f"{srv.url}sparql?{qs}", headers={"Accept": "application/sparql-results+json"})
        if engine == "memory":  # the union kept in memory, as a set: a-p-o once
            assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "2"
        else:
            assert status == 400 and b"count twice" in body
        assert _count(srv, f"SELECT (COUNT(*) AS ?n) FROM <{e}g1> WHERE {{ ?s ?p ?o }}") == 2
        qs = urllib.parse.urlencode({"query": f"SELECT (COUNT(*) AS ?n) FROM <{e}g1> FROM <{e}g2> WHERE {{ ?s ?p ?o }}"})
        assert request(f"{srv.url}sparql?{qs}")[0] == 400
    finally:
        stop_server(srv.process)
