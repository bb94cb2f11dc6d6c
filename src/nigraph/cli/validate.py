"""``nigraph validate``: check the project's data, or the user's files with it, against shapes/."""

from __future__ import annotations

from pathlib import Path

import click

from ..core.errors import NigraphError
from ..validate.run import ENGINES, FORMAT_NAMES, validate
from ..validate.results import FAIL_ON
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
              help="fast: each shape compiled to SPARQL on pyoxigraph when the compiler implements all of it, "
                   "else checked by pySHACL (-v says which); pyshacl: the reference engine for everything.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="violation", show_default=True,
              help="The mildest severity that makes the exit status 1.")
@click.option("--without-data", is_flag=True,
              help="Validate FILES with the ontology only, without the project's data/.")
def cli(root: Path, files: tuple[Path, ...], fmt: str | None, report_fmt: str, engine: str, fail_on: str,
        without_data: bool) -> None:
    """Validate against the shapes in shapes/ and the checks in shapes/checks/.

    Without FILES, validates the project's data/. With FILES (Turtle, N-Triples,
    JSON-LD, ...), validates them together with the ontology and the project's data,
    so a catalogue can point to the plan's industries and vocabularies.

    As in SHACL, the data conforms only when there is no result at all, of any
    severity (Violation, Warning, Info).

    \b
    Exit status:
      0  conforms, or only results milder than --fail-on (by default: only
         warnings and infos; the report still says "does not conform")
      1  a result of severity --fail-on or worse (default: a violation; a
         severity outside sh: counts as a violation)
      2  unusable input: a file is missing, a directory, empty, of an unknown
         format, or does not parse (printed as file:line:column: message); or a
         SHACL-SPARQL query SHACL forbids (MINUS, VALUES, SERVICE, ...), which
         is refused before anything runs
    """
    if fmt is not None and fmt not in FORMAT_NAMES:
        raise NigraphError(f"unknown --format {fmt!r} (known: {', '.join(FORMAT_NAMES)})")
    report = validate(root, files, fmt=fmt, engine=engine, with_data=not without_data)
    if STATE.verbose:
        for shape, route, why in report.routes:
            label = {"compiled": "compiled", "pyshacl": "pySHACL ", "note": "note    "}[route]
            click.echo(f"{label} {shape}" + (f": {why}" if why else ""), err=True)
    if report_fmt != "text" or not (STATE.quiet and report.conforms):
        click.echo(report.render(report_fmt))
    raise SystemExit(1 if report.fails(fail_on) else 0)
