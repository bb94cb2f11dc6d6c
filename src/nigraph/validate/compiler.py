"""The fast path: compile SHACL Core shapes (the subset nigraph uses) and SHACL-SPARQL constraints to
SPARQL SELECT queries, and run them on a pyoxigraph store.

Each query returns the rows pySHACL would report for one constraint of one shape, for all focus
nodes at once, so results are identical to pySHACL's (:func:`nigraph.validate.run.validate` cross-checks
this in the tests). Supported: ``sh:targetClass``; node shapes with ``sh:nodeKind``, ``sh:property``
and ``sh:sparql``; property shapes whose ``sh:path`` is an IRI, with ``sh:minCount``, ``sh:maxCount``,
``sh:datatype``, ``sh:class``, ``sh:in``, ``sh:pattern`` (no ``sh:flags``), ``sh:languageIn``,
``sh:uniqueLang``, ``sh:hasValue``, ``sh:nodeKind``, ``sh:min/maxInclusive`` and
``sh:min/maxExclusive``; ``sh:message``, ``sh:severity`` and ``sh:deactivated``. A node shape that
uses anything else is returned by :func:`compile_shapes` as unsupported, for pySHACL to check.

>>> import pyoxigraph as ox
>>> shapes = ox.Store()
>>> shapes.load(b'''@prefix sh: <http://www.w3.org/ns/shacl#> .
... <http://e/S> a sh:NodeShape ; sh:targetClass <http://e/C> ; sh:property <http://e/S-p> .
... <http://e/S-p> sh:path <http://e/p> ; sh:minCount 1 ; sh:message "Add p."@en .''', format=ox.RdfFormat.TURTLE)
>>> compiled, unsupported = compile_shapes(shapes)
>>> data = ox.Store()
>>> data.load(b'<http://e/a> a <http://e/C> .', format=ox.RdfFormat.TURTLE)
>>> [(r.focus, r.component.split("#")[1]) for r in run_compiled(compiled, data)]
[('http://e/a', 'MinCountConstraintComponent')]
>>> unsupported
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph

from ..core.iri import PREFIXES
from .results import SH, Result

__all__ = ["CompiledShape", "compile_shapes", "run_compiled", "SUPPORTED"]

_RDF = PREFIXES["rdf"]
_RDFS = PREFIXES["rdfs"]
_XSD = PREFIXES["xsd"]

#: Predicates (in the ``sh:`` namespace) the compiler understands on node and property shapes.
SUPPORTED: frozenset[str] = frozenset(SH + p for p in (
    "targetClass", "property", "sparql", "nodeKind", "message", "severity", "deactivated", "name",
    "description", "order", "group", "path", "minCount", "maxCount", "datatype", "class", "in", "pattern",
    "languageIn", "uniqueLang", "hasValue", "minInclusive", "maxInclusive", "minExclusive", "maxExclusive",
))
#: Datatypes whose lexical form pyoxigraph can check with a cast (an ill-formed literal is a violation).
_CASTABLE = frozenset(_XSD + d for d in (
    "integer", "decimal", "double", "float", "boolean", "date", "dateTime", "time", "gYear", "gYearMonth",
    "gMonth", "gDay", "gMonthDay", "duration",
))
_NODE_KINDS = {
    "IRI": "isIRI(?v)", "BlankNode": "isBlank(?v)", "Literal": "isLiteral(?v)",
    "BlankNodeOrIRI": "(isBlank(?v) || isIRI(?v))", "BlankNodeOrLiteral": "(isBlank(?v) || isLiteral(?v))",
    "IRIOrLiteral": "(isIRI(?v) || isLiteral(?v))",
}
_COMPARE = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}


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
    value_is_focus: bool = False
    has_value: bool = True
    #: for sh:class: the class, and the query to use instead when it has fewer instances than there are
    #: focus nodes (an anti-join with all instances is then cheaper than one lookup per value)
    small_class: str | None = None
    small_class_text: str | None = None


@dataclass(frozen=True)
class CompiledShape:
    """A node shape compiled to queries.

    :param shape: the node shape's IRI.
    :param target_classes: the IRIs of its ``sh:targetClass`` values.
    :param queries: the queries (their text has a ``{{TARGET}}`` slot for the focus-node pattern).
    """

    shape: str
    target_classes: tuple[str, ...]
    queries: tuple[_Query, ...] = field(default=())


def _objects(store: pyoxigraph.Store, s: pyoxigraph.NamedNode | pyoxigraph.BlankNode, p: str) -> list:
    return sorted((q.object for q in store.quads_for_pattern(s, pyoxigraph.NamedNode(p), None)), key=str)


def _one(store: pyoxigraph.Store, s, p: str):
    values = _objects(store, s, p)
    return values[0] if values else None


def _messages(store: pyoxigraph.Store, node) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((m.language or "", m.value) for m in _objects(store, node, SH + "message")
                        if isinstance(m, pyoxigraph.Literal)))


def _rdf_list(store: pyoxigraph.Store, head) -> list | None:
    items = []
    while head is not None and not (isinstance(head, pyoxigraph.NamedNode) and head.value == _RDF + "nil"):
        first = _one(store, head, _RDF + "first")
        if first is None:
            return None
        items.append(first)
        head = _one(store, head, _RDF + "rest")
    return items if head is not None else None


def _severity(store: pyoxigraph.Store, node) -> str:
    sev = _one(store, node, SH + "severity")
    return sev.value[len(SH):] if isinstance(sev, pyoxigraph.NamedNode) and sev.value.startswith(SH) else "Violation"


def _sh_predicates(store: pyoxigraph.Store, node) -> set[str]:
    return {q.predicate.value for q in store.quads_for_pattern(node, None, None) if q.predicate.value.startswith(SH)}


def _is_true(term) -> bool:
    return isinstance(term, pyoxigraph.Literal) and term.value in ("true", "1")


def _focus_values(path: str) -> str:
    return f"{{{{TARGET}}}} ?this <{path}> ?v ."


def _property_queries(store: pyoxigraph.Store, node_shape: str, ps) -> list[_Query] | None:
    """Queries for one property shape, or ``None`` if it uses something unsupported."""
    if not isinstance(ps, pyoxigraph.NamedNode) or not _sh_predicates(store, ps) <= SUPPORTED:
        return None
    if _is_true(_one(store, ps, SH + "deactivated")):
        return []
    path_term = _one(store, ps, SH + "path")
    if not isinstance(path_term, pyoxigraph.NamedNode) or len(_objects(store, ps, SH + "path")) != 1:
        return None
    if _objects(store, ps, SH + "property") or _objects(store, ps, SH + "sparql"):
        return None
    path = path_term.value
    common = {"shape": ps.value, "path": path, "messages": _messages(store, ps), "severity": _severity(store, ps)}
    queries: list[_Query] = []

    def add(component: str, text: str, *, has_value: bool = True, **extra) -> None:
        queries.append(_Query(text=text, component=SH + component, has_value=has_value, **common, **extra))

    def bad_values(component: str, bad: str) -> None:
        """Each value ``?v`` for which ``bad`` holds is a result."""
        add(component, f"SELECT DISTINCT ?this ?v WHERE {{ {_focus_values(path)} FILTER({bad}) }}")

    def any_of(head, test) -> str | None:
        """``test(item) || …`` over an RDF list, or ``None`` if the list is malformed."""
        items = _rdf_list(store, head)
        return None if items is None else (" || ".join(test(t) for t in items) or "false")

    two_values = f"?this <{path}> ?v1 . ?this <{path}> ?v2 . FILTER(!sameTerm(?v1, ?v2))"
    for n in _objects(store, ps, SH + "minCount"):
        k = int(n.value)
        if k in (1, 2):  # no value at all / no two distinct values: one lookup per focus node
            have = f"?this <{path}> ?v" if k == 1 else two_values
            add("MinCountConstraintComponent",
                f"SELECT DISTINCT ?this WHERE {{ {{{{TARGET}}}} FILTER NOT EXISTS {{ {have} }} }}", has_value=False)
        elif k > 2:
            add("MinCountConstraintComponent",
                f"SELECT ?this WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {{{{TARGET}}}} }} }} OPTIONAL {{ ?this <{path}> ?v }} }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {k})", has_value=False)
    for n in _objects(store, ps, SH + "maxCount"):
        k = int(n.value)
        if k == 0:
            add("MaxCountConstraintComponent",
                f"SELECT DISTINCT ?this WHERE {{ {{{{TARGET}}}} ?this <{path}> ?v }}", has_value=False)
        elif k == 1:  # a self-join finds two distinct values faster than grouping every focus node
            add("MaxCountConstraintComponent",
                f"SELECT DISTINCT ?this WHERE {{ {{{{TARGET}}}} {two_values} }}", has_value=False)
        else:
            add("MaxCountConstraintComponent",
                f"SELECT ?this WHERE {{ {{{{TARGET}}}} ?this <{path}> ?v }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {k})", has_value=False)
    for dt in _objects(store, ps, SH + "datatype"):
        ok = f"(isLiteral(?v) && DATATYPE(?v) = {dt}"
        if dt.value in _CASTABLE:
            ok += f" && COALESCE(STRLEN(STR({dt}(STR(?v)))) >= 0, false)"
        bad_values("DatatypeConstraintComponent", f"!{ok})")
    for cls in _objects(store, ps, SH + "class"):
        instance = f"?v <{_RDF}type>/<{_RDFS}subClassOf>* {cls}"
        add("ClassConstraintComponent",
            f"SELECT DISTINCT ?this ?v WHERE {{ {_focus_values(path)} FILTER NOT EXISTS {{ {instance} }} }}",
            small_class=cls.value,
            small_class_text=f"SELECT DISTINCT ?this ?v WHERE {{ {{ {_focus_values(path)} }} MINUS {{ {instance} }} }}")
    for head in _objects(store, ps, SH + "in"):
        test = any_of(head, lambda t: f"sameTerm(?v, {t})")
        if test is None:
            return None
        bad_values("InConstraintComponent", f"!({test})")
    if _objects(store, ps, SH + "pattern") and _objects(store, ps, SH + "flags"):
        return None
    for pattern in _objects(store, ps, SH + "pattern"):
        pat = str(pyoxigraph.Literal(pattern.value))
        bad_values("PatternConstraintComponent", f"isBlank(?v) || !REGEX(STR(?v), {pat})")
    for head in _objects(store, ps, SH + "languageIn"):
        test = any_of(head, lambda lang: f"LANGMATCHES(LANG(?v), {str(pyoxigraph.Literal(lang.value))})")
        if test is None:
            return None
        bad_values("LanguageInConstraintComponent", f"!isLiteral(?v) || !({test})")
    if any(_is_true(u) for u in _objects(store, ps, SH + "uniqueLang")):
        add("UniqueLangConstraintComponent",
            f"SELECT DISTINCT ?this WHERE {{ {{ SELECT ?this ?lang WHERE {{ "
            f"{{ SELECT DISTINCT ?this ?v (LCASE(LANG(?v)) AS ?lang) WHERE {{ {_focus_values(path)} "
            f"FILTER(isLiteral(?v) && LANG(?v) != \"\") }} }} }} GROUP BY ?this ?lang HAVING (COUNT(?v) > 1) }} }}", has_value=False)
    for value in _objects(store, ps, SH + "hasValue"):
        add("HasValueConstraintComponent",
            f"SELECT DISTINCT ?this WHERE {{ {{ {{{{TARGET}}}} }} MINUS {{ ?this <{path}> {value} }} }}", has_value=False)
    for kind in _objects(store, ps, SH + "nodeKind"):
        test = _NODE_KINDS.get(kind.value[len(SH):]) if kind.value.startswith(SH) else None
        if test is None:
            return None
        bad_values("NodeKindConstraintComponent", f"!{test}")
    for name, op in _COMPARE.items():
        for bound in _objects(store, ps, SH + name):
            bad_values(name[0].upper() + name[1:] + "ConstraintComponent", f"!COALESCE(?v {op} {bound}, false)")
    return queries


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_THIS = re.compile(r"\$this\b")


def _sparql_query(store: pyoxigraph.Store, node_shape, constraint) -> _Query | None:
    """Compile one ``sh:SPARQLConstraint``: ``$this`` is bound by joining the focus-node pattern first."""
    if not isinstance(constraint, pyoxigraph.NamedNode):
        return None
    preds = _sh_predicates(store, constraint)
    if not preds <= {SH + "select", SH + "message", SH + "severity", SH + "deactivated"}:
        return None
    if _is_true(_one(store, constraint, SH + "deactivated")):
        return None
    select = _one(store, constraint, SH + "select")
    if select is None or "$PATH" in select.value or "$currentShape" in select.value or "$shapesGraph" in select.value:
        return None
    text = _THIS.sub("?this", select.value)
    match = _WHERE.search(text)
    if match is None:
        return None
    text = text[:match.end()] + " {{TARGET}} " + text[match.end():]
    messages = _messages(store, constraint) or _messages(store, node_shape)
    return _Query(text=text, component=SH + "SPARQLConstraintComponent", shape=node_shape.value, path=None,
                  messages=messages, severity=_severity(store, constraint), constraint=constraint.value,
                  value_is_focus=True)


def compile_shapes(shapes: pyoxigraph.Store) -> tuple[list[CompiledShape], list[str]]:
    """Compile every node shape with a ``sh:targetClass``.

    :param shapes: a store holding the shapes graph (any graph; the default graph is searched as a union).
    :returns: the compiled shapes, and the IRIs (or blank-node ids) of node shapes that use an
        unsupported feature and must be checked by pySHACL; both sorted.
    """
    rows = shapes.query(f"SELECT DISTINCT ?s WHERE {{ {{ ?s <{SH}targetClass> ?c }} UNION {{ ?s a <{SH}NodeShape> }} "
                        f"UNION {{ ?s <{SH}targetNode>|<{SH}targetSubjectsOf>|<{SH}targetObjectsOf> ?x }} }}",
                        use_default_graph_as_union=True)
    compiled: list[CompiledShape] = []
    unsupported: list[str] = []
    for row in sorted(rows, key=lambda r: str(r["s"])):
        node = row["s"]
        classes = tuple(c.value for c in _objects(shapes, node, SH + "targetClass") if isinstance(c, pyoxigraph.NamedNode))
        if _is_true(_one(shapes, node, SH + "deactivated")):
            continue
        ok = isinstance(node, pyoxigraph.NamedNode) and _sh_predicates(shapes, node) <= SUPPORTED
        queries: list[_Query] = []
        if ok:
            for kind in _objects(shapes, node, SH + "nodeKind"):
                test = _NODE_KINDS.get(kind.value[len(SH):]) if kind.value.startswith(SH) else None
                if test is None:
                    ok = False
                    break
                queries.append(_Query(
                    text=f"SELECT DISTINCT ?this WHERE {{ {{{{TARGET}}}} BIND(?this AS ?v) FILTER(!{test}) }}",
                    component=SH + "NodeKindConstraintComponent", shape=node.value, path=None,
                    messages=_messages(shapes, node), severity=_severity(shapes, node), value_is_focus=True))
        if ok:
            for ps in _objects(shapes, node, SH + "property"):
                q = _property_queries(shapes, node.value, ps)
                if q is None:
                    ok = False
                    break
                queries += q
        if ok:
            for c in _objects(shapes, node, SH + "sparql"):
                if _is_true(_one(shapes, c, SH + "deactivated")):
                    continue
                q = _sparql_query(shapes, node, c)
                if q is None:
                    ok = False
                    break
                queries.append(q)
        if not ok:
            unsupported.append(str(node) if isinstance(node, pyoxigraph.BlankNode) else node.value)
            continue
        if classes:
            compiled.append(CompiledShape(node.value, classes, tuple(queries)))
    return compiled, unsupported


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


def _node_text(term) -> str:
    return str(term) if isinstance(term, pyoxigraph.BlankNode) else term.value


def run_compiled(compiled: list[CompiledShape], data: pyoxigraph.Store) -> list[Result]:
    """Run compiled shapes on a store whose default graph is the data graph.

    :param compiled: from :func:`compile_shapes`.
    :param data: the data (with the ontology, so that ``rdfs:subClassOf`` is seen).
    :returns: the results, distinct and sorted.
    """
    results: set[Result] = set()
    instances: dict[str, int] = {}
    for shape in compiled:
        classes = sorted({c for cls in shape.target_classes for c in _subclasses(data, cls)})
        values = " ".join(f"<{c}>" for c in classes)
        target = f"VALUES ?nigraphTargetClass {{ {values} }} ?this <{_RDF}type> ?nigraphTargetClass ."
        focus_count = _count(data, f"SELECT (COUNT(DISTINCT ?this) AS ?n) WHERE {{ {target} }}")
        if not focus_count:
            continue
        for q in shape.queries:
            text = q.text
            if q.small_class is not None:
                if q.small_class not in instances:
                    instances[q.small_class] = _count(data, f"SELECT (COUNT(DISTINCT ?v) AS ?n) WHERE {{ "
                                                            f"?v <{_RDF}type>/<{_RDFS}subClassOf>* <{q.small_class}> }}")
                if instances[q.small_class] <= focus_count:
                    text = q.small_class_text or text
            for row in data.query(text.replace("{{TARGET}}", target)):
                focus = row["this"]
                if focus is None:
                    continue
                value = None
                if q.constraint is not None:
                    value = _get(row, "value") or focus
                elif q.has_value:
                    value = focus if q.value_is_focus else row["v"]
                path = q.path
                if q.constraint is not None and _get(row, "path") is not None:
                    path = _node_text(row["path"])
                results.add(Result(focus=_node_text(focus), path=path, component=q.component, shape=q.shape,
                                   value=_term(value), constraint=q.constraint, severity=q.severity,
                                   messages=q.messages))
    return sorted(results, key=Result.sort_key)


def _count(data: pyoxigraph.Store, query: str) -> int:
    rows = list(data.query(query))
    return int(rows[0]["n"].value) if rows else 0


def _get(row: pyoxigraph.QuerySolution, name: str):
    """The row's binding of ``name``, or ``None`` when unbound or not projected."""
    try:
        return row[name]
    except KeyError:
        return None
