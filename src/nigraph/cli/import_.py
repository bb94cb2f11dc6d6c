"""``nigraph import``: a catalogue of standards (CSV or JSON) → Turtle ``nig:Standard`` resources."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import click

from ..catalogue.parse import Record, load_mapping
from ..core.errors import InputError
from ..catalogue.numbers import load_number_rule
from ..catalogue.sectors import load_sector_map
from ..catalogue.to_rdf import import_catalogue, render_errors
from .options import STATE, common_options

__all__ = ["cli"]

#: Below this many rows no progress bar is drawn, even with --progress.
PROGRESS_MIN_ROWS = 1000


def _progress_bar(enabled: bool) -> object:
    """A text progress bar on stderr (``importing [#####     ] 600/1200``), redrawn about 50 times."""

    def wrap(records: list[Record]) -> Iterator[Record]:
        total = len(records)
        if not enabled or total < PROGRESS_MIN_ROWS:
            yield from records
            return
        step = max(1, total // 50)

        def draw(done: int) -> None:
            filled = 30 * done // total
            sys.stderr.write(f"\rimporting [{'#' * filled}{' ' * (30 - filled)}] {done}/{total}")
            sys.stderr.flush()

        for i, rec in enumerate(records):
            if i % step == 0:
                draw(i)
            yield rec
        draw(total)
        sys.stderr.write("\n")

    return wrap


@click.command(name="import")
@common_options
@click.argument("catalogue", type=click.Path(dir_okay=True, path_type=Path))
@click.option("--mapping", "mapping_path", type=click.Path(path_type=Path), default=None,
              help='JSON file {"catalogue header": "field"} naming columns the importer does not know; '
                   "fields: number, title_zh, title_en, nature, status, issued, implemented, ics, ccs, "
                   "committee, adopted, degree, source.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Turtle file to write (atomically).  [default: standard output]")
@click.option("--errors", "errors_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the rejected rows here: CSV (file,line,number,reason) if the name ends "
                   "in .csv, else one 'file:line: reason' per line.")
@click.option("--sample", is_flag=True, help="Mark every standard nig:isSample true (for data/sample-catalogue).")
@click.option("--progress/--no-progress", default=None,
              help=f"Show a progress bar on stderr for files of {PROGRESS_MIN_ROWS}+ rows.  "
                   "[default: only when stderr is a terminal]")
def cli(root: Path, catalogue: Path, mapping_path: Path | None, out: Path | None, errors_path: Path | None,
        sample: bool, progress: bool | None) -> None:
    """Turn a catalogue of standards (CATALOGUE: .csv or .json) into RDF nig:Standard
    resources. Headers may be Chinese (标准号, 中文标准名称, 英文标准名称, 标准性质, 标准状态,
    发布日期, 实施日期, ICS, CCS, 归口单位, 采用国际标准, 采标程度) or English; the type follows
    from the number, the industries and directions from the ICS codes and title keywords
    (data/ics.ttl, data/industry-keywords.ttl). Rows that are invalid are reported with their
    line and reason on stderr; the valid rows are kept. The output is written whole or not at all.

    \b
    Exit status:
      0  every row imported
      1  some rows were rejected (the others were imported and written)
      2  the file cannot be used (missing, not CSV/JSON, undecodable, no number column)
    """
    try:
        mapping = load_mapping(mapping_path) if mapping_path else None
        sectors = load_sector_map(root)
        show = progress if progress is not None else sys.stderr.isatty()
        result, text = import_catalogue(catalogue, sectors, out=out, errors_out=errors_path, mapping=mapping,
                                        sample=sample, progress=_progress_bar(show),  # type: ignore[arg-type]
                                        rule=load_number_rule(root))
    except InputError as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(2) from None
    cat = result.catalogue
    if cat.errors:
        click.echo(render_errors(cat), err=True, nl=False)
    if cat.unmapped_headers and not STATE.quiet:
        click.echo(f"note: ignored column(s): {', '.join(cat.unmapped_headers)}", err=True)
    if out is None:
        click.echo(text, nl=False)
    if not STATE.quiet:
        click.echo(f"{len(cat.records)} standards imported ({result.triples} triples), "
                   f"{len(cat.errors)} rows rejected" + (f" -> {out}" if out else ""), err=True)
    raise SystemExit(1 if cat.errors else 0)

