"""``nigraph report``: the coverage report (HTML + PNG/SVG pictures) of the built store."""

from __future__ import annotations

from pathlib import Path

import click

from ..coverage.figures import compute_coverage
from ..coverage.page import render_report
from ..core.store import open_store
from .options import STATE, common_options, dist_dir

__all__ = ["cli"]


@click.command(name="report")
@common_options
@click.option("--store", "store_path", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The store to report on (built by `nigraph build`).  [default: DIST/store]")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Directory to write (replaced as a whole).  [default: DIST/report]")
@click.option("--year", type=click.IntRange(2023, 2035), default=2025, show_default=True,
              help="Milestone year whose quantitative targets are shown.")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Show where the targets stood on this date (YYYY-MM-DD), counted by the canned query "
                   "target-progress-on-date.  [default: the end of --year]")
def cli(root: Path, store_path: Path | None, out: Path | None, year: int, as_of) -> None:  # noqa: ANN001
    """Write a coverage report: index.html with a heatmap of industries x standard
    types, a progress bar per quantitative target of the year (value reached,
    target, percentage), the count targets year by year since the notice against
    the pace that reaches them, and the standardization directions with no
    standard, each picture as PNG and SVG. Every number is the answer of a canned
    query (nigraph query gives the same); see docs/coverage.md. The directory is self-contained (no external
    assets) and replaced atomically.

    \b
    Exit status:
      0  report written
      2  no store, or it cannot be read
    """
    store = open_store(store_path or dist_dir(root) / "store")
    cov = compute_coverage(store, year=year, root=root, as_of=as_of.date() if as_of else None)
    target = out or dist_dir(root) / "report"
    files = render_report(cov, target)
    if not STATE.quiet:
        click.echo(f"{cov.standards} standards, {len(cov.empty_directions)} of {len(cov.directions)} directions "
                   f"without a standard -> {target}/ ({', '.join(files)})")
