"""The axioms the build reasons with, read once into lookup tables keyed by N-Triples terms.

Materialization (:func:`nigraph.reason.materialize.materialize_lines`) and the choice of what HermiT must see
(:mod:`nigraph.reason.scope`) both walk the sorted N-Triples lines of the build and look each
predicate and class up here, so no SPARQL query has to visit every triple.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph

from ..core.iri import PREFIXES

__all__ = ["TBox", "read_tbox"]

_RDF, _RDFS, _OWL = PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["owl"]
_NIG = PREFIXES["nig"]


def _closure(edges: dict[str, set[str]], start: str) -> set[str]:
    """``start`` and everything reachable from it (reflexive, transitive)."""
    seen = {start}
    todo = [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


@dataclass(frozen=True)
class TBox:
    """Lookup tables; every key and value is a term as N-Triples writes it (``<iri>``, ``_:b``).

    :param supers: class → its superclasses through ``rdfs:subClassOf`` (itself included).
    :param superprops: property → its super-properties through ``rdfs:subPropertyOf`` (itself included).
    :param inverse: property → the properties declared ``owl:inverseOf`` it (both directions).
    :param domain: property → classes of ``rdfs:domain`` (not yet up ``rdfs:subClassOf``).
    :param range: property → classes of ``rdfs:range`` (IRIs that are not datatypes).
    :param datatype_range: property → datatypes of ``rdfs:range``.
    :param functional: properties typed ``owl:FunctionalProperty``.
    :param object_props: properties typed ``owl:ObjectProperty``.
    :param datatype_props: properties typed ``owl:DatatypeProperty``.
    :param disjoint: pairs of classes declared ``owl:disjointWith`` (both orders).
    """

    supers: dict[str, frozenset[str]]
    superprops: dict[str, frozenset[str]]
    inverse: dict[str, frozenset[str]]
    domain: dict[str, frozenset[str]]
    range: dict[str, frozenset[str]]
    datatype_range: dict[str, frozenset[str]]
    functional: frozenset[str]
    object_props: frozenset[str]
    datatype_props: frozenset[str]
    disjoint: frozenset[tuple[str, str]]

    def up(self, classes: Iterable[str]) -> set[str]:
        """The classes and all their superclasses."""
        out: set[str] = set()
        for c in classes:
            out |= self.supers.get(c, {c})
        return out


def read_tbox(store: pyoxigraph.Store) -> TBox:
    """Read the tables from the store's default graph (the merged asserted data, ontology included).

    Only triples with an axiom predicate are read, through the store's predicate index.

    :param store: the working store.
    :returns: the tables.
    """
    def pairs(predicate: str) -> list[tuple[str, str]]:
        return [(str(q.subject), str(q.object)) for q in store.quads_for_pattern(
            None, pyoxigraph.NamedNode(predicate), None, pyoxigraph.DefaultGraph())
            if not isinstance(q.object, pyoxigraph.Literal)]

    def typed(cls: str) -> frozenset[str]:
        return frozenset(str(q.subject) for q in store.quads_for_pattern(
            None, pyoxigraph.NamedNode(_RDF + "type"), pyoxigraph.NamedNode(cls), pyoxigraph.DefaultGraph()))

    sub: dict[str, set[str]] = {}
    for s, o in pairs(_RDFS + "subClassOf"):
        if o.startswith("<"):
            sub.setdefault(s, set()).add(o)
    subp: dict[str, set[str]] = {}
    for s, o in pairs(_RDFS + "subPropertyOf"):
        if o.startswith("<"):
            subp.setdefault(s, set()).add(o)
    inverse: dict[str, set[str]] = {}
    for s, o in pairs(_OWL + "inverseOf"):
        if s.startswith("<") and o.startswith("<"):
            inverse.setdefault(s, set()).add(o)
            inverse.setdefault(o, set()).add(s)
    datatypes = typed(_RDFS + "Datatype") | {f"<{d}>" for d in _XSD_NAMES}
    domain: dict[str, set[str]] = {}
    for s, o in pairs(_RDFS + "domain"):
        if o.startswith("<"):
            domain.setdefault(s, set()).add(o)
    rng: dict[str, set[str]] = {}
    dtr: dict[str, set[str]] = {}
    for s, o in pairs(_RDFS + "range"):
        if o.startswith("<"):
            (dtr if o in datatypes else rng).setdefault(s, set()).add(o)
    disjoint = set()
    for s, o in pairs(_OWL + "disjointWith"):
        if s.startswith("<") and o.startswith("<"):
            disjoint |= {(s, o), (o, s)}
    classes = set(sub) | {c for cs in sub.values() for c in cs}
    props = set(subp) | {p for ps in subp.values() for p in ps}
    return TBox(
        supers={c: frozenset(_closure(sub, c)) for c in classes},
        superprops={p: frozenset(_closure(subp, p)) for p in props},
        inverse={p: frozenset(v) for p, v in inverse.items()},
        domain={p: frozenset(v) for p, v in domain.items()},
        range={p: frozenset(v) for p, v in rng.items()},
        datatype_range={p: frozenset(v) for p, v in dtr.items()},
        functional=typed(_OWL + "FunctionalProperty"),
        object_props=typed(_OWL + "ObjectProperty"),
        datatype_props=typed(_OWL + "DatatypeProperty"),
        disjoint=frozenset(disjoint),
    )


_XSD_NAMES = [PREFIXES["xsd"] + n for n in (
    "string", "boolean", "decimal", "integer", "double", "float", "date", "dateTime", "dateTimeStamp", "time",
    "gYear", "gYearMonth", "anyURI", "nonNegativeInteger", "positiveInteger", "negativeInteger",
    "nonPositiveInteger", "int", "long", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte", "normalizedString", "token", "language", "Name", "NCName", "NMTOKEN", "hexBinary",
    "base64Binary", "duration")] + [_RDF + "langString", _RDF + "PlainLiteral", _RDF + "XMLLiteral", _RDFS + "Literal",
                                    _OWL + "real", _OWL + "rational"]
