"""``nigraph publish``: unit tests, then tests against a real Virtuoso started by a fixture.

The Virtuoso tests publish the project's real build and run every canned query (``queries/*.rq``)
and the queries in ``tests/fixtures/publish/`` on both stores; the answers must be equal by value.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Triple
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from conftest import FIXTURES, PROJECT_ROOT, in_ci
from nigraph.build.cube import CUBE_GRAPH, build_cube
from nigraph import build
from nigraph.cli import cli
from nigraph.core.iri import INFERRED_GRAPH, PUBLISHED_GRAPH, graph_for, staging_graph
from nigraph.core.load import load_file
from nigraph.publish.graph_store import (CountMismatch, LoginRefused, PublishError, Remote, Unreachable, chunk_triples,
                             publish, read_graphs)
from nigraph.reason.owl import materialize
from nigraph.core.store import build_store, open_store
from sparql_compare import embedded_rows, json_rows
from virtuoso_server import PASSWORD, USER, Virtuoso, executable, free_port

EX = "http://example.org/"
CATALOGUE = FIXTURES / "catalogue" / "catalogue.ttl"
QUERIES = sorted((PROJECT_ROOT / "queries").glob("*.rq")) + sorted((FIXTURES / "publish").glob("*.rq"))


def t(s: str, o: object) -> Triple:
    return Triple(NamedNode(EX + s) if isinstance(s, str) else s, NamedNode(EX + "p"),
                  o if not isinstance(o, str) else NamedNode(EX + o))


# --- no server needed -------------------------------------------------------------------------

def test_chunks_keep_blank_nodes_together_and_respect_the_size() -> None:
    b1, b2, b3 = BlankNode("b1"), BlankNode("b2"), BlankNode("b3")
    triples = [t("a", "x"), t("a", b1), Triple(b1, NamedNode(EX + "p"), b2), t("c", "y"),
               Triple(b2, NamedNode(EX + "q"), Literal("z")), t("d", b3), t("e", "f")]
    chunks = list(chunk_triples(triples, 2))
    assert sorted(map(str, (x for c in chunks for x in c))) == sorted(map(str, triples))
    linked = {str(x) for x in triples if b1 in (x.subject, x.object) or b2 in (x.subject, x.object)}
    assert any(linked <= {str(x) for x in c} for c in chunks)  # b1 and b2 are linked: one chunk
    assert all(len(c) <= 2 for c in chunks if not linked & {str(x) for x in c})
    assert [len(c) for c in chunk_triples(triples, 100)] == [7]
    with pytest.raises(ValueError):
        list(chunk_triples(triples, 0))


def test_read_graphs_refuses_a_store_nigraph_did_not_build() -> None:
    store = pyoxigraph.Store()
    store.add(Quad(NamedNode(EX + "s"), NamedNode(EX + "p"), NamedNode(EX + "o"), NamedNode(EX + "g")))
    with pytest.raises(PublishError, match="does not publish"):
        read_graphs(store)
    store = pyoxigraph.Store()
    store.add(Quad(NamedNode(EX + "s"), NamedNode(EX + "p"), NamedNode(EX + "o")))
    with pytest.raises(PublishError, match="default graph"):
        read_graphs(store)


def test_remote_refuses_non_http_urls() -> None:
    with pytest.raises(PublishError, match="not an http"):
        Remote("ftp://example.org/sparql")


def test_unreachable_store_exits_2(mini_project: Path) -> None:
    assert CliRunner().invoke(cli, ["build", "-q", "--root", str(mini_project)]).exit_code == 0
    port = free_port()
    result = CliRunner().invoke(cli, ["publish", "--root", str(mini_project),
                                      "--endpoint", f"http://127.0.0.1:{port}/sparql"])
    assert result.exit_code == 2
    assert f"cannot reach http://127.0.0.1:{port}/sparql" in result.output


def test_missing_store_and_missing_password_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["publish", "--root", str(tmp_path), "--endpoint", "http://127.0.0.1:9/q"])
    assert result.exit_code == 2 and "no store here" in result.output
    result = CliRunner(env={"NIGRAPH_TEST_UNSET": None}).invoke(cli, [
        "publish", "--root", str(tmp_path), "--endpoint", "http://127.0.0.1:9/q",
        "--user", "dba", "--password-env", "NIGRAPH_TEST_UNSET"])
    assert result.exit_code == 2 and "NIGRAPH_TEST_UNSET is not set" in result.output


def test_publish_help_documents_exit_status() -> None:
    result = CliRunner().invoke(cli, ["publish", "--help"])
    assert result.exit_code == 0
    for text in ("--endpoint", "--graph-store", "--user", "--password-env", "Exit status", "staging"):
        assert text in result.output


# --- a real Virtuoso --------------------------------------------------------------------------

@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory):
    """A private Virtuoso on free loopback ports, stopped at the end whatever happens."""
    if executable() is None:
        if in_ci():
            pytest.fail("virtuoso-t is not installed (.ci/apt-packages/publish.txt lists virtuoso-opensource)")
        pytest.skip("virtuoso-opensource is not installed")
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def real_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's real build plus the queries' fixture catalogue (so that catalogue queries have rows),
    its inferred graph and its coverage cube recomputed over both, as ``nigraph build --catalogue`` would."""
    out = tmp_path_factory.mktemp("publish-build")
    build(PROJECT_ROOT, out / "dist")
    built = open_store(out / "dist" / "store")
    asserted = [q for q in built if q.graph_name not in (INFERRED_GRAPH, CUBE_GRAPH)]
    del built
    catalogue = load_file(CATALOGUE, PROJECT_ROOT) if CATALOGUE.exists() else []
    build_store(asserted + catalogue + materialize(asserted + catalogue) + build_cube(asserted + catalogue, PROJECT_ROOT),
                out / "store")
    return out / "store"


def remote(v: Virtuoso, *, password: str = PASSWORD, gsp: bool = True) -> Remote:
    return Remote(v.sparql_auth, graph_store=v.graph_store if gsp else None, user=USER, password=password)


def cli_publish(v: Virtuoso, store: Path, *extra: str, password: str = PASSWORD):
    env = {"NIGRAPH_TEST_PASSWORD": password}
    return CliRunner(env=env).invoke(cli, [
        "publish", "--store", str(store), "--endpoint", v.sparql_auth, "--graph-store", v.graph_store,
        "--user", USER, "--password-env", "NIGRAPH_TEST_PASSWORD", *extra])


def graph_counts(v: Virtuoso) -> dict[str, int]:
    """Every nigraph graph on the server (published, manifest and staging) with its triple count."""
    rows = Remote(v.sparql).select(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        "FILTER(STRSTARTS(STR(?g), \"https://w3id.org/nigraph/\")) } GROUP BY ?g")
    return {r["g"]: int(r["n"]) for r in rows}


def local_counts(store: Path | pyoxigraph.Store) -> dict[str, int]:
    s = open_store(store) if isinstance(store, Path) else store
    return {g.value: len(list(s.quads_for_pattern(None, None, None, g))) for g in s.named_graphs()}


def published_counts(v: Virtuoso) -> dict[str, int]:
    return {g: n for g, n in graph_counts(v).items() if "/nigraph/graph/" in g and g != PUBLISHED_GRAPH.value}


def manifest(v: Virtuoso) -> set[str]:
    rows = Remote(v.sparql).select(
        f"SELECT ?g WHERE {{ GRAPH {PUBLISHED_GRAPH} {{ {PUBLISHED_GRAPH} <http://purl.org/dc/terms/hasPart> ?g }} }}")
    return {r["g"] for r in rows}


@pytest.fixture(scope="module")
def published(virtuoso: Virtuoso, real_store: Path) -> Virtuoso:
    result = cli_publish(virtuoso, real_store)
    assert result.exit_code == 0, result.output
    return virtuoso


def test_publish_puts_every_graph_and_checks_its_count(published: Virtuoso, real_store: Path) -> None:
    expected = local_counts(real_store)
    assert len(expected) >= 10
    assert published_counts(published) == expected
    assert manifest(published) == set(expected)
    assert not [g for g in graph_counts(published) if "/nigraph/staging/" in g]


def test_publish_again_is_idempotent(published: Virtuoso, real_store: Path) -> None:
    result = cli_publish(published, real_store)
    assert result.exit_code == 0, result.output
    assert result.output.count("[OK]") == len(local_counts(real_store)) and "[ERROR]" not in result.output
    assert published_counts(published) == local_counts(real_store)


def _ids(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


@pytest.mark.parametrize("query", QUERIES, ids=_ids)
def test_every_query_answers_the_same_on_virtuoso(published: Virtuoso, real_store: Path, query: Path) -> None:
    """Strict: every term compared by value, language tags and datatypes included (SPARQLWrapper direct)."""
    text = query.read_text(encoding="utf-8")
    store = open_store(real_store)
    columns, expected = embedded_rows(store, text)
    del store
    assert expected, f"{query.name} gives no rows on the embedded store"
    client = SPARQLWrapper(published.sparql)
    client.setQuery(text)
    client.queryType = "SELECT"  # SPARQLWrapper's guess misreads some #+ headers
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    remote_columns, found = json_rows(client.queryAndConvert())
    assert remote_columns == columns
    assert found == expected, (f"only on Virtuoso: {list((found - expected).elements())[:5]}; "
                               f"only embedded: {list((expected - found).elements())[:5]}")


def _cli_rows(*args: str) -> tuple[list[str], Counter]:
    result = CliRunner().invoke(cli, ["query", "--root", str(PROJECT_ROOT), "--format", "json", *args])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    return data["columns"], Counter(tuple(row[c] for c in data["columns"]) for row in data["rows"])


@pytest.mark.parametrize("query", QUERIES, ids=_ids)
def test_nigraph_query_endpoint_gives_the_embedded_answer(published: Virtuoso, real_store: Path,
                                                          query: Path) -> None:
    """The project's query path: `nigraph query NAME --endpoint URL` against `nigraph query NAME --store`."""
    name = query.stem if query.parent == PROJECT_ROOT / "queries" else str(query)
    columns, embedded = _cli_rows(name, "--store", str(real_store))
    assert embedded, f"{query.name} gives no rows on the embedded store"
    assert _cli_rows(name, "--endpoint", published.sparql) == (columns, embedded)


def _mini_store(tmp_path: Path, quads_by_file: dict[str, list[Triple]]) -> Path:
    path = tmp_path / "store"
    build_store([Quad(x.subject, x.predicate, x.object, graph_for(f))
                 for f, triples in quads_by_file.items() for x in triples], path)
    return path


def test_republish_drops_graphs_no_longer_built_then_restores(published: Virtuoso, real_store: Path,
                                                              tmp_path: Path) -> None:
    small = _mini_store(tmp_path, {"data/industries.ttl": [t("a", "b"), t("a", Literal("甲", language="zh"))],
                                   "data/new.ttl": [t("c", BlankNode()), t("d", Literal("1.5e0", datatype=NamedNode(
                                       "http://www.w3.org/2001/XMLSchema#double")))]})
    try:
        report = publish(small, remote(published, gsp=False), chunk_size=1)
        assert report.ok and report.method == "update" and report.requests == 4
        assert published_counts(published) == {graph_for("data/industries.ttl").value: 2,
                                               graph_for("data/new.ttl").value: 2}
        assert set(report.dropped) == set(local_counts(real_store)) - {graph_for("data/industries.ttl").value}
        assert manifest(published) == {graph_for("data/industries.ttl").value, graph_for("data/new.ttl").value}
    finally:
        assert cli_publish(published, real_store).exit_code == 0
    assert published_counts(published) == local_counts(real_store)


def test_wrong_password_exits_2_and_leaves_the_store_as_it_was(published: Virtuoso, real_store: Path,
                                                               tmp_path: Path) -> None:
    before = graph_counts(published)
    small = _mini_store(tmp_path, {"data/industries.ttl": [t("a", "b")]})
    result = cli_publish(published, small, password="not-the-password")
    assert result.exit_code == 2
    assert f"login refused for user '{USER}' (HTTP 401)" in result.output
    with pytest.raises(LoginRefused):
        publish(small, Remote(published.sparql_auth))  # no login at all
    assert graph_counts(published) == before


def test_graph_store_that_is_not_one_falls_back_to_update(published: Virtuoso, real_store: Path) -> None:
    env = {"NIGRAPH_TEST_PASSWORD": PASSWORD}
    result = CliRunner(env=env).invoke(cli, [
        "publish", "--store", str(real_store), "--endpoint", published.sparql,
        "--update-endpoint", published.sparql_auth,  # public queries, updates with a login
        "--graph-store", published.base + "/no-graph-store-here", "--user", USER,
        "--password-env", "NIGRAPH_TEST_PASSWORD", "--chunk-size", "500"])
    assert result.exit_code == 0, result.output
    assert "falling back to SPARQL Update" in result.output and "by update" in result.output
    assert published_counts(published) == local_counts(real_store)


class _FailingRemote(Remote):
    """Rejects the upload after ``ok`` good requests, as a store that runs out of space would."""

    def __init__(self, *args: object, ok: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.ok = ok

    def put(self, graph: NamedNode, ntriples: bytes) -> None:
        if self.ok == 0:
            raise PublishError(f"{self.graph_url(graph)}: PUT failed: HTTP 500 (injected)")
        self.ok -= 1
        super().put(graph, ntriples)


def test_failed_upload_leaves_what_was_published(published: Virtuoso, real_store: Path, tmp_path: Path) -> None:
    before = graph_counts(published)
    small = _mini_store(tmp_path, {f"data/f{i}.ttl": [t(f"s{i}", "o")] for i in range(4)})
    failing = _FailingRemote(published.sparql_auth, graph_store=published.graph_store, user=USER,
                             password=PASSWORD, ok=2)
    with pytest.raises(PublishError, match="injected"):
        publish(small, failing)
    assert graph_counts(published) == before  # staging graphs dropped, published graphs untouched


def test_store_that_merges_triples_is_caught_before_the_swap(published: Virtuoso, real_store: Path,
                                                             tmp_path: Path) -> None:
    """Virtuoso stores an ill-typed xsd:integer as 0, so "x" and "0" become one triple: exit 1, nothing replaced.

    (Oxigraph, like Virtuoso, already merges "1" and "01".)
    """
    before = graph_counts(published)
    integer = NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    small = _mini_store(tmp_path, {"data/industries.ttl": [t("a", Literal("x", datatype=integer)),
                                                           t("a", Literal("0", datatype=integer))]})
    with pytest.raises(CountMismatch, match="1 of 2 triples"):
        publish(small, remote(published))
    result = cli_publish(published, small)
    assert result.exit_code == 1 and "nothing replaced" in result.output
    assert graph_counts(published) == before


def test_unreachable_store_raises_unreachable(tmp_path: Path, real_store: Path) -> None:
    with pytest.raises(Unreachable, match="cannot reach"):
        publish(real_store, Remote(f"http://127.0.0.1:{free_port()}/sparql-auth"))


def test_staging_graphs_are_not_published_names() -> None:
    g = graph_for("data/goals.ttl")
    assert staging_graph(g).value.startswith("https://w3id.org/nigraph/staging/")
    assert os.path.basename(staging_graph(g).value) == "goals.ttl"


class _RefusingSwap(Remote):
    """Accepts the uploads but refuses the swap request, as Virtuoso does when it is too large."""

    def update(self, update: str) -> None:
        if update.startswith("MOVE"):
            raise PublishError(f"{self.update_endpoint}: POST failed: HTTP 500: Virtuoso 40005 Error SR325: "
                               "Transaction aborted because it's log after image size went above the limit")
        super().update(update)


def test_refused_swap_drops_staging_and_leaves_what_was_published(published: Virtuoso, tmp_path: Path) -> None:
    before = graph_counts(published)
    small = _mini_store(tmp_path, {"data/industries.ttl": [t("a", "b")]})
    refusing = _RefusingSwap(published.sparql_auth, graph_store=published.graph_store, user=USER, password=PASSWORD)
    with pytest.raises(PublishError, match="TransactionAfterImageLimit"):
        publish(small, refusing)
    assert graph_counts(published) == before
