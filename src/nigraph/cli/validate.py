"""``nigraph validate``: check the project's data, or the user's files with it, against shapes/."""

from __future__ import annotations

from pathlib import Path

import click

from ..core.errors import NigraphError
from ..validate.run import ENGINES, FORMAT_NAMES, validate
from .options import STATE, common_options

__all__ = ["cli"]


@click.command(name="validate")
@common_options
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", metavar="ttl|nt|jsonld", default=None,
              help="Format of FILES.  [default: from each file's extension: .ttl, .nt, .jsonld, .nq, .trig, .rdf]")
@click.option("--report", "report_fmt", type=click.Choice(["text", "json", "turtle"]), default="text",
              show_default=True,
              help="text: grouped by resource, for people; json; turtle: the SHACL validation report graph.")
@click.option("--engine", type=click.Choice(ENGINES), default="fast", show_default=True,
              help="fast: shapes compiled to SPARQL on pyoxigraph; pyshacl: the reference engine.")
@click.option("--without-data", is_flag=True,
              help="Validate FILES with the ontology only, without the project's data/.")
def cli(root: Path, files: tuple[Path, ...], fmt: str | None, report_fmt: str, engine: str,
        without_data: bool) -> None:
    """Validate against the shapes in shapes/ and the checks in shapes/checks/.

    Without FILES, validates the project's data/. With FILES (Turtle, N-Triples,
    JSON-LD, ...), validates them together with the ontology and the project's data,
    so a catalogue can point to the plan's industries and vocabularies.

    \b
    Exit status:
      0  conforms
      1  violations found (the report says where and what to change)
      2  unusable input: a file is missing, a directory, empty, of an unknown
         format, or does not parse (printed as file:line:column: message)
    """
    if fmt is not None and fmt not in FORMAT_NAMES:
        raise NigraphError(f"unknown --format {fmt!r} (known: {', '.join(FORMAT_NAMES)})")
    report = validate(root, files, fmt=fmt, engine=engine, with_data=not without_data)
    if report_fmt != "text" or not (STATE.quiet and report.conforms):
        click.echo(report.render(report_fmt))
    raise SystemExit(0 if report.conforms else 1)
