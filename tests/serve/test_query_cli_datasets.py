"""``nigraph query --endpoint`` passes --default-graph / --named-graph on as the Protocol's
``default-graph-uri`` / ``named-graph-uri`` (issue 13): the same counts as the embedded engine."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from nigraph.cli import cli
from nigraph.core.iri import GRAPH
from nigraph.query.dataset import Dataset
from nigraph.query.run import run_query

from .serve_helpers import Server

INDUSTRIES = GRAPH + "data/industries.ttl"
ONTOLOGY = GRAPH + "ontology/nigraph.ttl"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


def _in_store(store: Path, *graphs: str) -> int:
    """Triples of the merge of ``graphs``, counted in Python from the store's quads."""
    s = ox.Store.read_only(str(store))
    return len({(q.subject, q.predicate, q.object) for g in graphs
                for q in s.quads_for_pattern(None, None, None, ox.NamedNode(g))})


@pytest.mark.parametrize(("query", "options"), [
    (COUNT, []),
    (COUNT, ["--default-graph", INDUSTRIES]),
    (COUNT, ["--default-graph", INDUSTRIES, "--default-graph", ONTOLOGY]),
    (COUNT, ["--named-graph", INDUSTRIES]),
    (GRAPHS, ["--named-graph", INDUSTRIES, "--named-graph", ONTOLOGY]),
    (GRAPHS, ["--default-graph", INDUSTRIES]),
    (f"SELECT (COUNT(*) AS ?n) FROM <{ONTOLOGY}> WHERE {{ ?s ?p ?o }}", ["--default-graph", INDUSTRIES]),
], ids=["union", "one", "two", "named-only", "named", "default-only", "replaces-from"])
def test_endpoint_gets_the_same_dataset_as_the_store(server: Server, tmp_path: Path, query: str,
                                                     options: list[str]) -> None:
    rq = tmp_path / "q.rq"
    rq.write_text(query + "\n", encoding="utf-8")
    remote = CliRunner().invoke(cli, ["query", "--endpoint", server.url + "sparql", str(rq), "--format", "csv", *options])
    local = CliRunner().invoke(cli, ["query", "--store", str(server.store), str(rq), "--format", "csv", *options])
    assert remote.exit_code == 0 and local.exit_code == 0, (remote.output, local.output)
    assert remote.output == local.output
    default = [options[i + 1] for i, o in enumerate(options) if o == "--default-graph"]
    named = [options[i + 1] for i, o in enumerate(options) if o == "--named-graph"]
    # the answers, worked out from the store's quads
    if query is COUNT:
        expected = _in_store(server.store, *default) if options else len(
            {(q.subject, q.predicate, q.object) for q in ox.Store.read_only(str(server.store))})
        assert remote.output.splitlines() == ["n", str(expected)]
    elif query is GRAPHS:
        expected = ["g,n"] + [f"{g},{_in_store(server.store, g)}" for g in sorted(named)]
        assert remote.output.splitlines() == expected
    else:
        assert remote.output.splitlines() == ["n", str(_in_store(server.store, INDUSTRIES))]
    assert run_query(query, store=ox.Store.read_only(str(server.store)), dataset=Dataset.of(default, named)).rows \
        == run_query(query, endpoint=server.url + "sparql", dataset=Dataset.of(default, named)).rows
