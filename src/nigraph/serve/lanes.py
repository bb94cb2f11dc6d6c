"""Which queries go to the look-up lane: single-resource look-ups, judged on the query's text.

Page views and IRI look-ups are what people click; they must not wait behind long aggregates
(:class:`nigraph.serve.pool.Pool` keeps a few workers for them). A query is a look-up when it is
one query form (no subquery), has no aggregate, grouping or transitive path (``*``, ``+``, ``?``)
and its pattern starts at a fixed resource: an IRI, a prefixed name, or a variable the server
binds (``bound``). The test is on tokens (:mod:`nigraph.core.sparql_lex`: strings, IRIs and
comments are opaque), so a keyword in a literal does not count. It is a guess, never a refusal:
a query misjudged as a look-up that runs past the lane's budget is ended there and run again
among the other workers (see :meth:`~nigraph.serve.pool.Pool.run`).

>>> is_lookup("SELECT ?p ?o WHERE { <https://w3id.org/nigraph/id/standard/S1> ?p ?o }")
True
>>> is_lookup("PREFIX nig: <https://w3id.org/nigraph/def/> SELECT ?i (COUNT(?s) AS ?n) "
...           "WHERE { ?s a nig:Standard ; nig:servesIndustry ?i } GROUP BY ?i")
False
>>> is_lookup("SELECT ?s ?l WHERE { ?s rdfs:label|skos:prefLabel ?l } ORDER BY ?l", bound=("s",))
True
>>> is_lookup("SELECT * WHERE { ?s ?p ?o }"), is_lookup("SELECT * WHERE { <x:a> <x:p>* ?o }")
(False, False)
>>> is_lookup("SELECT * WHERE { <x:a> ?p ?o { SELECT ?o WHERE { ?o ?q ?r } } }")
False
>>> is_lookup("CONSTRUCT { <x:a> ?p ?o } WHERE { ?s ?p ?o }"), is_lookup("DESCRIBE <x:a>")
(False, True)
"""

from __future__ import annotations

import re

from ..core.sparql_lex import OPAQUE, unescape

__all__ = ["is_lookup"]

_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
_HEAVY = {"GROUP", "HAVING", "COUNT", "SUM", "AVG", "MIN", "MAX", "SAMPLE", "SERVICE"}
_WORD = re.compile(r"(?<![?$:\w.-])([A-Za-z_]+)(?![\w:-])")
# Transitive or optional path steps: * or + after a term, or a ? that is not a variable's sigil.
_CLOSURE = re.compile(r"[*+]|\?(?![A-Za-z_0-9\u00b7-\uffff])")
_FIRST = re.compile(r"\s*(?:\{\s*)*(?:GRAPH\s+\S+\s*\{\s*)?([^\s{}]+)", re.I)


def is_lookup(query: str, bound: tuple[str, ...] = ()) -> bool:
    """Whether ``query`` looks like a look-up of one resource (see the module's description).

    :param query: SPARQL text.
    :param bound: names of variables the server binds to an IRI before evaluation.
    """
    # IRIs become "<>" (a fixed term, kept as such), strings and comments a space.
    text = OPAQUE.sub(lambda m: "<>" if m.group(0).startswith("<") else " ", unescape(query))
    words = [w.upper() for w in _WORD.findall(text)]
    if sum(w in _FORMS for w in words) != 1 or any(w in _HEAVY or w.startswith("GROUP_") for w in words):
        return False
    where = re.search(r"(?<![?$:\w])WHERE(?![\w:])", text, re.I)  # not a CONSTRUCT's template
    start = text.find("{", where.end() if where else 0)
    if start < 0:
        return len(bound) > 0 or "<>" in text  # DESCRIBE <iri>
    pattern = text[start + 1:]
    if _CLOSURE.search(pattern):
        return False
    first = _FIRST.match(pattern)
    if first is None:
        return False
    term = first.group(1)
    if term.startswith(("?", "$")):
        return term[1:] in bound
    return term.startswith("<") or (":" in term and not term.startswith("_:"))
