"""The fast engine: compile SHACL shapes to SPARQL SELECT queries run on a pyoxigraph store, or say why not.

A shape is compiled only when every part of it is something this module implements exactly as the
SHACL specification defines it; otherwise :func:`compile_shapes` hands the whole shape over (with a
reason) and pySHACL checks it, with the whole shapes graph. What is compiled:

* targets: ``sh:targetClass`` (with the data graph's ``rdfs:subClassOf``), ``sh:targetNode``,
  ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``; a shape that is also a class (implicit class
  target) or has any other ``rdf:type`` is handed over;
* on the node shape (value node = focus node): ``sh:nodeKind``, ``sh:class``, ``sh:datatype``,
  ``sh:in``, ``sh:hasValue``, ``sh:pattern`` (no ``sh:flags``), ``sh:languageIn``,
  ``sh:min/maxInclusive``, ``sh:min/maxExclusive``; ``sh:property``; ``sh:sparql`` (flat queries,
  see :mod:`.sparql_text`);
* on property shapes whose ``sh:path`` is one IRI: the same value constraints, plus ``sh:minCount``,
  ``sh:maxCount`` and ``sh:uniqueLang``;
* ``sh:message``, ``sh:severity`` (any IRI), ``sh:deactivated``, and the non-validating
  ``sh:name``, ``sh:description``, ``sh:order``, ``sh:group``, ``sh:defaultValue``.

The store rewrites some literals (:mod:`.literals`); a shape that would read a predicate carrying
such a literal, or that names such a literal itself, is handed over too.

A shape with many focus nodes (a catalogue's standards) first asks, for each query of a property
shape whose filters read only the values, the same pattern over the whole data graph without the
focus nodes (an index scan, not a join with every focus node): when no node at all breaks the
constraint, the query cannot have a row and is not run. Otherwise the query runs as before, so the
results are the same either way (``tests/test_validate_precheck.py``).

>>> import pyoxigraph as ox
>>> shapes = ox.parse(b'''@prefix sh: <http://www.w3.org/ns/shacl#> .
... <http://e/S> a sh:NodeShape ; sh:targetClass <http://e/C> ; sh:property <http://e/S-p> .
... <http://e/S-p> sh:path <http://e/p> ; sh:minCount 1 ; sh:message "Add p."@en .
... <http://e/T> sh:targetNode <http://e/a> ; sh:closed true .''', format=ox.RdfFormat.TURTLE)
>>> compiled, handed = compile_shapes(shapes)
>>> data = ox.Store()
>>> data.load(b'<http://e/a> a <http://e/C> .', format=ox.RdfFormat.TURTLE)
>>> [(r.focus, r.component.split("#")[1]) for r in run_compiled(compiled, data)[0]]
[('http://e/a', 'MinCountConstraintComponent')]
>>> handed
[('http://e/T', 'uses sh:closed')]
"""

from __future__ import annotations

import concurrent.futures
import functools
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

import pyoxigraph

from .literals import XSD, ill_formed, may_be_rewritten, rewritten
from .results import SH, Result
from .literals import Rewrites
from .sparql_text import flat_reason, join_focus_nodes, lexical_reason, reads_any_of

__all__ = ["CompiledShape", "ShapesGraph", "compile_shapes", "run_compiled", "TARGETS"]

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_TYPE = _RDF + "type"

#: The target predicates of SHACL Core.
TARGETS = tuple(SH + p for p in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf"))
_NON_VALIDATING = {SH + p for p in ("message", "severity", "deactivated", "name", "description", "order", "group",
                                    "defaultValue")}
_VALUE = {SH + p for p in ("nodeKind", "class", "datatype", "in", "hasValue", "pattern", "languageIn",
                           "minInclusive", "maxInclusive", "minExclusive", "maxExclusive")}
_NODE_KEYS = frozenset(set(TARGETS) | _NON_VALIDATING | _VALUE | {SH + "property", SH + "sparql"})
_PROPERTY_KEYS = frozenset(_NON_VALIDATING | _VALUE | {SH + p for p in ("path", "minCount", "maxCount", "uniqueLang")})
_SHAPE_TYPES = {SH + "NodeShape", SH + "PropertyShape", SH + "Shape"}
_CONSTRAINT_KEYS = frozenset({SH + "select", SH + "message", SH + "deactivated", _TYPE})
#: Datatypes whose lexical form a SPARQL cast checks (an ill-formed literal is a violation).
_CASTABLE = frozenset(XSD + d for d in (
    "integer", "decimal", "double", "float", "boolean", "date", "dateTime", "time", "duration",
))
_NODE_KINDS = {
    "IRI": "isIRI(?v)", "BlankNode": "isBlank(?v)", "Literal": "isLiteral(?v)",
    "BlankNodeOrIRI": "(isBlank(?v) || isIRI(?v))", "BlankNodeOrLiteral": "(isBlank(?v) || isLiteral(?v))",
    "IRIOrLiteral": "(isIRI(?v) || isLiteral(?v))",
}
_COMPARE = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}


class ShapesGraph:
    """The shapes graph as parsed (a store would rewrite its literals), indexed for the compiler.

    :param quads: the shapes graph's quads (graphs merged).
    """

    def __init__(self, quads) -> None:
        self._by_subject: dict[str, list[pyoxigraph.Quad]] = {}
        self._by_predicate: dict[str, list[pyoxigraph.Quad]] = {}
        seen = set()
        for q in quads:
            q = pyoxigraph.Quad(q.subject, q.predicate, q.object)
            if q in seen:
                continue
            seen.add(q)
            self._by_subject.setdefault(str(q.subject), []).append(q)
            self._by_predicate.setdefault(q.predicate.value, []).append(q)

    def quads_for_pattern(self, s, p, o) -> list[pyoxigraph.Quad]:
        """Quads matching the pattern (``None`` matches anything); ``s`` or ``p`` must be given."""
        found = self._by_subject.get(str(s), []) if s is not None else self._by_predicate.get(p.value, [])
        return [q for q in found if (p is None or q.predicate == p) and (o is None or q.object == o)]


class _HandOver(Exception):
    """Raised while compiling a shape: the shape goes to pySHACL, for the reason given."""


@dataclass(frozen=True)
class _Query:
    """One SELECT; rows have ``?this`` and optionally ``?v`` (value) and ``?path``."""

    text: str
    component: str
    shape: str
    path: str | None
    messages: tuple[tuple[str, str], ...]
    severity: str
    constraint: str | None = None
    has_value: bool = True
    #: keep only rows whose ``?v`` rdflib finds ill-formed (sh:datatype on types SPARQL cannot cast)
    ill_formed_only: bool = False
    #: sh:datatype on a path whose literals the store rewrote: the datatype to check on them as written
    datatype: str | None = None
    #: for sh:class: the class, and the query to use instead when it has fewer instances than there are
    #: focus nodes (an anti-join with all instances is then cheaper than one lookup per value)
    small_class: str | None = None
    small_class_text: str | None = None
    #: for sh:class on a property shape, the precheck to use instead in that case: the values that are
    #: not instances by an anti-join (MINUS) with all instances, instead of a property-path lookup for
    #: each distinct value (``?v`` is bound in every solution on both sides, so MINUS removes exactly
    #: the values that FILTER NOT EXISTS would: the same answer, by construction)
    small_class_precheck: str | None = None
    #: an ASK over the data graph without the targets that is true whenever the query has a row (the
    #: query's pattern, whose filters read only its own variables, with the focus nodes left out):
    #: when it is false the query, a join of that pattern with the focus nodes, has no row and is not
    #: run (an index scan instead of a join with every focus node); an ASK (a SPARQL constraint's is
    #: worked out when it is needed, by :func:`_sparql_precheck`: rdflib reads the query)
    precheck: str | None = None
    #: for sh:minCount 1 or 2: the pattern a focus node breaks the constraint by not matching (the
    #: query's rows are the focus nodes with FILTER NOT EXISTS of it); a shape with many focus nodes
    #: asks one ASK for all of its queries that have one (:func:`_missing_precheck`)
    missing: str | None = None


@dataclass(frozen=True)
class CompiledShape:
    """A shape with targets, compiled to queries.

    :param shape: the shape (IRI, or ``_:id``).
    :param target_classes: the IRIs of its ``sh:targetClass`` values.
    :param other_targets: SPARQL patterns binding ``?this`` for its other targets.
    :param queries: the queries (their text has a ``{{TARGET}}`` slot for the focus-node pattern).
    """

    shape: str
    target_classes: tuple[str, ...]
    other_targets: tuple[str, ...] = ()
    queries: tuple[_Query, ...] = field(default=())


def _objects(store: ShapesGraph, s, p: str) -> list:
    return sorted((q.object for q in store.quads_for_pattern(s, pyoxigraph.NamedNode(p), None)), key=str)


def _one(store: ShapesGraph, s, p: str):
    values = _objects(store, s, p)
    return values[0] if values else None


def _text(term) -> str:
    """A node as results name it: a bare IRI, ``_:id``, or a literal in N-Triples."""
    return term.value if isinstance(term, pyoxigraph.NamedNode) else _term(term)


def _messages(store: ShapesGraph, node) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((m.language or "", m.value) for m in _objects(store, node, SH + "message")
                        if isinstance(m, pyoxigraph.Literal)))


def _rdf_list(store: ShapesGraph, head) -> list:
    items, seen = [], set()
    while not (isinstance(head, pyoxigraph.NamedNode) and head.value == _RDF + "nil"):
        if head is None or str(head) in seen or len(_objects(store, head, _RDF + "first")) != 1 \
                or len(_objects(store, head, _RDF + "rest")) != 1:
            raise _HandOver("has a malformed RDF list")
        seen.add(str(head))
        items.append(_one(store, head, _RDF + "first"))
        head = _one(store, head, _RDF + "rest")
    return items


def _severity(store: ShapesGraph, node) -> str:
    values = _objects(store, node, SH + "severity")
    if not values:
        return "Violation"
    if len(values) > 1 or not isinstance(values[0], pyoxigraph.NamedNode):
        raise _HandOver("has a severity that is not one IRI")
    sev = values[0].value
    return sev[len(SH):] if sev in (SH + "Violation", SH + "Warning", SH + "Info") else sev


def _is_true(term) -> bool:
    return isinstance(term, pyoxigraph.Literal) and term.datatype.value == XSD + "boolean" \
        and term.value in ("true", "1")


def _deactivated(store: ShapesGraph, node) -> bool:
    values = _objects(store, node, SH + "deactivated")
    if len(values) > 1 or (values and not (isinstance(values[0], pyoxigraph.Literal)
                                           and values[0].datatype.value == XSD + "boolean")):
        raise _HandOver("has an sh:deactivated that is not one boolean")
    return bool(values) and _is_true(values[0])


def _predicates(store: ShapesGraph, node) -> set[str]:
    return {q.predicate.value for q in store.quads_for_pattern(node, None, None)}


def _check_keys(store: ShapesGraph, node, allowed: frozenset[str], parameters: Collection[str]) -> None:
    for p in sorted(_predicates(store, node)):
        if p in parameters:
            raise _HandOver(f"uses the parameter <{p}> of a custom constraint component")
        if p.startswith(SH) and p not in allowed:
            raise _HandOver(f"uses sh:{p[len(SH):]}")
    types = {t.value if isinstance(t, pyoxigraph.NamedNode) else str(t) for t in _objects(store, node, _TYPE)}
    if types - _SHAPE_TYPES:
        raise _HandOver("has another rdf:type (a class is an implicit class target)")
    if _objects(store, node, _RDFS + "subClassOf"):
        raise _HandOver("has rdfs:subClassOf (a class is an implicit class target)")


def _integer(term) -> int:
    if not (isinstance(term, pyoxigraph.Literal) and term.datatype.value == XSD + "integer"
            and term.value.lstrip("+-").isdigit()):
        raise _HandOver(f"has a count that is not an xsd:integer: {term}")
    return int(term.value)


class _Compiler:
    def __init__(self, shapes: ShapesGraph, hard: frozenset[str], soft: frozenset[str],
                 parameters: Collection[str]) -> None:
        self.shapes = shapes
        self.hard = hard
        self.soft = soft
        self.lossy_predicates = hard | soft
        self.parameters = parameters

    def constant(self, term) -> str:
        """A constant from the shapes graph as SPARQL text; one the store would rewrite is handed over."""
        if may_be_rewritten(term) and rewritten([term]):
            raise _HandOver(f"names the literal {term}, which the store would rewrite")
        if isinstance(term, pyoxigraph.BlankNode):
            raise _HandOver("names a blank node as a value")
        return str(term)

    def node_shape(self, node) -> CompiledShape | None:
        store = self.shapes
        if _deactivated(store, node):
            return None
        if _objects(store, node, SH + "path"):
            raise _HandOver("is a property shape with targets")
        _check_keys(store, node, _NODE_KEYS, self.parameters)
        classes, others = [], []
        for c in _objects(store, node, SH + "targetClass"):
            if not isinstance(c, pyoxigraph.NamedNode):
                raise _HandOver("has a target class that is not an IRI")
            classes.append(c.value)
        nodes = [self.constant(n) for n in _objects(store, node, SH + "targetNode")]
        if nodes:
            others.append(f"VALUES ?this {{ {' '.join(nodes)} }}")
        for p in _objects(store, node, SH + "targetSubjectsOf"):
            if not isinstance(p, pyoxigraph.NamedNode):
                raise _HandOver("targets subjects of something that is not an IRI")
            others.append(f"?this {self.constant(p)} ?nigraphAny .")
        for p in _objects(store, node, SH + "targetObjectsOf"):
            if not isinstance(p, pyoxigraph.NamedNode) or p.value in self.lossy_predicates:
                raise _HandOver("targets objects of a predicate that carries literals the store rewrites")
            others.append(f"?nigraphAny {self.constant(p)} ?this .")
        shape = _text(node)
        common = {"shape": shape, "path": None, "messages": _messages(store, node), "severity": _severity(store, node)}
        queries = self.value_queries(node, "BIND(?this AS ?v)", common, node_level=True)
        for ps in _objects(store, node, SH + "property"):
            queries += self.property_shape(ps)
        for c in _objects(store, node, SH + "sparql"):
            q = self.sparql(node, c, common)
            if q is not None:
                queries.append(q)
        return CompiledShape(shape, tuple(classes), tuple(others), tuple(queries))

    def property_shape(self, ps) -> list[_Query]:
        store = self.shapes
        if isinstance(ps, pyoxigraph.Literal):
            raise _HandOver("has a literal as sh:property")
        _check_keys(store, ps, _PROPERTY_KEYS, self.parameters)
        if _deactivated(store, ps):
            return []
        paths = _objects(store, ps, SH + "path")
        if len(paths) != 1 or not isinstance(paths[0], pyoxigraph.NamedNode):
            raise _HandOver("has a property shape whose path is not one IRI")
        path = paths[0].value
        if path in self.hard:
            raise _HandOver(f"reads <{path}>, which carries literals the store made well-formed or merged")
        if path in self.soft:
            for name in ("in", "hasValue", "pattern"):
                if _objects(store, ps, SH + name):
                    raise _HandOver(f"compares the literals of <{path}> as written (sh:{name}), and the store "
                                    "rewrote some")
        common = {"shape": _text(ps), "path": path, "messages": _messages(store, ps), "severity": _severity(store, ps)}
        queries = self.value_queries(ps, f"?this <{path}> ?v .", common, node_level=False,
                                     rewritten_path=path in self.soft)
        one, two = f"?this <{path}> ?v", f"?this <{path}> ?v1 . ?this <{path}> ?v2 . FILTER(!sameTerm(?v1, ?v2))"

        def add(component: str, text: str, precheck: str | None = None, missing: str | None = None) -> None:
            queries.append(_Query(text=text, component=SH + component, has_value=False, precheck=precheck,
                                  missing=missing, **common))

        for n in _objects(store, ps, SH + "minCount"):
            k = _integer(n)
            if k in (1, 2):  # no value at all / no two distinct values: one lookup per focus node
                missing = one if k == 1 else two
                add("MinCountConstraintComponent", f"SELECT DISTINCT ?this WHERE {{ {{{{TARGET}}}} "
                                                   f"FILTER NOT EXISTS {{ {missing} }} }}", missing=missing)
            elif k > 2:
                add("MinCountConstraintComponent",
                    f"SELECT ?this WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {{{{TARGET}}}} }} }} OPTIONAL {{ {one} }} }} "
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {k})")
        for n in _objects(store, ps, SH + "maxCount"):
            k = _integer(n)
            if k < 0:
                raise _HandOver("has a negative sh:maxCount")
            if k == 0:
                add("MaxCountConstraintComponent", f"SELECT DISTINCT ?this WHERE {{ {{{{TARGET}}}} {one} }}",
                    f"ASK {{ {one} }}")
            elif k == 1:  # a self-join finds two distinct values faster than grouping every focus node
                # no node with two values: as many triples as subjects (a graph holds a triple once)
                add("MaxCountConstraintComponent", f"SELECT DISTINCT ?this WHERE {{ {{{{TARGET}}}} {two} }}",
                    f"ASK {{ {{ SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?this) AS ?m) WHERE {{ {one} }} }} "
                    f"FILTER(?n != ?m) }}")
            else:
                add("MaxCountConstraintComponent", f"SELECT ?this WHERE {{ {{{{TARGET}}}} {one} }} "
                                                   f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {k})",
                    f"ASK {{ {{ SELECT ?this WHERE {{ {one} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {k}) }} }}")
        for u in _objects(store, ps, SH + "uniqueLang"):
            if not (isinstance(u, pyoxigraph.Literal) and u.datatype.value == XSD + "boolean"):
                raise _HandOver("has an sh:uniqueLang that is not a boolean")
            if _is_true(u):
                # one result per language tag used twice (SHACL §4.4.6), so no DISTINCT ?this
                def unique_lang(focus: str) -> str:
                    return (f"{{ SELECT ?this ?lang WHERE {{ "
                            f"{{ SELECT DISTINCT ?this ?v (LCASE(LANG(?v)) AS ?lang) WHERE {{ {focus}{one} "
                            f"FILTER(isLiteral(?v) && LANG(?v) != \"\") }} }} }} GROUP BY ?this ?lang HAVING (COUNT(?v) > 1) }}")

                # the precheck, per language tag: more tagged values than subjects that have one means
                # some subject has two (each subject counts once in COUNT(DISTINCT ?this) and at least
                # once in COUNT(*)); a group per tag, not per (subject, tag)
                add("UniqueLangConstraintComponent", f"SELECT ?this WHERE {{ {unique_lang('{{TARGET}} ')} }}",
                    f"ASK {{ {{ SELECT ?lang (COUNT(*) AS ?n) (COUNT(DISTINCT ?this) AS ?m) WHERE {{ {one} "
                    f"FILTER(isLiteral(?v) && LANG(?v) != \"\") BIND(LCASE(LANG(?v)) AS ?lang) }} GROUP BY ?lang }} "
                    f"FILTER(?n != ?m) }}")
        return queries

    def value_queries(self, node, values: str, common: dict, *, node_level: bool,
                      rewritten_path: bool = False) -> list[_Query]:
        """Constraints on each value node ``?v`` (bound by ``values``)."""
        store = self.shapes
        queries: list[_Query] = []
        focus_values = f"{{{{TARGET}}}} {values}"

        def add(component: str, text: str, **extra) -> None:
            queries.append(_Query(text=text, component=SH + component, **common, **extra))

        def ask(where: str) -> str | None:
            """The precheck of a query whose pattern is ``{{TARGET}} values where``; on a property shape
            ``values`` binds ?this and ?v by one triple pattern and ``where`` reads ?v only."""
            return None if node_level else f"ASK {{ {values} {where} }}"

        def bad_values(component: str, bad: str) -> None:
            add(component, f"SELECT DISTINCT ?this ?v WHERE {{ {focus_values} FILTER({bad}) }}",
                precheck=ask(f"FILTER({bad})"))

        def any_of(head, test) -> str:
            return " || ".join(test(t) for t in _rdf_list(store, head)) or "false"

        for dt in _objects(store, node, SH + "datatype"):
            if not isinstance(dt, pyoxigraph.NamedNode) or dt.value in (_RDFS + "Literal", _RDFS + "Datatype"):
                raise _HandOver(f"has sh:datatype {dt} (pySHACL reads rdfs:Literal and rdfs:Datatype its own way)")
            ok = f"(isLiteral(?v) && DATATYPE(?v) = {dt}"
            if dt.value in _CASTABLE:
                ok += f" && COALESCE(STRLEN(STR({dt}(STR(?v)))) >= 0, false)"
            if rewritten_path:  # rows are checked again on the literals as written (see run_compiled)
                add("DatatypeConstraintComponent",
                    f"SELECT DISTINCT ?this ?v WHERE {{ {focus_values} FILTER(!{ok})) }}", datatype=dt.value,
                    precheck=ask(f"FILTER(!{ok}))"))
            else:
                bad_values("DatatypeConstraintComponent", f"!{ok})")
            if dt.value.startswith(XSD) and dt.value not in _CASTABLE and dt.value != XSD + "string":
                add("DatatypeConstraintComponent", f"SELECT DISTINCT ?this ?v WHERE {{ {focus_values} FILTER{ok}) }}",
                    ill_formed_only=True, precheck=ask(f"FILTER{ok})"))
        for cls in _objects(store, node, SH + "class"):
            if not isinstance(cls, pyoxigraph.NamedNode):
                raise _HandOver("has an sh:class that is not an IRI")
            instance = f"?v <{_TYPE}>/<{_RDFS}subClassOf>* {cls}"
            add("ClassConstraintComponent",
                f"SELECT DISTINCT ?this ?v WHERE {{ {focus_values} FILTER NOT EXISTS {{ {instance} }} }}",
                small_class=cls.value,
                small_class_text=f"SELECT DISTINCT ?this ?v WHERE {{ {{ {focus_values} }} MINUS {{ {instance} }} }}",
                # each value once, then whether it is an instance
                precheck=None if node_level else f"ASK {{ {{ SELECT DISTINCT ?v WHERE {{ {values} }} }} "
                                                 f"FILTER NOT EXISTS {{ {instance} }} }}",
                small_class_precheck=None if node_level else f"ASK {{ {{ {values} }} MINUS {{ {instance} }} }}")
        for head in _objects(store, node, SH + "in"):
            bad_values("InConstraintComponent", f"!({any_of(head, lambda t: f'sameTerm(?v, {self.constant(t)})')})")
        if _objects(store, node, SH + "flags"):
            raise _HandOver("uses sh:flags")
        for pattern in _objects(store, node, SH + "pattern"):
            pat = self.regex(pattern)
            bad_values("PatternConstraintComponent", f"isBlank(?v) || !REGEX(STR(?v), {pat})")
        for head in _objects(store, node, SH + "languageIn"):
            def lang(t):
                if not isinstance(t, pyoxigraph.Literal):
                    raise _HandOver("has an sh:languageIn member that is not a literal")
                return f"LANGMATCHES(LANG(?v), {str(pyoxigraph.Literal(t.value))})"
            bad_values("LanguageInConstraintComponent", f"!isLiteral(?v) || !({any_of(head, lang)})")
        for value in _objects(store, node, SH + "hasValue"):
            if node_level:
                add("HasValueConstraintComponent", f"SELECT DISTINCT ?this WHERE {{ {{{{TARGET}}}} "
                                                   f"FILTER(!sameTerm(?this, {self.constant(value)})) }}", has_value=False)
            else:
                add("HasValueConstraintComponent",
                    f"SELECT DISTINCT ?this WHERE {{ {{ {{{{TARGET}}}} }} MINUS {{ {values.replace('?v', self.constant(value))} }} }}",
                    has_value=False)
        for kind in _objects(store, node, SH + "nodeKind"):
            test = _NODE_KINDS.get(kind.value[len(SH):]) if isinstance(kind, pyoxigraph.NamedNode) \
                and kind.value.startswith(SH) else None
            if test is None:
                raise _HandOver(f"has an unknown sh:nodeKind {kind}")
            bad_values("NodeKindConstraintComponent", f"!{test}")
        for name, op in _COMPARE.items():
            for bound in _objects(store, node, SH + name):
                if not isinstance(bound, pyoxigraph.Literal):
                    raise _HandOver(f"has an sh:{name} that is not a literal")
                bad_values(name[0].upper() + name[1:] + "ConstraintComponent",
                           f"!COALESCE(?v {op} {self.constant(bound)}, false)")
        return queries

    def regex(self, pattern) -> str:
        """The pattern as a SPARQL string, if Oxigraph's regex engine reads it as XPath would."""
        if not isinstance(pattern, pyoxigraph.Literal):
            raise _HandOver("has an sh:pattern that is not a literal")
        if re.search(r"\[[^\]]*-\[", pattern.value) or "\\p{Is" in pattern.value:
            raise _HandOver("has an sh:pattern with XPath-only syntax (class subtraction or \\p{Is…})")
        pat = str(pyoxigraph.Literal(pattern.value))
        row = next(iter(pyoxigraph.Store().query(f'SELECT (REGEX("", {pat}) AS ?ok) WHERE {{}}')))
        if row["ok"] is None:
            raise _HandOver(f"has an sh:pattern that Oxigraph's regex engine does not read: {pattern.value}")
        return pat

    def sparql(self, node, constraint, common: dict) -> _Query | None:
        """One ``sh:SPARQLConstraint``: the focus nodes are joined into the query's top-level group."""
        store = self.shapes
        if isinstance(constraint, pyoxigraph.Literal):
            raise _HandOver("has a literal as sh:sparql")
        extra = sorted(p for p in _predicates(store, constraint) if p not in _CONSTRAINT_KEYS)
        if extra:
            raise _HandOver(f"has a SPARQL constraint with <{extra[0]}>")
        if _deactivated(store, constraint):
            return None
        selects = _objects(store, constraint, SH + "select")
        if len(selects) != 1 or not isinstance(selects[0], pyoxigraph.Literal):
            raise _HandOver("has a SPARQL constraint without exactly one sh:select")
        select = selects[0].value
        reason = flat_reason(select)
        if reason is not None:
            raise _HandOver(f"has a SPARQL query that {reason}")
        reason = reads_any_of(select, self.hard)
        if reason is not None:
            raise _HandOver(f"has a SPARQL query that {reason}, where the store made literals well-formed or merged them")
        if reads_any_of(select, self.soft) is not None and (reason := lexical_reason(select)) is not None:
            raise _HandOver(f"has a SPARQL query that reads literals the store rewrote, and {reason}")
        text = join_focus_nodes(select, "{{TARGET}}")
        try:
            pyoxigraph.Store().query(text.replace("{{TARGET}}", ""))
        except SyntaxError as exc:
            raise _HandOver(f"has a SPARQL query that does not parse: {exc}") from None
        messages = _messages(store, constraint) or common["messages"]
        return _Query(text=text, component=SH + "SPARQLConstraintComponent", shape=common["shape"], path=None,
                      messages=messages, severity=common["severity"], constraint=_text(constraint))


@functools.lru_cache(maxsize=None)
def _sparql_precheck(select: str) -> str | None:
    """The SELECT of a SPARQL constraint without its focus nodes, when that is a precheck
    (:attr:`_Query.precheck`), else ``None``.

    It is one when the query's WHERE group is one basic graph pattern with ``?this`` in a triple
    pattern, under FILTERs and BINDs only (as rdflib's SPARQL algebra reads it): the focus nodes
    come in as a sub-query that projects ``?this`` alone, so each solution with them is a solution
    of the pattern whose ``?this`` is a focus node, and every FILTER and BIND (EXISTS included) sees
    the same bindings with or without them. Anything else (a UNION, a nested group, aggregates, a
    BIND before the pattern that binds ``?this``) gets no precheck.

    rdflib reads the query in a thread of its own: its parser leaves reference cycles through the
    frames of its callers, which would keep the data store alive (here, the build's working store
    after the build has let it go) until the next garbage collection.
    """
    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="sparql-precheck") as pool:
        return pool.submit(_precheck_of, select).result()


def _precheck_of(select: str) -> str | None:
    try:
        from rdflib.plugins.sparql import prepareQuery
        from rdflib.term import Variable

        node = prepareQuery(select).algebra.p
    except Exception:  # noqa: BLE001 - a query rdflib does not read gets no precheck
        return None
    while getattr(node, "name", None) in ("Project", "Distinct", "OrderBy", "Filter", "Extend"):
        node = node.p
    if getattr(node, "name", None) != "BGP" or not any(Variable("this") in t for t in node.triples):
        return None
    return select


def compile_shapes(quads: Iterable[pyoxigraph.Quad], *, rewrites: Rewrites | None = None,
                   ) -> tuple[list[CompiledShape], list[tuple[str, str]]]:
    """Compile every shape that has a target, or say why it goes to pySHACL.

    :param quads: the shapes graph, as parsed.
    :param rewrites: what the store changed in the data graph (:func:`.literals.find_rewrites`).
    :returns: the compiled shapes, and ``(shape, reason)`` for each handed-over shape; both sorted.
    """
    shapes = ShapesGraph(quads)
    parameters = {p.value for q in shapes.quads_for_pattern(None, pyoxigraph.NamedNode(SH + "parameter"), None)
                  for p in _objects(shapes, q.object, SH + "path") if isinstance(p, pyoxigraph.NamedNode)}
    compiler = _Compiler(shapes, frozenset(rewrites.hard_predicates if rewrites else ()),
                         frozenset(rewrites.soft_predicates if rewrites else ()), parameters)
    heads = {q.subject for p in TARGETS for q in shapes.quads_for_pattern(None, pyoxigraph.NamedNode(p), None)}
    for t in _SHAPE_TYPES:  # a shape that is also a class targets its instances
        for q in shapes.quads_for_pattern(None, pyoxigraph.NamedNode(_TYPE), pyoxigraph.NamedNode(t)):
            types = {str(c) for c in _objects(shapes, q.subject, _TYPE)}
            if types - {f"<{x}>" for x in _SHAPE_TYPES} or _objects(shapes, q.subject, _RDFS + "subClassOf"):
                heads.add(q.subject)
    for q in shapes.quads_for_pattern(None, pyoxigraph.NamedNode(SH + "target"), None):
        heads.add(q.subject)
    compiled: list[CompiledShape] = []
    handed: list[tuple[str, str]] = []
    for node in sorted(heads, key=str):
        try:
            shape = compiler.node_shape(node)
        except _HandOver as why:
            handed.append((_text(node), str(why)))
            continue
        if shape is not None:
            compiled.append(shape)
    return compiled, handed


def _subclasses(data: pyoxigraph.Store, cls: str) -> list[str]:
    rows = data.query(f"SELECT DISTINCT ?c WHERE {{ ?c <{_RDFS}subClassOf>* <{cls}> }}")
    found = {r["c"].value for r in rows if isinstance(r["c"], pyoxigraph.NamedNode)}
    return sorted(found | {cls})


def _term(term) -> str | None:
    if term is None:
        return None
    if isinstance(term, pyoxigraph.Literal) and term.language:
        return str(pyoxigraph.Literal(term.value, language=term.language.lower()))
    return str(term)


def _target(data: pyoxigraph.Store, shape: CompiledShape, *, distinct: bool) -> str:
    classes = sorted({c for cls in shape.target_classes for c in _subclasses(data, cls)})
    parts = []
    if classes:
        parts.append(f"VALUES ?nigraphTargetClass {{ {' '.join(f'<{c}>' for c in classes)} }} "
                     f"?this <{_TYPE}> ?nigraphTargetClass .")
    parts += shape.other_targets
    if len(parts) == 1 and not distinct:
        return parts[0]
    union = " UNION ".join(f"{{ {p} }}" for p in parts)
    return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"


#: A shape with at least this many focus nodes asks a query's precheck first (:attr:`_Query.precheck`).
_PRECHECK_FOCUS = 1000


class Ambiguous(Exception):
    """A compiled shape met a literal the store rewrote and cannot tell which literal was written."""


def run_compiled(compiled: list[CompiledShape], data: pyoxigraph.Store, rewrites: Rewrites | None = None,
                 ) -> tuple[list[Result], list[tuple[str, str]]]:
    """Run compiled shapes on a store whose default graph is the data graph.

    :param compiled: from :func:`compile_shapes`.
    :param data: the data (with the ontology, so that ``rdfs:subClassOf`` is seen).
    :param rewrites: what the store changed in the data; results name literals as written.
    :returns: one result per row (SHACL keeps every result), sorted; and ``(shape, reason)`` for shapes
        that met a rewritten literal they cannot map back, whose results are left out: pySHACL checks them.
    """
    rewrites = rewrites or Rewrites()
    results: list[Result] = []
    redo: list[tuple[str, str]] = []
    instances: dict[str, int] = {}
    for shape in compiled:
        try:
            results += _run_shape(shape, data, rewrites, instances)
        except Ambiguous as why:
            redo.append((shape.shape, str(why)))
    return sorted(results, key=Result.sort_key), redo


def _run_shape(shape: CompiledShape, data: pyoxigraph.Store, rewrites: Rewrites, instances: dict[str, int],
               ) -> list[Result]:
    results: list[Result] = []
    target = _target(data, shape, distinct=False)
    focus_count = _count(data, f"SELECT (COUNT(DISTINCT ?this) AS ?n) WHERE {{ {target} }}")
    if not focus_count:
        return results
    distinct_target = _target(data, shape, distinct=True)
    # sh:minCount: when no focus node misses any of the shape's patterns, none of those queries has a row
    missing = [q for q in shape.queries if q.missing is not None]
    skip = {id(q) for q in missing} if focus_count >= _PRECHECK_FOCUS and len(missing) > 1 \
        and not _has_row(data, _missing_precheck(target, missing)) else set()
    for q in shape.queries:
        if id(q) in skip:
            continue
        text, precheck = q.text, q.precheck
        if q.small_class is not None:
            if q.small_class not in instances:
                instances[q.small_class] = _count(data, f"SELECT (COUNT(DISTINCT ?v) AS ?n) WHERE {{ "
                                                        f"?v <{_TYPE}>/<{_RDFS}subClassOf>* <{q.small_class}> }}")
            if instances[q.small_class] <= focus_count:
                text = q.small_class_text or text
                precheck = q.small_class_precheck or precheck
        slot = distinct_target if q.constraint is not None else target
        seen: set[tuple] = set()  # a SPARQL constraint's equal solutions make one result, as in pySHACL

        def add(focus, value, path) -> None:
            results.append(Result(focus=_text(focus), path=path, component=q.component, shape=q.shape,
                                  value=_term(value), constraint=q.constraint, severity=q.severity,
                                  messages=q.messages))

        # the precheck is false: the query has no row (its pattern matches nothing, focus node or not);
        # asked only of many focus nodes (for a few, the join with them is cheaper than a scan)
        precheck = precheck if focus_count < _PRECHECK_FOCUS or q.constraint is None \
            else _sparql_precheck(text.replace("{{TARGET}}", ""))
        rows = () if precheck is not None and focus_count >= _PRECHECK_FOCUS and not _has_row(data, precheck) \
            else data.query(text.replace("{{TARGET}}", slot))
        for row in rows:
            focus = _get(row, "this")
            if focus is None:
                continue
            value = None
            path = q.path
            if q.constraint is not None:
                value = _get(row, "value") or focus
                if isinstance(_get(row, "path"), pyoxigraph.NamedNode):
                    path = row["path"].value
                if (focus, value, path) in seen:
                    continue
                seen.add((focus, value, path))
                value = _as_written(value, focus, path, rewrites, strict=True)
            elif q.has_value:
                value = row["v"]
                if q.ill_formed_only and not ill_formed(value):
                    continue
                if q.path is not None:
                    written = _as_written(value, focus, q.path, rewrites, strict=False)
                    if q.datatype is not None and written is not value:
                        continue  # a rewritten literal: checked as written below
                    value = written
            add(focus, value, path)
        if q.datatype is not None:  # sh:datatype on the rewritten literals, as written
            focus_nodes = {_text(r["this"]) for r in data.query(f"SELECT DISTINCT ?this WHERE {{ {target} }}")}
            for (s, p, _), lit in sorted(rewrites.soft.items()):
                if p == q.path and _node_text(s) in focus_nodes and lit.datatype.value != q.datatype:
                    add(_node(s), lit, p)
    return results


def _missing_precheck(target: str, queries: list[_Query]) -> str:
    """One ASK for several sh:minCount queries of a shape: is there a focus node that misses the
    pattern of any of them? A query's rows are the focus nodes that miss its pattern, so when the
    answer is false none of them has a row (one pass over the focus nodes instead of one each)."""
    return f"ASK {{ {target} FILTER({' || '.join(f'NOT EXISTS {{ {q.missing} }}' for q in queries)}) }}"


def _node_text(ntriples: str) -> str:
    return ntriples[1:-1] if ntriples.startswith("<") else ntriples


def _node(ntriples: str):
    return pyoxigraph.NamedNode(ntriples[1:-1]) if ntriples.startswith("<") else pyoxigraph.BlankNode(ntriples[2:])


def _as_written(value, focus, path: str | None, rewrites: Rewrites, *, strict: bool):
    """The literal as written for a value read from the store (``strict``: refuse to guess)."""
    if not isinstance(value, pyoxigraph.Literal) or not rewrites.stored_forms or str(value) not in rewrites.stored_forms:
        return value
    if path is not None:
        written = rewrites.soft.get((str(focus), path, str(value)))
        if written is not None:
            return written
    if strict:
        raise Ambiguous(f"a SPARQL result names {value}, which the store rewrote from a literal it cannot tell")
    return value


def _has_row(data: pyoxigraph.Store, query: str) -> bool:
    """An ASK's answer, or whether a SELECT has a solution."""
    answer = data.query(query)
    return bool(answer) if isinstance(answer, pyoxigraph.QueryBoolean) else next(iter(answer), None) is not None


def _count(data: pyoxigraph.Store, query: str) -> int:
    rows = list(data.query(query))
    return int(rows[0]["n"].value) if rows else 0


def _get(row: pyoxigraph.QuerySolution, name: str):
    """The row's binding of ``name``, or ``None`` when unbound or not projected."""
    try:
        return row[name]
    except KeyError:
        return None
