"""Options shared by every command: ``-v/--verbose``, ``-q/--quiet`` and ``--root``."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

__all__ = ["STATE", "verbose_option", "quiet_option", "root_option", "common_options"]

F = TypeVar("F", bound=Callable[..., object])


class _State:
    """Verbosity of the running command; :func:`nigraph.cli.main` reads it after a crash."""

    verbose: int = 0
    quiet: bool = False


STATE = _State()


def _set_verbose(ctx: click.Context, param: click.Parameter, value: int) -> int:
    STATE.verbose = value
    logging.basicConfig(level=logging.DEBUG if value > 1 else logging.INFO if value else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    return value


def _set_quiet(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    STATE.quiet = value
    return value


verbose_option = click.option(
    "-v", "--verbose", count=True, expose_value=False, is_eager=True, callback=_set_verbose,
    help="Say more: -v logs progress and shows tracebacks of unexpected errors; -vv logs debug detail.",
)
quiet_option = click.option(
    "-q", "--quiet", is_flag=True, expose_value=False, callback=_set_quiet,
    help="Print nothing on success; errors and warnings still go to stderr.",
)
root_option = click.option(
    "--root", type=click.Path(exists=True, file_okay=False, path_type=Path), default=Path("."),
    show_default="current directory",
    help="Project directory, holding ontology/, data/ and shapes/.",
)


def common_options(func: F) -> F:
    """Add ``-v``, ``-q`` and ``--root`` to a command (``--root`` is passed as ``root``)."""
    return verbose_option(quiet_option(root_option(func)))  # type: ignore[return-value]
