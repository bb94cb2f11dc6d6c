"""The dataset of a query (issue 13, item 1): FROM, FROM NAMED and given graphs are exact on the
embedded store and through `nigraph query`; without them the default graph is the union of every
graph, as a set. The answers are worked out by hand from the store below."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib.plugins.sparql.parser import parseQuery

from nigraph.cli import cli
from nigraph.core.store import build_store
from nigraph.core.errors import NigraphError
from nigraph.query.dataset import Dataset, DatasetError, has_dataset_clause, query_options, shared_graphs
from nigraph.query.run import run_query

E = "http://example.org/"


def _q(s: str, o: str, g: str) -> ox.Quad:
    return ox.Quad(ox.NamedNode(E + s), ox.NamedNode(E + "p"), ox.NamedNode(E + o), ox.NamedNode(E + g))


# g1: a-b, c-d; g2: e-f, g-h; g3: i-j, and a-b again in g3 only in the "shared" store.
QUADS = [_q("a", "b", "g1"), _q("c", "d", "g1"), _q("e", "f", "g2"), _q("g", "h", "g2"), _q("i", "j", "g3")]
SHARED = _q("a", "b", "g3")


@pytest.fixture()
def store() -> ox.Store:
    s = ox.Store()
    s.extend(QUADS)
    return s


def count(store: ox.Store, query: str, dataset: Dataset = Dataset()) -> int:
    return run_query(query, store=store, dataset=dataset).rows[0][0]


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
FROM_1_2 = "SELECT (COUNT(*) AS ?n) FROM <http://example.org/g1> FROM <http://example.org/g3> WHERE { ?s ?p ?o }"


@pytest.mark.parametrize(("query", "expected"), [
    (COUNT, 5),
    ("SELECT (COUNT(*) AS ?n) FROM <http://example.org/g1> WHERE { ?s ?p ?o }", 2),
    (FROM_1_2, 3),
    ("SELECT (COUNT(*) AS ?n) FROM NAMED <http://example.org/g1> WHERE { ?s ?p ?o }", 0),
    ("SELECT (COUNT(DISTINCT ?g) AS ?n) FROM NAMED <http://example.org/g1> WHERE { GRAPH ?g { ?s ?p ?o } }", 1),
    ("SELECT (COUNT(*) AS ?n) FROM <http://example.org/g1> WHERE { GRAPH ?g { ?s ?p ?o } }", 0),
    ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", 5),
    ("SELECT (COUNT(*) AS ?n) FROM <http://example.org/nothing> WHERE { ?s ?p ?o }", 0),
    ("select (count(*) as ?n)\nfrom named <http://example.org/g2> where { graph ?g { ?s ?p ?o } }", 2),
])
def test_query_dataset_on_the_store(store: ox.Store, query: str, expected: int) -> None:
    assert count(store, query) == expected


def test_given_graphs_replace_the_querys_dataset(store: ox.Store) -> None:
    from_g1 = "SELECT (COUNT(*) AS ?n) FROM <http://example.org/g1> WHERE { ?s ?p ?o }"
    assert count(store, from_g1, Dataset.of([E + "g2"])) == 2
    assert count(store, from_g1, Dataset.of([E + "g2", E + "g3"])) == 3
    assert count(store, from_g1, Dataset.of(named=[E + "g3"])) == 0  # no default graph given: empty
    assert count(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", Dataset.of(named=[E + "g1", E + "g3"])) == 3
    assert count(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", Dataset.of([E + "g1"])) == 0


def test_a_merge_that_would_count_a_triple_twice_is_exact_or_refused(store: ox.Store) -> None:
    store.add(SHARED)  # a-b is now in g1 and g3
    assert shared_graphs(store) == {(E + "g1", E + "g3")}
    # pyoxigraph alone counts a-b twice in the union (6) and in FROM g1 FROM g3 (4); the graph has 5 and 3
    assert next(iter(store.query(COUNT, use_default_graph_as_union=True)))["n"].value == "6"
    assert next(iter(store.query(FROM_1_2)))["n"].value == "4"
    # the union: answered on a copy whose default graph holds it as a set
    assert count(store, COUNT) == 5
    # two FROM, or two default-graph-uri, that share the triple: refused
    for query, dataset in [(FROM_1_2, Dataset()), (COUNT, Dataset.of([E + "g1", E + "g3"]))]:
        with pytest.raises(NigraphError, match="count twice"):
            run_query(query, store=store, dataset=dataset)
    # what does not merge g1 and g3 is still answered
    assert count(store, "SELECT (COUNT(*) AS ?n) FROM <http://example.org/g3> WHERE { ?s ?p ?o }") == 2
    assert count(store, COUNT, Dataset.of([E + "g1", E + "g2"])) == 4
    assert count(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", Dataset.of(named=[E + "g1", E + "g3"])) == 4
    # a caller that found the shared graphs once passes them along
    assert run_query(COUNT, store=store, shared=shared_graphs(store)).rows == [(5,)]
    with pytest.raises(NigraphError, match="count twice"):
        run_query(FROM_1_2, store=store, shared=shared_graphs(store))
    store.remove(SHARED)
    assert shared_graphs(store) == frozenset() and query_options(COUNT) == {"use_default_graph_as_union": True}


@pytest.mark.parametrize("bad", ["relative/iri", "http://e/a b", "<http://e/>", ""])
def test_a_bad_graph_iri_is_refused(bad: str) -> None:
    with pytest.raises(DatasetError):
        Dataset.of([bad])


TRICKY = [
    "SELECT * WHERE { ?s ?p ?o }",
    "SELECT * FROM <http://e/g> WHERE { ?s ?p ?o }",
    "SELECT*FROM<http://e/g>{?s ?p ?o}",
    "ASK FROM NAMED <http://e/g> { GRAPH ?g { ?s ?p ?o } }",
    "CONSTRUCT { ?s ?p ?o } FROM <http://e/g> WHERE { ?s ?p ?o }",
    "DESCRIBE <http://e/x> FROM <http://e/g>",
    "PREFIX from: <http://e/> SELECT ?from WHERE { ?from from:from 'FROM' }",
    'SELECT * WHERE { ?s ?p "x"@from } # FROM <http://e/g>',
    "SELECT * WHERE { ?s <http://e/from> _:from }",
    'SELECT * WHERE { ?s ?p """\nFROM <http://e/g>\n""" }',
    "PREFIX e: <http://e/> SELECT * WHERE { ?s e:a\\-from ?o }",
    "PREFIX e: <http://e/> SELECT * FROM e:g WHERE { ?s ?p ?o }",
    "select * # comment\nfrom <http://e/g> where { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }",
]


@pytest.mark.parametrize("query", TRICKY)
def test_dataset_clauses_are_found_as_rdflib_finds_them(query: str) -> None:
    clause = parseQuery(query)[1].get("datasetClause")
    assert has_dataset_clause(query) == (not isinstance(clause, str) and bool(clause))


def test_nigraph_query_honours_from(tmp_path: Path) -> None:
    build_store(QUADS, tmp_path / "store")
    rq = tmp_path / "from-g2.rq"
    rq.write_text("#+ summary: Triples of g2\n#+ summary_zh: g2 的三元组\n#+ description: Count g2.\n"
                  "#+ description_zh: 计数。\n#+ tags: [test]\n"
                  "SELECT (COUNT(*) AS ?n) FROM <http://example.org/g2> WHERE { ?s ?p ?o }\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["query", "--store", str(tmp_path / "store"), str(rq), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["n", "2"]


def _cli_count(tmp_path: Path, query: str, *options: str) -> object:
    rq = tmp_path / "count.rq"
    rq.write_text(query + "\n", encoding="utf-8")
    return CliRunner().invoke(cli, ["query", "--store", str(tmp_path / "store"), str(rq), "--format", "csv", *options])


GRAPHS_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.mark.parametrize(("query", "options", "expected"), [
    (COUNT, [], 5),
    (COUNT, ["--default-graph", E + "g2"], 2),
    (COUNT, ["--default-graph", E + "g1", "--default-graph", E + "g3"], 3),
    (COUNT, ["--named-graph", E + "g1"], 0),  # only named graphs given: the default graph is empty
    (GRAPHS_COUNT, ["--named-graph", E + "g1", "--named-graph", E + "g2"], 4),
    (GRAPHS_COUNT, ["--default-graph", E + "g1"], 0),  # only a default graph given: no named graphs
    (GRAPHS_COUNT, ["--default-graph", E + "g1", "--named-graph", E + "g3"], 1),
    # the given graphs replace the query's FROM / FROM NAMED (SPARQL 1.1 Protocol §2.1.4), as on the server
    (FROM_1_2, ["--default-graph", E + "g2"], 2),
    ("SELECT (COUNT(*) AS ?n) FROM NAMED <http://example.org/g1> WHERE { GRAPH ?g { ?s ?p ?o } }",
     ["--named-graph", E + "g2", "--named-graph", E + "g3"], 3),
    (COUNT, ["--default-graph", E + "nothing"], 0),
])
def test_nigraph_query_default_and_named_graphs(tmp_path: Path, query: str, options: list[str], expected: int) -> None:
    build_store(QUADS, tmp_path / "store")
    result = _cli_count(tmp_path, query, *options)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["n", str(expected)]


@pytest.mark.parametrize(("options", "message"), [
    (["--default-graph", "relative/g1"], "error: --default-graph 'relative/g1' is not an absolute IRI"),
    (["--named-graph", "http://e/a b"], "error: --named-graph 'http://e/a b' is not an absolute IRI"),
    (["--default-graph", E + "g1", "--default-graph", E + "g3"], "the graphs given for the default graph, "),
])
def test_nigraph_query_refuses_a_bad_or_inexact_dataset(tmp_path: Path, options: list[str], message: str,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    from nigraph.cli import main

    build_store(QUADS + [SHARED], tmp_path / "store")  # a-b in g1 and g3: their merge would count it twice
    rq = tmp_path / "count.rq"
    rq.write_text(COUNT + "\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["query", "--store", str(tmp_path / "store"), str(rq), *options])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and message in err and err.count("\n") == 1, err
    assert "-uri" not in err  # the Protocol's parameter names are not the command's
