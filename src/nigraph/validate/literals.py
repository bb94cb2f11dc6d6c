"""Literals as written: which ones a pyoxigraph store would rewrite, and which are ill-formed.

A pyoxigraph store keeps numbers, booleans and some dates by value: ``"2"^^xsd:int`` comes back as
``"2"^^xsd:integer``, ``"01"^^xsd:integer`` as ``"1"``, and the ill-formed ``"300"^^xsd:byte`` as the
well-formed ``"300"^^xsd:integer``. Parsing (``pyoxigraph.parse``) keeps every literal as written. The
fast engine therefore finds, while it loads, the literals the store rewrites ("lossy" literals) and
the predicates that carry them; a shape that would look at them goes to pySHACL, which gets the data
as written. Language tags are lower-cased by the parser already (RDF 1.1 compares them
case-insensitively); that is the one change nigraph accepts.

>>> import pyoxigraph as ox
>>> int_ = ox.Literal("2", datatype=ox.NamedNode(XSD + "int"))
>>> date = ox.Literal("2020-01-01", datatype=ox.NamedNode(XSD + "date"))
>>> {str(k): str(v) for k, v in rewritten([int_, date]).items()}
{'"2"^^<http://www.w3.org/2001/XMLSchema#int>': '"2"^^<http://www.w3.org/2001/XMLSchema#integer>'}
>>> ill_formed(ox.Literal("300", datatype=ox.NamedNode(XSD + "byte"))), ill_formed(int_)
(True, False)
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph

__all__ = ["XSD", "Rewrites", "find_rewrites", "may_be_rewritten", "rewritten", "ill_formed"]

XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING = XSD + "string"
_SUBJECT = "urn:nigraph:literal:"
_PREDICATE = pyoxigraph.NamedNode("urn:nigraph:literal")


def may_be_rewritten(term) -> bool:
    """Whether the store might change this term: a literal with an XSD datatype other than ``xsd:string``."""
    return (type(term) is pyoxigraph.Literal and term.language is None
            and term.datatype.value.startswith(XSD) and term.datatype.value != _XSD_STRING)


def rewritten(literals: Iterable[pyoxigraph.Literal]) -> dict[pyoxigraph.Literal, pyoxigraph.Literal]:
    """The literals that a pyoxigraph store gives back changed (found by a round trip, not by a rule).

    :param literals: candidate literals (see :func:`may_be_rewritten`).
    :returns: each literal the store does not keep as written → what the store gives back.
    """
    distinct = sorted(set(literals), key=str)
    if not distinct:
        return {}
    store = pyoxigraph.Store()
    store.extend(pyoxigraph.Quad(pyoxigraph.NamedNode(f"{_SUBJECT}{i}"), _PREDICATE, lit)
                 for i, lit in enumerate(distinct))
    back = {int(q.subject.value[len(_SUBJECT):]): q.object for q in store}
    return {lit: back[i] for i, lit in enumerate(distinct) if str(back[i]) != str(lit)}


#: Value ranges of the integer types derived from xsd:integer (rdflib does not check all of them).
_RANGES = {
    "byte": (-2**7, 2**7 - 1), "short": (-2**15, 2**15 - 1), "int": (-2**31, 2**31 - 1), "long": (-2**63, 2**63 - 1),
    "unsignedByte": (0, 2**8 - 1), "unsignedShort": (0, 2**16 - 1), "unsignedInt": (0, 2**32 - 1),
    "unsignedLong": (0, 2**64 - 1), "nonNegativeInteger": (0, None), "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0), "negativeInteger": (None, -1),
}


def ill_formed(literal: pyoxigraph.Literal) -> bool:
    """Whether the lexical form is outside its datatype's lexical space: rdflib's reading (pySHACL's), and
    the value ranges of the integer types derived from ``xsd:integer``.

    :param literal: a typed literal.

    >>> ill_formed(pyoxigraph.Literal("99999999999", datatype=pyoxigraph.NamedNode(XSD + "int")))
    True
    """
    import rdflib

    name = literal.datatype.value[len(XSD):] if literal.datatype.value.startswith(XSD) else None
    if name in _RANGES:
        text = literal.value.strip()
        if not text.lstrip("+-").isdigit() or text[:1] in "+-" and not text[1:2].isdigit():
            return True
        low, high = _RANGES[name]
        if (low is not None and int(text) < low) or (high is not None and int(text) > high):
            return True

    with raw_literals():
        lit = rdflib.Literal(literal.value, datatype=rdflib.URIRef(literal.datatype.value))
        return lit.ill_typed is True


@contextlib.contextmanager
def raw_literals():
    """Keep lexical forms as written while rdflib reads literals (no normalisation), so values are the data's own."""
    import rdflib

    saved = rdflib.NORMALIZE_LITERALS
    logger = logging.getLogger("rdflib.term")  # it logs every ill-typed literal; the report names them
    level = logger.level
    rdflib.NORMALIZE_LITERALS = False
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = saved
        logger.setLevel(level)


@dataclass
class Rewrites:
    """What the store changed in the data graph, worked out while loading it.

    :param soft: ``(subject, predicate, literal as stored)`` → the literal as written, for the well-formed
        literals the store rewrote and did not merge with another one of the same subject and predicate:
        their values are unchanged, so a query that only compares values sees the same answers, and a
        result can name the literal as written.
    :param hard_predicates: predicates carrying a rewritten literal that is ill-formed (the store made it
        well-formed) or that the store merged with another value of the same subject: only pySHACL
        (on the data as written) can check these.
    :param stored_forms: every literal (as stored) that some rewritten literal became.
    """

    soft: dict[tuple[str, str, str], pyoxigraph.Literal] = field(default_factory=dict)
    hard_predicates: set[str] = field(default_factory=set)
    stored_forms: set[str] = field(default_factory=set)

    @property
    def soft_predicates(self) -> set[str]:
        return {p for _, p, _ in self.soft} - self.hard_predicates

    @property
    def count(self) -> int:
        return len(self.soft) + len(self.hard_predicates)

    def example(self) -> str:
        return str(sorted(self.soft.values(), key=str)[0]) if self.soft else "(an ill-formed or merged literal)"


def find_rewrites(triples: Iterable[tuple[str, str, pyoxigraph.Literal]]) -> Rewrites:
    """Work out :class:`Rewrites` from every ``(subject, predicate, literal)`` that :func:`may_be_rewritten`.

    >>> x = pyoxigraph.NamedNode("http://e/x")
    >>> r = find_rewrites([(str(x), "http://e/p", pyoxigraph.Literal("60.0", datatype=pyoxigraph.NamedNode(XSD + "decimal"))),
    ...                    (str(x), "http://e/b", pyoxigraph.Literal("300", datatype=pyoxigraph.NamedNode(XSD + "byte")))])
    >>> sorted(r.soft_predicates), sorted(r.hard_predicates)
    (['http://e/p'], ['http://e/b'])
    """
    triples = list(triples)
    changed = rewritten(lit for _, _, lit in triples)
    out = Rewrites()
    if not changed:
        return out
    forms = {str(v) for v in changed.values()}
    stored: dict[tuple[str, str, str], set[str]] = {}
    for s, p, lit in triples:  # only literals that were changed or that a changed one became can merge
        if lit in changed or str(lit) in forms:
            stored.setdefault((s, p, str(changed.get(lit, lit))), set()).add(str(lit))
    for s, p, lit in triples:
        if lit not in changed:
            continue
        key = (s, p, str(changed[lit]))
        out.stored_forms.add(key[2])
        if len(stored[key]) > 1 or ill_formed(lit):
            out.hard_predicates.add(p)
        else:
            out.soft[key] = lit
    return out
