"""``nigraph serve``: the SPARQL endpoint, linked-data pages and dumps over the built store."""

from __future__ import annotations

from pathlib import Path

import click

from ..serve import Settings, serve
from .options import STATE, common_options, dist_dir

__all__ = ["cli"]


@click.command(name="serve")
@common_options
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0 picks a free one and prints it).")
@click.option("--base", default=None, metavar="URL",
              help="Public URL of this server; the canonical IRIs https://w3id.org/nigraph/... are "
                   "served under it.  [default: http://HOST:PORT/]")
@click.option("--timeout", "timeout_s", default=30.0, show_default=True, type=click.FloatRange(0.1, 3600),
              help="Seconds a query may run before it is ended (answered with 503).")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Query worker processes kept ready.")
@click.option("--max-workers", default=8, show_default=True, type=click.IntRange(1, 256),
              help="Query worker processes at most (more queries wait).")
@click.option("--lookup-workers", default=1, show_default=True, type=click.IntRange(0, 64),
              help="Query worker processes kept apart, beside --workers, for single-resource look-ups (page views, IRI "
                   "look-ups), so that they never wait behind long queries; 0: none.")
@click.option("--max-body", default=1 << 20, show_default=True, type=click.IntRange(1024, 1 << 30),
              help="Largest request body in bytes (larger gets 413).")
@click.option("--max-connections", default=256, show_default=True, type=click.IntRange(1, 100000),
              help="Open connections at most; more get 503 and are closed.")
@click.option("--cache-mb", default=64, show_default=True, type=click.IntRange(0, 1 << 16),
              help="Memory for answers to repeated queries, in MiB (the store is read-only, so they stay "
                   "right); 0 turns the cache off.")
@click.option("--engine", type=click.Choice(["auto", "memory", "disk"]), default="auto", show_default=True,
              help="Where queries run: memory loads the store once and forks workers from it (3-6x faster "
                   "scans, about 400 bytes a triple per process); disk reads the store from disk in each "
                   "worker (little memory). auto picks memory when (max-workers + 1) copies fit in half "
                   "the available memory.")
@click.option("--store", "store_path", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The store built by `nigraph build`.  [default: DIST/store]")
@click.option("--dumps", "dumps_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Directory of the files `nigraph export` wrote, served under /dumps/.  [default: DIST]")
def cli(root: Path, host: str, port: int, base: str | None, timeout_s: float, workers: int,
        max_workers: int, lookup_workers: int, max_body: int, max_connections: int, cache_mb: int, engine: str, store_path: Path | None, dumps_dir: Path | None) -> None:
    """Serve the built graph read-only: the SPARQL 1.1 Protocol at /sparql, every IRI under
    the base as an HTML page or RDF (content negotiation, 303 See Other), the ontology's
    documentation under /def, VoID at /void, a home page at / and a query page at /query.

    Updates, LOAD and SERVICE are refused; queries end after --timeout seconds. Stop with Ctrl-C.

    \b
    Exit status:
      0  stopped with Ctrl-C
      2  no store (run `nigraph build` first) or the address is in use
    """
    settings = Settings(
        store_path=store_path or dist_dir(root) / "store", dumps_dir=dumps_dir or dist_dir(root),
        queries_dir=root / "queries", host=host, port=port, base=base, timeout_s=timeout_s,
        workers=workers, max_workers=max(workers, max_workers), max_body=max_body, cache_mb=cache_mb,
        max_connections=max_connections, engine=engine, lookup_workers=lookup_workers,
    )
    serve(settings, announce=lambda url: click.echo(f"nigraph serving {url} (Ctrl-C to stop)", err=True),
          progress=lambda line: None if STATE.quiet else click.echo(line, err=True))
