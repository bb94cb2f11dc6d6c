"""Release version numbers: which are valid, how they sort, which release came before.

Versions are ``MAJOR.MINOR.PATCH`` with an optional pre-release such as ``-rc.1`` (as in
``pyproject.toml``); they sort numerically, and a pre-release before its release.

>>> sorted(["0.10.0", "0.2.0", "0.2.0-rc.1", "1.0.0"], key=version_key)
['0.2.0-rc.1', '0.2.0', '0.10.0', '1.0.0']
>>> check_version("v1")
Traceback (most recent call last):
...
ValueError: release version 'v1' is not MAJOR.MINOR.PATCH (e.g. 0.2.0, or 0.2.0-rc.1)
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["check_version", "version_key", "releases_in", "previous_release", "latest_release"]

_VERSION = re.compile(r"(?P<n>\d+\.\d+\.\d+)(?:-(?P<pre>[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*))?")


def check_version(version: str) -> str:
    """Return ``version`` if it is a valid release version.

    :raises ValueError: otherwise (the message says what to write).
    """
    if not _VERSION.fullmatch(version):
        raise ValueError(f"release version {version!r} is not MAJOR.MINOR.PATCH (e.g. 0.2.0, or 0.2.0-rc.1)")
    return version


def version_key(version: str) -> tuple:
    """A sort key: numbers compared as numbers, a pre-release before the release."""
    m = _VERSION.fullmatch(version)
    if m is None:
        raise ValueError(f"not a release version: {version!r}")
    numbers = tuple(int(x) for x in m["n"].split("."))
    if m["pre"] is None:
        return (numbers, 1, ())
    pre = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in m["pre"].split("."))
    return (numbers, 0, pre)


def releases_in(folder: Path) -> list[str]:
    """The versions released into ``folder`` (sub-folders named by version, holding SHA256SUMS), sorted."""
    if not folder.is_dir():
        return []
    found = [p.name for p in folder.iterdir() if p.is_dir() and _VERSION.fullmatch(p.name) and (p / "SHA256SUMS").is_file()]
    return sorted(found, key=version_key)


def previous_release(folder: Path, version: str) -> str | None:
    """The newest release in ``folder`` older than ``version``, or None."""
    older = [v for v in releases_in(folder) if version_key(v) < version_key(version)]
    return older[-1] if older else None


def latest_release(folder: Path) -> str | None:
    """The newest release in ``folder``, or None."""
    found = releases_in(folder)
    return found[-1] if found else None
