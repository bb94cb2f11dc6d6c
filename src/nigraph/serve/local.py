"""Look-ups answered in the server process: one triple pattern at a fixed resource, provably small.

The query workers exist because pyoxigraph cannot interrupt a query; a worker past its time is
killed. A look-up of one resource needs none of that when its cost can be bounded before it runs:
a query made of *one* triple pattern whose subject or object is fixed (an IRI, a prefixed name
declared in the query, or a variable the server binds) reads at most the quads with that term in
that place, and the server knows their number first (:data:`BUDGET` at most, or the query goes
to the workers): with the memory engine from :func:`over_budget`, computed once at start, else
by counting them in the store (:func:`degree_at_most`). Such a query has no filter, path, join,
sub-query, grouping, ordering or ``SERVICE``,
so each of those quads costs the engine a constant amount of work: the look-up ends in a bounded
time without a worker, an answer's round trip through a pipe, or a process kept for it.

The recogniser works on tokens (:mod:`nigraph.core.sparql_lex`): strings, IRIs and comments are
opaque. It is narrow on purpose; anything else (page views, look-ups with a filter) is judged by
:func:`nigraph.serve.lanes.is_lookup` and runs in a worker. It never changes what a query means:
the query runs as written, on the same store, with the same dataset rule as in a worker.

>>> anchor("SELECT ?p ?o WHERE { <http://e/s> ?p ?o }")
('s', 'http://e/s')
>>> anchor("PREFIX e: <http://e/> SELECT * { ?s ?p e:o } LIMIT 10")
('o', 'http://e/o')
>>> anchor("SELECT ?p ?o { ?s ?p ?o }", bound={"s": "http://e/s"})
('s', 'http://e/s')
>>> anchor("SELECT ?g ?p ?o WHERE { GRAPH ?g { <http://e/s> ?p ?o . } }")
('s', 'http://e/s')
>>> [anchor(q) for q in ("SELECT * { ?s ?p ?o }", "SELECT * { <http://e/s> ?p ?o . ?o ?q ?r }",
...     "SELECT * { <http://e/s> ?p ?o FILTER(?o > 1) }", "SELECT * { <http://e/s> <http://e/p>* ?o }",
...     "SELECT ?p (COUNT(*) AS ?n) { <http://e/s> ?p ?o } GROUP BY ?p",
...     "SELECT * { <http://e/s> ?p ?o } ORDER BY ?o", "SELECT * FROM <http://e/g> { <http://e/s> ?p ?o }",
...     "SELECT * { x:s ?p ?o }", "ASK { <http://e/s> ?p ?o }")]
[None, None, None, None, None, None, None, None, None]
"""

from __future__ import annotations

import itertools
import re

import pyoxigraph

from ..core.sparql_lex import OPAQUE, unescape

__all__ = ["BUDGET", "anchor", "degree_at_most", "over_budget"]

#: Quads a look-up may read in the server process; beyond, it runs in a worker.
BUDGET = 10_000

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_VAR = rf"[?$]{_NAME}"
_PNAME = r"[A-Za-z][A-Za-z0-9_.-]*?:[A-Za-z0-9_][A-Za-z0-9_.:-]*|[A-Za-z][A-Za-z0-9_.-]*?:"
_IRI = r"\x00\d+\x00"  # an IRI token, replaced by its index (see anchor)
_TERM = rf"(?:{_IRI}|{_VAR}|{_PNAME}|\ba\b)"
_PREFIX_DECL = rf"PREFIX\s+((?:[A-Za-z][A-Za-z0-9_.-]*)?):\s*({_IRI})"
_PREFIX = re.compile(_PREFIX_DECL, re.I)
_PROLOGUE = re.compile(rf"\s*(?:{_PREFIX_DECL}\s*)*", re.I)
_SHAPE = re.compile(
    rf"SELECT\s+(?:(?:DISTINCT|REDUCED)\s+)?(?:\*|(?:{_VAR}\s*)+)\s*(?:WHERE\s*)?"
    rf"\{{\s*(?:GRAPH\s+({_IRI}|{_VAR}|{_PNAME})\s*\{{\s*)?"
    rf"({_TERM})\s+({_TERM})\s+({_TERM})\s*\.?\s*(\}}\s*)?\}}"
    rf"\s*(?:LIMIT\s+\d+\s*)?(?:OFFSET\s+\d+\s*)?(?:LIMIT\s+\d+\s*)?$",
    re.I)


def anchor(query: str, bound: dict[str, str] | None = None) -> tuple[str, str] | None:
    """Where a one-pattern look-up is fixed: ``("s", iri)`` or ``("o", iri)``, or ``None`` when
    ``query`` is not of that narrow form (see the module's description).

    :param query: SPARQL text.
    :param bound: variables the server binds, by name (without ``?``), to IRIs.
    """
    bound = bound or {}
    iris: list[str] = []

    def opaque(m: re.Match[str]) -> str:
        tok = m.group(0)
        if tok.startswith("<"):
            iris.append(tok[1:-1])
            return f"\x00{len(iris) - 1}\x00"
        return " " if tok.startswith("#") else "\x01"  # a string: never part of the narrow form

    text = OPAQUE.sub(opaque, unescape(query))
    if "\x01" in text or "\\" in text:
        return None
    prologue = _PROLOGUE.match(text)
    prefixes = {m.group(1): iris[int(m.group(2).strip("\x00"))] for m in _PREFIX.finditer(prologue.group(0))}
    shape = _SHAPE.match(text, prologue.end())
    if shape is None:
        return None
    graph, s, p, o, inner = shape.groups()
    if (graph is None) != (inner is None):
        return None

    def fixed(term: str) -> str | None:
        if term.startswith("\x00"):
            iri = iris[int(term.strip("\x00"))]
            return iri if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", iri) else None  # relative: BASE matters
        if term[0] in "?$":
            return bound.get(term[1:])
        if term == "a":
            return None
        prefix, _, local = term.partition(":")
        return prefixes[prefix] + local if prefix in prefixes else None

    if p[0] not in "?$" and fixed(p) is None and p != "a":
        return None  # an undeclared prefix: the worker reports the error
    for place, term in (("s", s), ("o", o)):
        iri = fixed(term)
        if iri is not None:
            return place, iri
    return None


def degree_at_most(store: pyoxigraph.Store, place: str, iri: str, budget: int = BUDGET) -> bool:
    """Whether at most ``budget`` quads of ``store`` (every graph) have ``iri`` as subject
    (``place`` ``"s"``) or object (``"o"``): an upper bound of what the look-up reads."""
    node = pyoxigraph.NamedNode(iri)
    quads = store.quads_for_pattern(node, None, None, None) if place == "s" else \
        store.quads_for_pattern(None, None, node, None)
    return sum(1 for _ in itertools.islice(quads, budget + 1)) <= budget


def over_budget(store: pyoxigraph.Store, budget: int = BUDGET) -> frozenset[tuple[str, str]]:
    """Every ``(place, iri)`` for which :func:`degree_at_most` is false: the IRIs with more than
    ``budget`` quads of ``store`` (every graph) as subject (``"s"``) or object (``"o"``).

    Two aggregates over the whole store, run once where the store is in memory (the memory
    engine's zygote), so that a look-up is judged by a set membership instead of a count (a seek
    into the on-disk store and a term decoded per quad; about 0.2 ms of the server's CPU per
    look-up under an 8-client load, measured with cProfile on thread CPU time).

    >>> import pyoxigraph as ox
    >>> s, p, g = ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.NamedNode("http://e/g")
    >>> st = ox.Store()
    >>> st.extend([ox.Quad(s, p, ox.Literal("1")), ox.Quad(s, p, ox.Literal("2"), g), ox.Quad(p, p, s, g)])
    >>> sorted(over_budget(st, 1)), sorted(over_budget(st, 2))
    ([('s', 'http://e/s')], [])
    """
    heavy = []
    for place, pattern in (("s", "?t ?p ?o"), ("o", "?s ?p ?t")):
        query = (f"SELECT ?t WHERE {{ {{ {pattern} }} UNION {{ GRAPH ?g {{ {pattern} }} }} FILTER(isIRI(?t)) }} "
                 f"GROUP BY ?t HAVING (COUNT(*) > {int(budget)})")
        heavy += [(place, row[0].value) for row in store.query(query)]
    return frozenset(heavy)
