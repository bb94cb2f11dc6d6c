"""``nigraph export``: write dumps of the built store to dist/ (or --out)."""

from __future__ import annotations

from pathlib import Path

import click

from ..export.dumps import FORMATS, export
from .options import STATE, common_options, dist_dir

__all__ = ["cli"]


@click.command(name="export")
@common_options
@click.option("--format", "formats", multiple=True, default=("all",), show_default=True,
              type=click.Choice(sorted(FORMATS) + ["all"]),
              help="Dump format; repeat for several. 'all' writes every one.")
@click.option("--store", "store_path", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The store built by `nigraph build`.  [default: DIST/store]")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output directory.  [default: DIST]")
def cli(root: Path, formats: tuple[str, ...], store_path: Path | None, out: Path | None) -> None:
    """Write dumps of the built graph: Turtle, N-Triples, JSON-LD and RDF/XML (the asserted
    graph), N-Quads and TriG (one named graph per source file, plus the inferred graph), the
    JSON-LD context nigraph-context.jsonld, the VoID/DCAT description void.ttl and SHA256SUMS.
    Every file is written atomically and is byte-identical on rebuild.

    \b
    Exit status:
      0  written
      2  no store (run `nigraph build` first) or the output cannot be written
    """
    chosen = sorted(FORMATS) if "all" in formats else sorted(set(formats))
    written = export(store_path or dist_dir(root) / "store", out or dist_dir(root), chosen)
    if not STATE.quiet:
        click.echo("wrote " + ", ".join(written))
