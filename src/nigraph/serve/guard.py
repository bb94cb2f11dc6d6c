"""Refuse what the endpoint never runs, before any engine sees the query.

The endpoint is read-only and never fetches a URL a client names. A query is checked on its
*tokens*: ``\\uXXXX`` escapes are decoded first (SPARQL allows them anywhere), then comments,
strings and IRIs are blanked out, so ``"SERVICE"`` inside a literal or an IRI is not a keyword,
while ``SERVICE`` or an update operation anywhere else is. A query nested too deep for the
engine's parser (:func:`check_depth`) is refused too, before a worker overflows its stack on it.

>>> check_query("SELECT * WHERE { ?s ?p 'SERVICE' } # SERVICE in a comment")
>>> check_query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
Traceback (most recent call last):
...
nigraph.serve.guard.Refused: SERVICE is refused: this endpoint never fetches a URL a client names
>>> check_query("INSERT DATA { <http://e/s> <http://e/p> 1 }")
Traceback (most recent call last):
...
nigraph.serve.guard.Refused: updates are refused: this endpoint is read-only (INSERT)
"""

from __future__ import annotations

import re

from ..core.sparql_lex import OPAQUE, unescape

__all__ = ["Refused", "check_query", "check_depth", "depth", "MAX_DEPTH", "UPDATE_KEYWORDS"]

#: Keywords that start an update operation (SPARQL 1.1 Update, section 3).
UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")

_WORD = re.compile(r"(?<![?$:\w.-])([A-Za-z]+)(?![\w:-])")


class Refused(Exception):
    """A request the endpoint will not run; ``status`` is the HTTP status to answer with.

    :param message: why, for the client.
    :param status: 403 (not allowed) or 400 (not a query).
    """

    def __init__(self, message: str, status: int = 403) -> None:
        super().__init__(message)
        self.status = status



def keywords(query: str) -> list[str]:
    """The bare words of a query outside comments, strings and IRIs, upper-cased, in order.

    :param query: SPARQL text.
    :returns: e.g. ``["SELECT", "WHERE"]``; variables and prefixed names are not words.

    >>> keywords('PREFIX ex: <http://e/service> SELECT ?service WHERE { ?s ex:LOAD "DROP" }')
    ['PREFIX', 'SELECT', 'WHERE']
    """
    text = OPAQUE.sub(" ", unescape(query))
    return [m.group(1).upper() for m in _WORD.finditer(text)]


def check_query(query: str) -> None:
    """Raise :class:`Refused` if a query asks for an update or a ``SERVICE`` call, or is too deep to parse.

    Malformed queries pass here; the engine's parser reports them (HTTP 400).

    :param query: the text of the ``query`` parameter.
    :raises Refused: with status 403 for ``SERVICE`` or any update operation, 400 for a query
        nested deeper than :data:`MAX_DEPTH`.
    """
    check_depth(query)
    words = set(keywords(query))
    if "SERVICE" in words:
        raise Refused("SERVICE is refused: this endpoint never fetches a URL a client names")
    # WITH, ADD, COPY... are not SPARQL query keywords at all, so a query that uses them is an update.
    found = [w for w in UPDATE_KEYWORDS if w in words]
    if found:
        raise Refused(f"updates are refused: this endpoint is read-only ({', '.join(found)})")


#: The deepest query the endpoint parses (see :func:`check_depth`).
MAX_DEPTH = 1000
_BLANKED = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n\r]*"
    r"|\\.",
    re.S,
)
# What deepens the parse tree without a bracket: binary operators (each one nests the expression
# before it: a+b+c is ((a+b)+c)) and the keywords that join group patterns.
_STEP = re.compile(r"\|\||&&|!=|<=|>=|[=<>+\-*/|^!]|(?<![\w?$:])(?:UNION|OPTIONAL|MINUS|FILTER|BIND)(?![\w:])",
                   re.I)
_TOKEN = re.compile(r"[({\[]|[)}\]]|" + _STEP.pattern, re.I)


# Words that hold operator characters but are operands: prefixed names (ex:a-b, _:b-1),
# language tags (@zh-Hans), datatype markers (^^) and numbers with exponents (1e-5).
_OPERANDS = re.compile(r"\^\^|@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\d[\d.]*[eE][+-]?\d+|[A-Za-z_][\w.-]*:[\w.:%-]*|:[\w.:%-]*")


def depth(query: str) -> int:
    """An upper bound of how deep the engine's parser recurses on a query: along the deepest path,
    one for each open bracket plus one for each operator met at each level so far.

    >>> depth("SELECT * { ?s ?p ?o }"), depth("SELECT (1+1+1 AS ?x) {}"), depth("SELECT * " + "{" * 9 + "}" * 9)
    (2, 3, 10)
    """
    text = _OPERANDS.sub(" ", _BLANKED.sub(" ", unescape(query)))
    deepest, levels = 0, [0]  # operators met on each open level
    for m in _TOKEN.finditer(text):
        t = m.group(0)
        if t in "({[":
            levels.append(0)
        elif t in ")}]":
            if len(levels) > 1:
                levels.pop()
        else:
            levels[-1] += 1
        deepest = max(deepest, len(levels) - 1 + sum(levels))
    return deepest


_DEEPENING = "({[=<>+-*/|^!&"
_DEEPENING_WORDS = ("UNION", "OPTIONAL", "MINUS", "FILTER", "BIND")


def _most(query: str) -> int:
    """A quick bound of :func:`depth`: every character or keyword that could open a level, plus
    every escape (which could stand for one).

    >>> _most("SELECT * { ?s ?p ?o }") >= depth("SELECT * { ?s ?p ?o }")
    True
    """
    upper = query.upper()
    return (sum(map(query.count, _DEEPENING)) + sum(map(upper.count, _DEEPENING_WORDS))
            + query.count("\\u") + query.count("\\U"))


def check_depth(query: str, limit: int = MAX_DEPTH) -> None:
    """Refuse (400) a query nested deeper than ``limit``: the engine's parser recurses once per
    level and a few thousand levels overflow its stack, which would kill the worker.

    :raises Refused: with status 400, naming the limit.
    """
    if _most(query) <= limit:
        return  # cannot be deeper: skip the scan (most queries)
    found = depth(query)
    if found > limit:
        raise Refused(f"query too deeply nested: {found} levels (brackets plus chained operators); "
                      f"the limit is {limit}", 400)
