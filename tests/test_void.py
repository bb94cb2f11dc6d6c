"""VoID counts (issue 13, item 5): each count stated is recounted here, in Python, on the graph it
is stated for; a triple in two graphs counts once."""

from __future__ import annotations

import pyoxigraph as ox

from nigraph.core.iri import GRAPH, INFERRED_GRAPH, NID, NIG, PREFIXES
from nigraph.export.void import DATASET, STORE, asserted_graphs, describe

RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
LABEL = ox.NamedNode(PREFIXES["rdfs"] + "label")
VOID = PREFIXES["void"]


def _store() -> ox.Store:
    data, onto, shapes = (ox.NamedNode(GRAPH + p) for p in ("data/tasks.ttl", "ontology/nigraph.ttl", "shapes/task.ttl"))
    task1, task2 = ox.NamedNode(NID + "task/1"), ox.NamedNode(NID + "task/2")
    main, goal = ox.NamedNode(NIG + "MainTask"), ox.NamedNode(NIG + "Goal")
    s = ox.Store()
    s.extend([
        ox.Quad(task1, RDF_TYPE, main, data), ox.Quad(task2, RDF_TYPE, main, data),
        ox.Quad(task1, LABEL, ox.Literal("one", language="en"), data),
        ox.Quad(main, LABEL, ox.Literal("main task", language="en"), onto),
        ox.Quad(main, LABEL, ox.Literal("main task", language="en"), data),  # in two asserted graphs
        ox.Quad(task1, RDF_TYPE, goal, INFERRED_GRAPH), ox.Quad(task1, RDF_TYPE, main, INFERRED_GRAPH),
        ox.Quad(ox.NamedNode(GRAPH + "shapes/TaskShape"), RDF_TYPE, ox.NamedNode(PREFIXES["sh"] + "NodeShape"), shapes),
    ])
    return s


def _stated(void: list[ox.Triple], subject: ox.NamedNode, predicate: str) -> list[int]:
    return [int(t.object.value) for t in void if t.subject == subject and t.predicate.value == VOID + predicate]


def test_every_count_is_recounted() -> None:
    store = _store()
    void = describe(store, endpoint="https://w3id.org/nigraph/sparql", dumps=[])
    asserted = {(q.subject, q.predicate, q.object) for g in asserted_graphs(store)
                for q in store.quads_for_pattern(None, None, None, g)}
    every = {(q.subject, q.predicate, q.object) for q in store}
    assert (len(asserted), len(every)) == (4, 6)  # by hand: 8 quads, 2 of them repeat a triple
    assert _stated(void, DATASET, "triples") == [len(asserted)]
    assert _stated(void, STORE, "triples") == [len(every)]
    assert _stated(void, DATASET, "distinctSubjects") == [len({s for s, _, _ in asserted})]
    assert _stated(void, DATASET, "properties") == [len({p for _, p, _ in asserted})]
    assert _stated(void, DATASET, "distinctObjects") == [len({o for _, _, o in asserted})]
    classes = {o for _, p, o in asserted if p == RDF_TYPE}
    assert _stated(void, DATASET, "classes") == [len(classes)] == [1]
    parts = [t.object for t in void if t.subject == DATASET and t.predicate.value == VOID + "classPartition"]
    assert len(parts) == len(classes)
    for part in parts:
        (cls,) = [t.object for t in void if t.subject == part and t.predicate.value == VOID + "class"]
        assert _stated(void, part, "entities") == [len({s for s, p, o in asserted if p == RDF_TYPE and o == cls})] == [2]
