"""Options shared by every command: ``-v/--verbose``, ``-q/--quiet`` and ``--root``.

``--root`` is resolved by :func:`nigraph.core.project.resolve`: the folder given, else the project
around the current folder, else the sources packaged with nigraph (then outputs default to
``./dist``, see :func:`dist_dir`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from ..core.project import Project, resolve

__all__ = ["STATE", "verbose_option", "quiet_option", "root_option", "common_options", "dist_dir"]

F = TypeVar("F", bound=Callable[..., object])


class _State:
    """Verbosity of the running command; :func:`nigraph.cli.main` reads it after a crash."""

    verbose: int = 0
    quiet: bool = False
    #: The sources the running command reads, and its default output folder.
    project: Project | None = None


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
def _set_root(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
    try:
        project = resolve(value)
    except LookupError as exc:
        raise click.UsageError(str(exc), ctx) from None
    STATE.project = project
    if project.packaged and not STATE.quiet:
        click.echo(f"note: no nigraph project here (no ontology/nigraph.ttl in this folder or above); using the "
                   f"sources packaged with nigraph ({project.root}); outputs go to ./dist; give --root PROJECT "
                   "to use yours", err=True)
    return project.root


root_option = click.option(
    "--root", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None, callback=_set_root,
    help="Project directory, holding ontology/, shapes/, queries/ and data/.  [default: the project around the "
         "current folder (this folder or one above it with ontology/nigraph.ttl), else the sources packaged "
         "with nigraph]. DIST in the defaults of other options is ROOT/dist, or ./dist when the packaged "
         "sources are used.",
)


def dist_dir(root: Path) -> Path:
    """The default output folder: ``ROOT/dist`` in a project, ``./dist`` when the packaged sources are used.

    :param root: the ``root`` the command was given (the resolved ``--root``).
    """
    project = STATE.project
    if project is not None and project.root == root:
        return project.dist
    return root / "dist"


def common_options(func: F) -> F:
    """Add ``-v``, ``-q`` and ``--root`` to a command (``--root`` is passed as ``root``)."""
    return verbose_option(quiet_option(root_option(func)))  # type: ignore[return-value]
