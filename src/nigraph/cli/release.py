"""``nigraph release VERSION``: write dist/releases/VERSION/ from the built store."""

from __future__ import annotations

import re
from pathlib import Path

import click

from ..core.errors import NigraphError
from ..release import make_release
from .options import STATE, common_options, dist_dir

__all__ = ["cli", "issued_from_changelog"]


def issued_from_changelog(root: Path, version: str) -> str | None:
    """The date of ``version``'s entry in ROOT/CHANGELOG.md (a heading ``## [0.2.0] - 2026-12-01``
    or ``## 0.2.0 (2026-12-01)``), or None."""
    path = root / "CHANGELOG.md"
    if not path.is_file():
        return None
    heading = re.compile(r"^#+\s*\[?v?" + re.escape(version) + r"\]?\s*(?:-|–|\()\s*(\d{4}-\d{2}-\d{2})")
    for line in path.read_text(encoding="utf-8").splitlines():
        m = heading.match(line)
        if m:
            return m[1]
    return None


@click.command(name="release")
@common_options
@click.argument("version")
@click.option("--issued", metavar="YYYY-MM-DD", default=None,
              help="Release date (dcterms:issued).  [default: the date of VERSION's entry in ROOT/CHANGELOG.md; "
                   "never the clock]")
@click.option("--previous", metavar="VERSION", default=None,
              help="Release to compare with.  [default: the newest older release in the releases folder]")
@click.option("--store", "store_path", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The store built by `nigraph build`.  [default: DIST/store]")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of releases; the release goes to OUT/VERSION/.  [default: DIST/releases]")
def cli(root: Path, version: str, issued: str | None, previous: str | None, store_path: Path | None,
        out: Path | None) -> None:
    """Release the built graph as VERSION (e.g. 0.2.0): write releases/VERSION/ with
    every dump (owl:versionIRI, owl:versionInfo and dcterms:issued on the ontology
    header), void.ttl (DCAT distributions with SHA-256 checksums), SHA256SUMS, and the
    change log against the previous release: CHANGES.md and changes.ttl (resources
    added, removed and changed per class; triples added and removed). The same store,
    version and date give the same bytes; a release is never rewritten.

    \b
    Exit status:
      0  released
      2  bad version or date, no date given, the release exists, or no store
    """
    dist = dist_dir(root)
    if issued is None:
        issued = issued_from_changelog(root, version)
        if issued is None:
            raise NigraphError(f"give --issued YYYY-MM-DD (no entry for {version} with a date in "
                               f"{root / 'CHANGELOG.md'}); a release never reads the date from the clock")
    release = make_release(store_path or dist / "store", out or dist / "releases", version,
                           issued=issued, previous=previous)
    if not STATE.quiet:
        click.echo(f"released {release.version} -> {release.folder}/ ({len(release.files)} files)")
        click.echo(release.summary)
