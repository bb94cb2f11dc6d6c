"""Reasoning: a consistency check with HermiT and a small materialization.

Neither function changes its input; inferred triples go to
:data:`nigraph.core.iri.INFERRED_GRAPH` and never into asserted data.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal as TLiteral

import pyoxigraph

from ..core.iri import INFERRED_GRAPH, PREFIXES

__all__ = ["Consistency", "OWL2_DATATYPES", "check_consistency", "hermit_triples", "materialize"]

_XSD = PREFIXES["xsd"]
_RDF = PREFIXES["rdf"]
_RDFS = PREFIXES["rdfs"]
_OWL = PREFIXES["owl"]

#: The OWL 2 datatype map (OWL 2 Structural Specification §4); HermiT rejects any other datatype.
OWL2_DATATYPES: frozenset[str] = frozenset(
    [_OWL + "real", _OWL + "rational", _RDF + "PlainLiteral", _RDF + "XMLLiteral", _RDF + "langString",
     _RDFS + "Literal"]
    + [
        _XSD + name
        for name in (
            "decimal", "integer", "nonNegativeInteger", "nonPositiveInteger", "positiveInteger",
            "negativeInteger", "long", "int", "short", "byte", "unsignedLong", "unsignedInt",
            "unsignedShort", "unsignedByte", "double", "float", "string", "normalizedString", "token",
            "language", "Name", "NCName", "NMTOKEN", "boolean", "hexBinary", "base64Binary", "anyURI",
            "dateTime", "dateTimeStamp",
        )
    ]
)

Status = TLiteral["consistent", "inconsistent", "skipped"]


@dataclass(frozen=True)
class Consistency:
    """Outcome of :func:`check_consistency`.

    :param status: ``"consistent"``, ``"inconsistent"`` or ``"skipped"``.
    :param detail: explanation for people (empty when there is nothing to say).
    :param seconds: wall time spent.
    """

    status: Status
    detail: str
    seconds: float


def _triples(quads: Iterable[pyoxigraph.Quad | pyoxigraph.Triple]) -> list[pyoxigraph.Triple]:
    seen: dict[str, pyoxigraph.Triple] = {}
    for q in quads:
        t = pyoxigraph.Triple(q.subject, q.predicate, q.object)
        seen.setdefault(str(t), t)
    return [seen[k] for k in sorted(seen)]


def hermit_triples(quads: Iterable[pyoxigraph.Quad | pyoxigraph.Triple]) -> list[pyoxigraph.Triple]:
    """The triples as HermiT should see them: merged, sorted, and every literal
    whose datatype is outside :data:`OWL2_DATATYPES` retyped as ``xsd:string``.

    :param quads: asserted quads or triples.
    :returns: new triple list (the input is not changed).

    >>> from pyoxigraph import NamedNode, Literal, Quad
    >>> d = Literal("2025-01-01", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#date"))
    >>> [t.object for t in hermit_triples([Quad(NamedNode("http://e/s"), NamedNode("http://e/p"), d)])]
    [<Literal value=2025-01-01 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>]
    """
    out = []
    for t in _triples(quads):
        o = t.object
        if isinstance(o, pyoxigraph.Literal) and o.language is None and o.datatype.value not in OWL2_DATATYPES:
            t = pyoxigraph.Triple(t.subject, t.predicate, pyoxigraph.Literal(o.value))
        out.append(t)
    return out


def check_consistency(quads: Iterable[pyoxigraph.Quad | pyoxigraph.Triple]) -> Consistency:
    """Ask HermiT (through owlready2) whether the asserted triples are consistent.

    Java's and owlready2's own output is captured, never shown.

    :param quads: asserted quads (named graphs are merged).
    :returns: the outcome; ``"skipped"`` with a warning when ``java`` is not on PATH.
    """
    start = time.perf_counter()
    if shutil.which("java") is None:
        return Consistency("skipped", "warning: java not found on PATH; OWL consistency check skipped",
                           time.perf_counter() - start)
    import owlready2  # imported late: it is slow to import and needs nothing until here

    triples = hermit_triples(quads)
    captured = io.StringIO()
    fd, nt_path = tempfile.mkstemp(prefix=".nigraph-hermit-", suffix=".nt")
    world = None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            for t in triples:
                fh.write(f"{t.subject} {t.predicate} {t.object} .\n")
        with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
            world = owlready2.World()
            onto = world.get_ontology("file://" + nt_path).load(format="ntriples")
            try:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
            except owlready2.OwlReadyInconsistentOntologyError:
                return Consistency(
                    "inconsistent",
                    "HermiT: the ontology and data are inconsistent (no model exists); look for an "
                    "individual in two disjoint classes, or a value that breaks a range or cardinality",
                    time.perf_counter() - start,
                )
            except owlready2.OwlReadyJavaError as exc:
                lines = [ln for ln in str(exc).splitlines() if ln.strip() and "java " not in ln]
                first = lines[1] if len(lines) > 1 else (lines[0] if lines else "unknown error")
                return Consistency("skipped", f"warning: HermiT failed: {first.strip()}",
                                   time.perf_counter() - start)
            unsat = sorted(c.iri for c in world.inconsistent_classes() if hasattr(c, "iri"))
            del onto
        detail = ("unsatisfiable classes: " + ", ".join(unsat)) if unsat else ""
        return Consistency("consistent", detail, time.perf_counter() - start)
    finally:
        if world is not None:
            with contextlib.suppress(Exception), contextlib.redirect_stdout(captured), \
                    contextlib.redirect_stderr(captured):
                world.close()
        with contextlib.suppress(OSError):
            os.unlink(nt_path)


_PREAMBLE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in sorted(PREFIXES.items()))

#: The rules of :func:`materialize`; each CONSTRUCT is run until nothing new appears.
RULES: tuple[str, ...] = (
    # rdf:type through rdfs:subClassOf*
    "CONSTRUCT { ?x a ?d } WHERE { ?x a ?c . ?c rdfs:subClassOf+ ?d . FILTER(isIRI(?d)) }",
    # triples through rdfs:subPropertyOf*
    "CONSTRUCT { ?s ?q ?o } WHERE { ?p rdfs:subPropertyOf+ ?q . FILTER(isIRI(?q)) ?s ?p ?o }",
    # owl:inverseOf, both ways
    "CONSTRUCT { ?o ?q ?s } WHERE { ?p owl:inverseOf ?q . FILTER(isIRI(?q)) ?s ?p ?o . FILTER(!isLiteral(?o)) }",
    "CONSTRUCT { ?o ?p ?s } WHERE { ?p owl:inverseOf ?q . FILTER(isIRI(?p)) ?s ?q ?o . FILTER(!isLiteral(?o)) }",
    # rdfs:domain / rdfs:range, for nig: properties only
    "CONSTRUCT { ?s a ?c } WHERE { ?p rdfs:domain ?c . FILTER(isIRI(?c) && STRSTARTS(STR(?p), STR(nig:))) ?s ?p ?o }",
    "CONSTRUCT { ?o a ?c } WHERE { ?p rdfs:range ?c . FILTER(isIRI(?c) && STRSTARTS(STR(?p), STR(nig:))) "
    "?s ?p ?o . FILTER(!isLiteral(?o)) }",
)


def materialize(quads: Iterable[pyoxigraph.Quad | pyoxigraph.Triple]) -> list[pyoxigraph.Quad]:
    """Compute a small, deterministic RDFS/OWL-RL subset (see :data:`RULES`).

    :param quads: asserted quads (graphs are merged); not changed.
    :returns: only the triples that were not asserted, sorted, in :data:`~nigraph.core.iri.INFERRED_GRAPH`.

    >>> from pyoxigraph import NamedNode as N, Quad
    >>> nig = "https://w3id.org/nigraph/def/"
    >>> sub = N("http://www.w3.org/2000/01/rdf-schema#subClassOf")
    >>> a = N("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    >>> qs = [Quad(N(nig + "SubTask"), sub, N(nig + "Task")), Quad(N("https://w3id.org/nigraph/id/task/1.1"), a, N(nig + "SubTask"))]
    >>> [(q.subject.value, q.object.value) for q in materialize(qs)]
    [('https://w3id.org/nigraph/id/task/1.1', 'https://w3id.org/nigraph/def/Task')]
    """
    asserted = _triples(quads)
    store = pyoxigraph.Store()
    store.extend(pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in asserted)
    known = {str(t) for t in asserted}
    new: dict[str, pyoxigraph.Triple] = {}
    for _ in range(100):  # a fixpoint is reached long before; the bound only guards against bugs
        added = []
        for rule in RULES:
            for t in store.query(_PREAMBLE + rule):
                key = str(t)
                if key not in known and key not in new:
                    new[key] = t
                    added.append(t)
        if not added:
            break
        store.extend(pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in added)
    return [pyoxigraph.Quad(new[k].subject, new[k].predicate, new[k].object, INFERRED_GRAPH) for k in sorted(new)]
