"""Write the dumps users download: one file per format, a JSON-LD context, VoID and SHA-256 sums.

The dumps are written from the canonical N-Quads that ``nigraph build`` left beside the store
(``nigraph.nq``, see :mod:`nigraph.core.canonical`), never from the store itself: the store keeps
literals by value and would give back ``"1"^^xsd:integer`` for ``"01"^^xsd:int``. So a dump here
is byte-identical to the one the build wrote. The merged formats (Turtle, N-Triples, JSON-LD,
RDF/XML) hold the asserted graph: ontology, imports and data, without shapes, inferred triples and
the coverage statistics. N-Quads and TriG hold every named graph, one per source file plus the
inferred graph and the coverage statistics (the RDF Data Cube, graph ``…/graph/cube``). Every file
is written atomically and is byte-identical on rebuild; ``SHA256SUMS`` lists every dump present.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph

from ..core.canonical import read_nquads, render
from ..core.errors import NigraphError
from ..core.files import atomic_write
from ..core.iri import BASE, PREFIXES
from ..core.serialize import to_turtle
from ..core.store import open_store
from .void import CONTEXT, DUMPS, FORMATS, SUMS, VOID, VOID_PREFIXES, describe, dump_url

__all__ = ["FORMATS", "DUMPS", "RDF_FORMATS", "CANONICAL", "dump_url", "export"]

#: ``--format`` name → pyoxigraph format.
RDF_FORMATS = {
    "ttl": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES, "nq": pyoxigraph.RdfFormat.N_QUADS,
    "trig": pyoxigraph.RdfFormat.TRIG, "jsonld": pyoxigraph.RdfFormat.JSON_LD, "rdfxml": pyoxigraph.RdfFormat.RDF_XML,
}
#: The canonical form ``nigraph build`` writes beside the store; every dump is written from it.
CANONICAL = "nigraph.nq"


def export(store_path: str | Path, out: str | Path, formats: Iterable[str]) -> list[str]:
    """Write the requested dumps from a built store, then the context, VoID and checksums.

    :param store_path: the store built by ``nigraph build`` (its canonical N-Quads, :data:`CANONICAL`,
        is read from the same directory).
    :param out: the output directory (created if needed).
    :param formats: names from :data:`FORMATS`.
    :returns: the names of the files written, sorted.
    :raises NigraphError: if there is no store or no canonical N-Quads beside it.
    :raises ValueError: on an unknown format.
    """
    out = Path(out)
    wanted = sorted(set(formats))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format(s): {', '.join(unknown)}; expected {', '.join(FORMATS)}")
    canonical = Path(store_path).parent / CANONICAL
    if not canonical.is_file():
        raise NigraphError(f"{canonical}: no canonical N-Quads beside the store; run `nigraph build` first")
    graphs = read_nquads(canonical.read_bytes(), str(canonical))
    store = open_store(store_path)
    try:
        written = []
        for fmt in wanted:
            atomic_write(out / FORMATS[fmt], lambda fh, fmt=fmt: render(graphs, RDF_FORMATS[fmt], PREFIXES, fh))
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
