"""``nigraph publish``: upload the built store to a remote SPARQL 1.1 store."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..core.errors import NigraphError
from ..publish.graph_store import CountMismatch, PublishError, Remote, publish
from .options import STATE, common_options, dist_dir

__all__ = ["cli"]


@click.command(name="publish")
@common_options
@click.option("--endpoint", required=True, metavar="URL",
              help="SPARQL query endpoint of the store (also used for updates unless --update-endpoint is given).")
@click.option("--update-endpoint", metavar="URL", default=None,
              help="SPARQL Update endpoint.  [default: the --endpoint URL]")
@click.option("--graph-store", metavar="URL", default=None,
              help="Graph Store HTTP Protocol URL (?graph=IRI is appended). Without it, or if the store "
                   "answers that it has no such service, graphs are sent with SPARQL Update INSERT DATA.")
@click.option("--user", metavar="U", default=None, help="Login name (HTTP Digest or Basic, as the store asks).")
@click.option("--password-env", metavar="VAR", default="NIGRAPH_PASSWORD", show_default=True,
              help="Environment variable holding the password for --user (never given on the command line).")
@click.option("--store", "store_path", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The built store to publish.  [default: DIST/store]")
@click.option("--chunk-size", type=click.IntRange(min=1), default=50_000, show_default=True,
              help="Most triples per upload request.")
@click.option("--timeout", "timeout_s", type=click.FloatRange(min=0, min_open=True), default=300.0,
              show_default=True, help="Seconds to wait for each answer of the store.")
def cli(root: Path, endpoint: str, update_endpoint: str | None, graph_store: str | None, user: str | None,
        password_env: str, store_path: Path | None, chunk_size: int, timeout_s: float) -> None:
    """Publish the built graph (dist/store) to a SPARQL 1.1 store, one named
    graph per source file, replacing what nigraph published there before.

    Each graph goes first to a staging graph (https://w3id.org/nigraph/staging/...);
    only when every staging graph holds the right number of triples are they moved
    into place in one update request, graphs published earlier but no longer built
    are dropped, and the manifest graph https://w3id.org/nigraph/graph/published is
    rewritten. Each graph's triple count is checked again afterwards.

    \b
    Example (Virtuoso):
      NIGRAPH_PASSWORD=dba nigraph publish --user dba \\
        --endpoint http://localhost:8890/sparql-auth \\
        --graph-store http://localhost:8890/sparql-graph-crud-auth

    \b
    Exit status:
      0  published; every graph holds the built number of triples
      1  a graph's triple count on the store differs from the build
         (found before the swap: nothing was replaced)
      2  no built store, bad option, store unreachable, login refused or upload
         rejected (what was published before is left as it was)
    """
    try:
        password = None
        if user is not None:
            password = os.environ.get(password_env)
            if password is None:
                raise PublishError(f"--user {user} given but the environment variable {password_env} is not set")
        remote = Remote(endpoint, update_endpoint=update_endpoint, graph_store=graph_store,
                        user=user, password=password, timeout_s=timeout_s)
        report = publish(store_path or dist_dir(root) / "store", remote, chunk_size=chunk_size)
    except CountMismatch as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(1) from None
    except NigraphError as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(2) from None
    for warning in report.warnings:
        click.echo(warning, err=True)
    if not STATE.quiet or not report.ok:
        click.echo(report.render())
    if not report.ok:
        click.echo("error: the store does not hold exactly the built triples (see [ERROR] lines)", err=True)
        raise SystemExit(1)
