"""``nigraph query``: run a canned query (or a ``.rq`` file) on the store or a SPARQL endpoint."""

from __future__ import annotations

from pathlib import Path

import click

from ..core.errors import NigraphError
from ..core.shared import shared_graphs_of
from ..core.store import open_memory_store, open_store
from ..query.cube_guard import require_cube
from ..query.dataset import Dataset
from ..query.run import FORMATS, bindings_for, find_query, format_result, load_queries, run_query
from .options import STATE, common_options, dist_dir

__all__ = ["cli"]


def _memory_store(root: Path):  # noqa: ANN202 - pyoxigraph.Store
    """The project's graph (asserted + inferred + the coverage cube) in memory, when no store was built."""
    from ..build.cube import build_cube
    from ..core.iri import GRAPH
    from ..core.load import load_files, project_files
    from ..reason.owl import materialize

    quads = [q for q in load_files(project_files(root), root) if not q.graph_name.value.startswith(GRAPH + "shapes/")]
    return open_memory_store(quads + materialize(quads) + build_cube(quads, root))


def _list(root: Path) -> None:
    queries = load_queries(root)
    if not queries:
        where = root / "queries"
        why = "has no .rq files" if where.is_dir() else "does not exist"
        raise NigraphError(f"no canned queries: {where} {why}; run a file with `nigraph query FILE.rq`, "
                           "or give --root PROJECT (outside a project the packaged queries are listed)")
    width = max((len(q.id) for q in queries), default=0)
    for q in queries:
        params = " ".join(f"--param {p}=…" for p in q.params)
        click.echo(f"{q.id.ljust(width)}  {q.title}" + (f"  [{params}]" if params else ""))


@click.command(name="query")
@common_options
@click.argument("name", required=False)
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a parameter (repeatable); IRIs may be <…>, full, or nid:… / nig:… .")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="Output format; csv/tsv/json keep full IRIs, table shortens them.")
@click.option("--endpoint", metavar="URL", default=None,
              help="Ask this SPARQL 1.1 endpoint instead of the embedded store.")
@click.option("--store", "store_path", type=click.Path(path_type=Path), default=None,
              help="Store directory.  [default: DIST/store if built, else the project's files loaded in memory]")
@click.option("--timeout", "timeout_s", type=float, default=None, metavar="SECONDS",
              help="Give up after this many seconds (endpoint: HTTP timeout).")
@click.option("--default-graph", "default_graphs", multiple=True, metavar="IRI",
              help="A graph of the default graph (repeatable; default-graph-uri); replaces the query's FROM.")
@click.option("--named-graph", "named_graphs", multiple=True, metavar="IRI",
              help="A graph GRAPH can match (repeatable; named-graph-uri); replaces FROM NAMED.")
@click.option("--list", "list_", is_flag=True, help="List every canned query with its title and exit.")
def cli(root: Path, name: str | None, params: tuple[str, ...], fmt: str, endpoint: str | None,
        store_path: Path | None, timeout_s: float | None, default_graphs: tuple[str, ...],
        named_graphs: tuple[str, ...], list_: bool) -> None:
    """Run the canned query NAME (an id from queries/, see --list) or the SPARQL query in
    a .rq FILE (its #+ header is optional), on the embedded store or, with --endpoint, on
    any SPARQL 1.1 endpoint. On the store a FILE may also be ASK (one row: ask) or
    CONSTRUCT/DESCRIBE (one row per triple: subject, predicate, object); an endpoint is
    asked for SELECT results only. The default graph is the union of every named graph
    unless FROM / FROM NAMED or --default-graph / --named-graph say otherwise.

    \b
    Examples:
      nigraph query --list
      nigraph query directions-per-industry
      nigraph query directions-of-industry --param industry=nid:industry/F03 --format csv
      nigraph query target-progress --endpoint http://localhost:8890/sparql
      nigraph query my.rq --default-graph https://w3id.org/nigraph/graph/inferred

    \b
    Exit status:
      0  the query ran (an empty result is not an error)
      2  unknown query or parameter, bad value, no store, unreachable endpoint or endpoint error
    """
    if list_:
        _list(root)
        return
    if not name:
        raise NigraphError("give a query name or a .rq file (see `nigraph query --list`)")
    query = find_query(root, name)
    bindings = bindings_for(query, params)
    if endpoint is not None and store_path is not None:
        raise NigraphError("give --endpoint or --store, not both")
    dataset = Dataset.of(default_graphs, named_graphs, names=("--default-graph", "--named-graph"))
    if endpoint is not None:
        require_cube(query.id, query.text, query.tags, lambda check: (
            str(row[0]) for row in run_query(check, endpoint=endpoint, timeout_s=timeout_s).rows), f"the endpoint {endpoint}")
        result = run_query(query.text, endpoint=endpoint, bindings=bindings, timeout_s=timeout_s, dataset=dataset)
    else:
        default = dist_dir(root) / "store"
        store_path = store_path or (default if default.is_dir() else None)
        if store_path is not None:
            store = open_store(store_path)
        else:
            if not STATE.quiet:
                click.echo(f"note: no store at {default}; querying the project's files in memory", err=True)
            store = _memory_store(root)
        # a cube query on a store without the cube (or its data set) would answer 0, silently
        shared = shared_graphs_of(store, store_path)  # recorded by the build
        require_cube(query.id, query.text, query.tags, lambda check: (
            str(row[0]) for row in run_query(check, store=store, shared=shared).rows), "this store")
        result = run_query(query.text, store=store, bindings=bindings, timeout_s=timeout_s, any_form=True,
                           dataset=dataset, shared=shared)
    click.echo(format_result(result, fmt), nl=False)
