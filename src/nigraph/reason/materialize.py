"""Materialization over the build's sorted N-Triples lines: the rules of :data:`nigraph.reason.owl.RULES`,
each axiom looked up in a table (:mod:`nigraph.reason.tbox`), each literal kept exactly as written.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..core.iri import PREFIXES
from .tbox import TBox

__all__ = ["materialize_lines"]

_RDF = PREFIXES["rdf"]

_TYPE = b"<" + (_RDF + "type").encode() + b">"


def materialize_lines(asserted: Iterable[bytes], tbox: TBox) -> list[bytes]:
    """Compute the materialization rules over sorted N-Triples lines, with the axioms looked up in ``tbox``.

    The rules are :data:`~nigraph.reason.owl.RULES` (which :func:`~nigraph.reason.owl.materialize` runs as SPARQL):
    types up ``rdfs:subClassOf``, triples up ``rdfs:subPropertyOf``, ``owl:inverseOf`` both ways
    (not for literals), ``rdfs:domain`` and ``rdfs:range`` of ``nig:`` properties. Each new triple
    is fed back until nothing new appears. Working on the text keeps every literal exactly as
    written (a store would give back its canonical form) and costs one dictionary lookup per line.

    :param asserted: the asserted triples, N-Triples lines (``b"<s> <p> <o> .\\n"``).
    :param tbox: the axioms, read from the same triples (:func:`nigraph.reason.tbox.read_tbox`).
    :returns: the inferred triples that were not asserted, sorted distinct lines.
    """
    nig = "<" + PREFIXES["nig"]
    supers = {c.encode(): [d.encode() for d in ds if d != c] for c, ds in tbox.supers.items()}
    actions: dict[bytes, tuple[list[bytes], list[bytes], list[bytes], list[bytes]]] = {}
    for p in set(tbox.superprops) | set(tbox.inverse) | set(tbox.domain) | set(tbox.range):
        ups = [q.encode() for q in tbox.superprops.get(p, ()) if q != p]
        inv = [q.encode() for q in tbox.inverse.get(p, ())]
        rng = [c.encode() for c in tbox.range.get(p, ())] if p.startswith(nig) else []
        dom = [c.encode() for c in tbox.domain.get(p, ())] if p.startswith(nig) else []
        if ups or inv or rng or dom:
            actions[p.encode()] = (ups, inv, rng, dom)

    known = set(asserted)
    new: set[bytes] = set()

    def add(line: bytes) -> None:
        if line not in known and line not in new:
            new.add(line)
            todo.append(line)

    todo: list[bytes] = []

    def visit(line: bytes) -> None:
        s, p, rest = line.split(b" ", 2)
        if p == _TYPE:
            for d in supers.get(rest[:-3], ()):
                add(b"%s %s %s .\n" % (s, p, d))
        act = actions.get(p)
        if act is None:
            return
        ups, inv, rng, dom = act
        for q in ups:
            add(b"%s %s %s" % (s, q, rest))
        for c in dom:
            add(b"%s %s %s .\n" % (s, _TYPE, c))
        if (inv or rng) and not rest.startswith(b'"'):
            o = rest[:-3]
            for q in inv:
                add(b"%s %s %s .\n" % (o, q, s))
            for c in rng:
                add(b"%s %s %s .\n" % (o, _TYPE, c))

    for line in known:
        visit(line)
    while todo:  # what was inferred can be a premise too
        visit(todo.pop())
    return sorted(new)
