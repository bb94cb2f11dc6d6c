"""The ``nigraph`` command line: a click group; each command lives in its own module.

To add a command, write ``cli/<name>.py`` ending in a click command named ``cli`` and add
one line to :data:`COMMANDS`.

May import: any package of nigraph (the CLI only wires them).

Exit status: 0 success, 1 the graph fails a check (e.g. inconsistent), 2 input or runtime error.
"""

from __future__ import annotations

import sys
import traceback

import click

from .. import __version__
from ..core.errors import NigraphError, one_line
from . import build as _build
from . import export as _export
from . import import_ as _import
from . import publish as _publish
from . import query as _query
from . import release as _release
from . import report as _report
from . import serve as _serve
from . import validate as _validate
from .options import STATE

__all__ = ["cli", "main", "COMMANDS"]

#: Every subcommand, one line each.
COMMANDS: tuple[click.Command, ...] = (
    _build.cli,
    _validate.cli,
    _query.cli,
    _export.cli,
    _serve.cli,
    _import.cli,
    _report.cli,
    _publish.cli,
    _release.cli,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="nigraph")
def cli() -> None:
    """nigraph: the knowledge graph of China's New Industry Standardization
    Leading Project (2023-2035), built from ontology/, data/ and shapes/.

    Run `nigraph COMMAND --help` for a command's options.
    """


for _command in COMMANDS:
    cli.add_command(_command)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; turn any error into a one-line message and exit status 2.

    :param argv: arguments (default: ``sys.argv[1:]``).
    """
    try:
        cli.main(args=argv, prog_name="nigraph")
    except NigraphError as exc:
        click.echo(f"error: {one_line(str(exc))}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last guard: no traceback unless asked for
        if STATE.verbose:
            traceback.print_exc()
        first = one_line(str(exc).splitlines()[0]) if str(exc).strip() else ""
        click.echo(f"error: {type(exc).__name__}: {first}", err=True)
        if not STATE.verbose:
            click.echo("hint: run again with -v to see the traceback", err=True)
        sys.exit(2)
