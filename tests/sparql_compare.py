"""Compare SPARQL answers of two stores by value: as multisets of rows, whatever their order.

IRIs compare as IRIs, numbers numerically (12 significant digits, any numeric datatype),
booleans as the numbers 1 and 0 (Virtuoso 7 answers ``xsd:integer`` 1/0 for a boolean expression), other literals by lexical form, language (case-folded) and datatype
(``xsd:string`` = no datatype), blank nodes only as "a blank node". Virtuoso's JSON results
say ``typed-literal`` and carry a ``link`` key; both are ignored.

>>> from pyoxigraph import Literal, NamedNode
>>> xsd = "http://www.w3.org/2001/XMLSchema#"
>>> norm_term(Literal("60.0", datatype=NamedNode(xsd + "decimal"))) == norm_json(
...     {"type": "typed-literal", "datatype": xsd + "double", "value": "6.0E1"})
True
>>> norm_json({"type": "literal", "value": "a", "xml:lang": "ZH"}) == norm_term(Literal("a", language="zh"))
True
>>> norm_term(Literal("true", datatype=NamedNode(xsd + "boolean"))) == norm_json(
...     {"type": "typed-literal", "datatype": xsd + "integer", "value": "1"})
True
"""

from __future__ import annotations

from collections import Counter
from decimal import Context, Decimal, InvalidOperation

import pyoxigraph

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = frozenset(XSD + t for t in (
    "integer decimal double float int long short byte nonNegativeInteger positiveInteger negativeInteger "
    "nonPositiveInteger unsignedInt unsignedLong unsignedShort unsignedByte").split())
_DIGITS = Context(prec=12)

Value = tuple[object, ...] | None
Rows = Counter[tuple[Value, ...]]


def norm_literal(value: str, datatype: str | None, language: str | None) -> tuple[object, ...]:
    """One literal as a comparable value."""
    if language:
        return ("str", value, language.lower())
    if datatype in NUMERIC:
        try:
            return ("num", _DIGITS.plus(Decimal(value.strip())))
        except InvalidOperation:
            return ("bad-num", value)
    if datatype == XSD + "boolean":
        return ("num", Decimal(1 if value.strip() in ("true", "1") else 0))
    return ("str", value, None if datatype in (None, XSD + "string") else datatype)


def norm_term(term: object) -> Value:
    """A pyoxigraph term (or ``None`` for unbound) as a comparable value."""
    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return ("iri", term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return ("bnode",)
    if isinstance(term, pyoxigraph.Literal):
        return norm_literal(term.value, term.datatype.value, term.language)
    raise TypeError(f"unexpected term {term!r}")


def norm_json(binding: dict[str, str] | None) -> Value:
    """One SPARQL JSON results binding (or ``None``) as a comparable value."""
    if binding is None:
        return None
    kind = binding["type"]
    if kind == "uri":
        return ("iri", binding["value"])
    if kind == "bnode":
        return ("bnode",)
    if kind in ("literal", "typed-literal"):
        return norm_literal(binding["value"], binding.get("datatype"), binding.get("xml:lang"))
    raise ValueError(f"unexpected binding type {kind!r}")


def embedded_rows(store: pyoxigraph.Store, query: str) -> tuple[list[str], Rows]:
    """Columns and rows of a SELECT on the embedded store (default graph = union of the named graphs)."""
    result = store.query(query, use_default_graph_as_union=True)
    columns = [v.value for v in result.variables]
    return columns, Counter(tuple(norm_term(row[c]) for c in columns) for row in result)


def json_rows(results: dict) -> tuple[list[str], Rows]:
    """Columns and rows of SPARQL JSON results."""
    columns = list(results["head"]["vars"])
    bindings = results["results"]["bindings"]
    return columns, Counter(tuple(norm_json(b.get(c)) for c in columns) for b in bindings)
