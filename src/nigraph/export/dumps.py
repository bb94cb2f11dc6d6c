"""Write the dumps users download: one file per format, a JSON-LD context, VoID and SHA-256 sums.

The merged formats (Turtle, N-Triples, JSON-LD, RDF/XML) hold the asserted graph, as ``nigraph
build`` writes it: ontology, imports and data, without shapes and inferred triples. N-Quads and
TriG hold every named graph of the store, one per source file plus the inferred graph and the
coverage statistics (the RDF Data Cube ``nigraph build`` computes, graph ``…/graph/cube``). Every file
is written atomically and is byte-identical on rebuild; ``SHA256SUMS`` lists every dump present.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph

from ..core.files import atomic_write
from ..core.serialize import to_jsonld, to_nquads, to_ntriples, to_rdfxml, to_trig, to_turtle
from ..core.iri import BASE, GRAPH, INFERRED_GRAPH, PREFIXES
from ..core.store import open_store
from .void import CONTEXT, DUMPS, FORMATS, SUMS, VOID, VOID_PREFIXES, describe, dump_url

__all__ = ["FORMATS", "DUMPS", "dump_url", "export"]

def _asserted(quads: Iterable[pyoxigraph.Quad]) -> list[pyoxigraph.Quad]:
    shapes = GRAPH + "shapes/"
    derived = (INFERRED_GRAPH.value, GRAPH + "cube")  # inferred triples; coverage statistics (nigraph build)
    return [q for q in quads if q.graph_name.value not in derived and not q.graph_name.value.startswith(shapes)]


def export(store_path: str | Path, out: str | Path, formats: Iterable[str]) -> list[str]:
    """Write the requested dumps from a built store, then the context, VoID and checksums.

    :param store_path: the store built by ``nigraph build``.
    :param out: the output directory (created if needed).
    :param formats: names from :data:`FORMATS`.
    :returns: the names of the files written, sorted.
    :raises NigraphError: if there is no store.
    :raises ValueError: on an unknown format.
    """
    out = Path(out)
    wanted = sorted(set(formats))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format(s): {', '.join(unknown)}; expected {', '.join(FORMATS)}")
    store = open_store(store_path)
    try:
        quads = list(store)
        writers = {
            "ttl": lambda: to_turtle(_asserted(quads), PREFIXES),
            "nt": lambda: to_ntriples(_asserted(quads)),
            "jsonld": lambda: to_jsonld(_asserted(quads), PREFIXES),
            "rdfxml": lambda: to_rdfxml(_asserted(quads), PREFIXES),
            "nq": lambda: to_nquads(quads),
            "trig": lambda: to_trig(quads, PREFIXES),
        }
        written = []
        for fmt in wanted:
            atomic_write(out / FORMATS[fmt], writers[fmt]())
            written.append(FORMATS[fmt])
        context = {"@context": dict(sorted(PREFIXES.items()))}
        atomic_write(out / CONTEXT, json.dumps(context, indent=1, sort_keys=True) + "\n")
        present = [n for n in sorted(set(FORMATS.values())) if (out / n).is_file()]
        triples = describe(store, endpoint=BASE + "sparql", dumps=[dump_url(n) for n in present])
        atomic_write(out / VOID, to_turtle(triples, VOID_PREFIXES))
    finally:
        del store
    written += [CONTEXT, VOID]
    lines = []
    for name in DUMPS:
        if name != SUMS and (out / name).is_file():
            lines.append(f"{hashlib.sha256((out / name).read_bytes()).hexdigest()}  {name}\n")
    atomic_write(out / SUMS, "".join(lines))
    return sorted(written + [SUMS])
