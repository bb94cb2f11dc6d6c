"""Error types of nigraph; each family maps to one exit status in the CLI.

>>> str(InputError("data/goals.ttl", 41, 7, "unexpected '.'"))
"data/goals.ttl:41:7: unexpected '.'"
>>> str(InputError("data/goals.ttl", None, None, "file is empty"))
'data/goals.ttl: file is empty'
"""

from __future__ import annotations

from os import PathLike

__all__ = ["NigraphError", "InputError", "one_line"]


_MAX_MESSAGE = 300


def one_line(message: str) -> str:
    r"""Keep a message to one readable line: parsers quote input, which may hold newlines.

    >>> print(one_line("'a\nb' is not a subject"))
    'a\nb' is not a subject
    """
    text = "".join(ch if ch.isprintable() or ch == " " else repr(ch)[1:-1] for ch in message)
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 1] + "…"


class NigraphError(Exception):
    """Base class of every error nigraph reports to a user (exit status 2)."""


class InputError(NigraphError):
    """A source file cannot be read or parsed.

    :param path: the file, as the user should see it (relative to the project root if possible).
    :param line: 1-based line of the error, or ``None``.
    :param column: 1-based column of the error, or ``None``.
    :param message: what is wrong.

    >>> e = InputError("ontology/nigraph.ttl", 3, None, "bad IRI")
    >>> (e.path, e.line, e.column, str(e))
    ('ontology/nigraph.ttl', 3, None, 'ontology/nigraph.ttl:3: bad IRI')
    """

    def __init__(
        self,
        path: str | PathLike[str],
        line: int | None,
        column: int | None,
        message: str,
    ) -> None:
        self.path = str(path)
        self.line = line
        self.column = column
        self.message = one_line(message)
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"
