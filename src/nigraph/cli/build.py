"""``nigraph build``: build every release file and the store, print a summary."""

from __future__ import annotations

from pathlib import Path

import click

from ..build.pipeline import build
from ..catalogue.inputs import CatalogueRejected, load_catalogues
from ..core.errors import InputError
from .options import STATE, common_options, dist_dir

__all__ = ["cli"]


@click.command(name="build")
@common_options
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Output directory (created if needed).  [default: DIST]",
)
@click.option(
    "--catalogue", "catalogues", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
    help="A catalogue of standards to build with the project (repeat for several): .csv/.tsv/.json, read "
         "and checked as `nigraph import` does (any rejected row stops the build), or the .ttl/.nt "
         "`nigraph import` writes. Each becomes the graph catalogue/<file name>; report, query, serve "
         "and publish then include it.",
)
def cli(root: Path, out: Path | None, catalogues: tuple[Path, ...]) -> None:
    """Build the graph: load ontology/, data/ (every RDF file: .ttl, .nt, .nq, .trig,
    .jsonld, .rdf, .owl; hidden files, README*, *.md and *.csv are skipped, any other
    file is an error) and shapes/, validate the data against shapes/, materialize
    inferred triples, check consistency with HermiT, compute the coverage statistics
    (an RDF Data Cube, dist/nigraph-cube.ttl), and write dist/nigraph.nq (the
    canonical form every dump is written from), dist/nigraph.ttl, .nt, .jsonld,
    dist/nigraph-inferred.ttl and the store dist/store; then print a summary. With
    --catalogue, catalogues of standards are built with the project (see
    docs/coverage.md). With -v, each stage logs its name, size and time. Nothing in
    dist/ is written or changed when the ontology is inconsistent or the data does
    not conform.

    \b
    Exit status:
      0  built, ontology consistent (or the check was skipped: no Java), data conforms
      1  not built: the ontology and data are inconsistent, or the data does not
         conform to shapes/ (the report is printed to stderr)
      2  a source file or catalogue is missing or invalid (printed as path:line:column:
         message; for a catalogue, every rejected row)
    """
    try:
        summary = build(root, out or dist_dir(root), catalogues=load_catalogues(catalogues, root))
    except InputError as exc:
        click.echo(f"error: {exc}", err=True)
        if isinstance(exc, CatalogueRejected):
            click.echo(exc.listing, err=True, nl=False)
        raise SystemExit(2) from None
    for warning in summary.warnings:
        click.echo(warning, err=True)
    if not STATE.quiet and summary.plan:
        click.echo(summary.plan, err=True)
    if not STATE.quiet:
        click.echo(summary.render())
    if summary.validation is not None and not summary.validation.conforms:
        click.echo(summary.validation.render("text"), err=True)
    if summary.consistency.status == "inconsistent":
        click.echo(f"error: {summary.consistency.detail}", err=True)
    if summary.refused:
        click.echo(f"error: nothing written to {out or dist_dir(root)}/: " + "; ".join(summary.refused), err=True)
        raise SystemExit(1)
