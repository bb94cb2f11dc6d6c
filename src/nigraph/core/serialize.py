"""Deterministic dumps: the same triples give the same bytes, whatever their order.

Named graphs are merged. Blank nodes, if any, are relabelled by RDFC-1.0
canonicalization; subjects, predicates and objects are sorted. Writing files
is :mod:`nigraph.core.files`'s job.

>>> from pyoxigraph import NamedNode as N, Literal, Quad
>>> q = Quad(N("https://w3id.org/nigraph/id/task/1"), N("http://www.w3.org/2000/01/rdf-schema#label"), Literal("任务", language="zh"))
>>> print(to_ntriples([q]), end="")
<https://w3id.org/nigraph/id/task/1> <http://www.w3.org/2000/01/rdf-schema#label> "任务"@zh .
>>> print(to_turtle([q], {"rdfs": "http://www.w3.org/2000/01/rdf-schema#"}), end="")
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<BLANKLINE>
<https://w3id.org/nigraph/id/task/1> rdfs:label "任务"@zh .
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping

import pyoxigraph


__all__ = [
    "canonical_triples", "to_turtle", "to_ntriples", "to_jsonld", "to_nquads", "to_trig", "to_rdfxml",
    "by_graph",
]

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")

Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal


def canonical_triples(quads: Iterable[pyoxigraph.Quad | pyoxigraph.Triple]) -> list[pyoxigraph.Triple]:
    """Merge graphs, drop duplicates, label blank nodes canonically, and sort by N-Triples line.

    :param quads: quads or triples, in any order.
    :returns: sorted distinct triples.
    """
    triples = {}
    has_bnode = False
    for q in quads:
        t = pyoxigraph.Triple(q.subject, q.predicate, q.object)
        has_bnode = has_bnode or isinstance(t.subject, pyoxigraph.BlankNode) or isinstance(t.object, pyoxigraph.BlankNode)
        triples[str(t)] = t
    if has_bnode:
        ds = pyoxigraph.Dataset(pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in triples.values())
        ds.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
        triples = {}
        for q in ds:
            t = pyoxigraph.Triple(q.subject, q.predicate, q.object)
            triples[str(t)] = t
    return [triples[k] for k in sorted(triples)]


def _sort_key(term: Term) -> tuple:
    if isinstance(term, pyoxigraph.NamedNode):
        return (0, term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return (1, term.value)
    return (2, term.value, term.language or "", term.datatype.value)


def _prefixed(iri: str, prefixes: Mapping[str, str]) -> str | None:
    best: tuple[int, str] | None = None
    for prefix, ns in prefixes.items():
        if iri.startswith(ns) and _LOCAL.fullmatch(iri[len(ns):]):
            if best is None or len(ns) > best[0]:
                best = (len(ns), f"{prefix}:{iri[len(ns):]}")
    return best[1] if best else None


def _ttl_iri(node: pyoxigraph.NamedNode, prefixes: Mapping[str, str]) -> str:
    return _prefixed(node.value, prefixes) or str(node)


def _ttl_term(term: Term, prefixes: Mapping[str, str]) -> str:
    if isinstance(term, pyoxigraph.NamedNode):
        return _ttl_iri(term, prefixes)
    if isinstance(term, pyoxigraph.BlankNode):
        return str(term)
    lexical = str(pyoxigraph.Literal(term.value))  # pyoxigraph's escaping of the lexical form
    if term.language:
        return f"{lexical}@{term.language}"
    if term.datatype.value == _XSD_STRING:
        return lexical
    return f"{lexical}^^{_ttl_iri(term.datatype, prefixes)}"


def _grouped(triples: list[pyoxigraph.Triple]) -> list[tuple[Term, list[tuple[pyoxigraph.NamedNode, list[Term]]]]]:
    by_subject: dict[tuple, tuple[Term, dict[str, tuple[pyoxigraph.NamedNode, list[Term]]]]] = {}
    for t in triples:
        entry = by_subject.setdefault(_sort_key(t.subject), (t.subject, {}))
        entry[1].setdefault(t.predicate.value, (t.predicate, []))[1].append(t.object)
    out = []
    for key in sorted(by_subject):
        subject, preds = by_subject[key]
        order = sorted(preds, key=lambda p: (p != _RDF_TYPE, p))
        out.append((subject, [(preds[p][0], sorted(preds[p][1], key=_sort_key)) for p in order]))
    return out


def to_turtle(triples: Iterable[pyoxigraph.Quad | pyoxigraph.Triple], prefixes: Mapping[str, str]) -> str:
    """Write Turtle with sorted prefixes, subjects, predicates (``a`` first) and objects.

    :param triples: quads or triples (graphs are merged).
    :param prefixes: prefix → namespace; all are declared, sorted by prefix.
    :returns: the document, ending in a newline.
    """
    lines = [f"@prefix {p}: <{prefixes[p]}> ." for p in sorted(prefixes)]
    for subject, preds in _grouped(canonical_triples(triples)):
        lines.append("")
        parts = []
        for pred, objs in preds:
            verb = "a" if pred.value == _RDF_TYPE else _ttl_iri(pred, prefixes)
            parts.append(f"{verb} " + ", ".join(_ttl_term(o, prefixes) for o in objs))
        lines.append(_ttl_term(subject, prefixes) + " " + " ;\n    ".join(parts) + " .")
    return "\n".join(lines) + "\n"


def to_ntriples(triples: Iterable[pyoxigraph.Quad | pyoxigraph.Triple]) -> str:
    """Write N-Triples, one sorted line per distinct triple.

    :param triples: quads or triples (graphs are merged).
    :returns: the document ('' for no triples).
    """
    return "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in canonical_triples(triples))


def _json_iri(node: pyoxigraph.NamedNode | pyoxigraph.BlankNode, prefixes: Mapping[str, str]) -> str:
    if isinstance(node, pyoxigraph.BlankNode):
        return f"_:{node.value}"
    return _prefixed(node.value, prefixes) or node.value


def _json_value(term: Term, prefixes: Mapping[str, str]) -> dict[str, str]:
    if isinstance(term, pyoxigraph.Literal):
        value = {"@value": term.value}
        if term.language:
            value["@language"] = term.language
        elif term.datatype.value != _XSD_STRING:
            value["@type"] = _json_iri(term.datatype, prefixes)
        return value
    return {"@id": _json_iri(term, prefixes)}


def to_jsonld(triples: Iterable[pyoxigraph.Quad | pyoxigraph.Triple], prefixes: Mapping[str, str]) -> str:
    """Write JSON-LD as ``{"@context": prefixes, "@graph": [...]}``, nodes sorted by ``@id``.

    Every property value is a list of ``{"@id"}`` or ``{"@value", "@language"|"@type"}``
    objects; ``rdf:type`` values go to ``@type``.

    :param triples: quads or triples (graphs are merged).
    :param prefixes: prefix → namespace, used as the context and to compact IRIs.
    :returns: the document, ending in a newline.
    """
    nodes = []
    for subject, preds in _grouped(canonical_triples(triples)):
        node: dict[str, object] = {"@id": _json_iri(subject, prefixes)}
        for pred, objs in preds:
            if pred.value == _RDF_TYPE and all(isinstance(o, pyoxigraph.NamedNode) for o in objs):
                node["@type"] = [_json_iri(o, prefixes) for o in objs]
            else:
                node[_json_iri(pred, prefixes)] = [_json_value(o, prefixes) for o in objs]
        nodes.append(node)
    doc = {"@context": dict(sorted(prefixes.items())), "@graph": nodes}
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def by_graph(quads: Iterable[pyoxigraph.Quad]) -> list[tuple[str, list[pyoxigraph.Triple]]]:
    """Group quads by named graph (sorted by graph IRI), each graph's triples canonical and sorted.

    Blank nodes are labelled per graph (graphs of this project share none).

    :param quads: quads in any order; default-graph quads are grouped under ``""``.
    :returns: ``[(graph IRI, triples), ...]``.
    """
    graphs: dict[str, list[pyoxigraph.Quad]] = {}
    for q in quads:
        name = "" if isinstance(q.graph_name, pyoxigraph.DefaultGraph) else q.graph_name.value
        graphs.setdefault(name, []).append(q)
    return [(g, canonical_triples(graphs[g])) for g in sorted(graphs)]


def to_nquads(quads: Iterable[pyoxigraph.Quad]) -> str:
    """Write N-Quads: graphs sorted by IRI, each graph's lines sorted.

    :param quads: quads; each keeps its graph.
    :returns: the document.

    >>> from pyoxigraph import NamedNode as N, Quad
    >>> print(to_nquads([Quad(N("http://e/s"), N("http://e/p"), N("http://e/o"), N("http://e/g"))]), end="")
    <http://e/s> <http://e/p> <http://e/o> <http://e/g> .
    """
    lines = []
    for graph, triples in by_graph(quads):
        suffix = f" <{graph}> .\n" if graph else " .\n"
        lines.extend(f"{t.subject} {t.predicate} {t.object}{suffix}" for t in triples)
    return "".join(lines)


def to_trig(quads: Iterable[pyoxigraph.Quad], prefixes: Mapping[str, str]) -> str:
    """Write TriG: sorted prefixes, then one block per named graph (sorted), laid out like :func:`to_turtle`.

    :param quads: quads; each keeps its graph.
    :param prefixes: prefix → namespace.
    :returns: the document, ending in a newline.
    """
    lines = [f"@prefix {p}: <{prefixes[p]}> ." for p in sorted(prefixes)]
    for graph, triples in by_graph(quads):
        lines.append("")
        lines.append(f"<{graph}> {{" if graph else "{")
        for subject, preds in _grouped(triples):
            parts = []
            for pred, objs in preds:
                verb = "a" if pred.value == _RDF_TYPE else _ttl_iri(pred, prefixes)
                parts.append(f"{verb} " + ", ".join(_ttl_term(o, prefixes) for o in objs))
            lines.append("    " + _ttl_term(subject, prefixes) + " " + " ;\n        ".join(parts) + " .")
        lines.append("}")
    return "\n".join(lines) + "\n"


def to_rdfxml(triples: Iterable[pyoxigraph.Quad | pyoxigraph.Triple], prefixes: Mapping[str, str]) -> str:
    """Write RDF/XML with pyoxigraph's writer, triples in sorted order (graphs are merged).

    :param triples: quads or triples.
    :param prefixes: prefix → namespace, declared as XML namespaces.
    :returns: the document.
    """
    ordered = [t for _, preds in _grouped(canonical_triples(triples)) for t in _flatten(_, preds)]
    raw = pyoxigraph.serialize(ordered, format=pyoxigraph.RdfFormat.RDF_XML, prefixes=dict(sorted(prefixes.items())))
    return raw.decode("utf-8")


def _flatten(subject: Term, preds: list[tuple[pyoxigraph.NamedNode, list[Term]]]) -> list[pyoxigraph.Triple]:
    return [pyoxigraph.Triple(subject, p, o) for p, objs in preds for o in objs]
