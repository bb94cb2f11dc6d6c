"""The canonical form of a build: sorted N-Quads, made once from the parsed terms.

Every dump is written from it, by ``nigraph build`` and by ``nigraph export`` alike, so the two
give the same bytes. It is made from the parser's terms, never from a store: a pyoxigraph store
keeps literals by value and gives back its own lexical form (``"01"^^xsd:int`` comes back as
``"1"^^xsd:integer``), so a dump read back from a store would not say what the source files say.

The form: one ``<s> <p> <o> <g> .`` line per distinct quad; graphs sorted by IRI, lines sorted
within each graph (UTF-8 byte order, which is code point order). Blank nodes, where there are any,
are labelled by RDFC-1.0 over the whole dataset, so a label names one node in the whole file.
Only the quads that mention a blank node are canonicalised: RDFC-1.0 looks at nothing else, so
the labels are those of canonicalising everything.

>>> from pyoxigraph import NamedNode as N, Literal, Quad, serialize, RdfFormat
>>> nt = serialize([Quad(N("http://e/s"), N("http://e/p"), Literal("01", datatype=N("http://www.w3.org/2001/XMLSchema#int")))],
...                format=RdfFormat.N_TRIPLES)
>>> print(to_nquads(canonical([("http://e/g", nt)])).decode(), end="")
<http://e/s> <http://e/p> "01"^^<http://www.w3.org/2001/XMLSchema#int> <http://e/g> .
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from typing import BinaryIO

import pyoxigraph

from .errors import NigraphError
from .iri import CUBE_GRAPH, GRAPH, INFERRED_GRAPH

__all__ = ["Graphs", "canonical", "to_nquads", "read_nquads", "merged", "merged_lines", "write_as", "is_asserted",
           "render"]

#: graph IRI → its sorted, distinct N-Triples lines (each ``b"<s> <p> <o> .\n"``).
Graphs = dict[str, list[bytes]]

_NT = pyoxigraph.RdfFormat.N_TRIPLES
_NQ = pyoxigraph.RdfFormat.N_QUADS


def canonical(parts: Iterable[tuple[str, bytes]]) -> Graphs:
    """Merge N-Triples documents into named graphs, drop duplicates, label blank nodes, sort.

    :param parts: ``(graph IRI, N-Triples bytes)``; a graph may come in several parts.
    :returns: the graphs, sorted by IRI.
    """
    plain: dict[str, set[bytes]] = {}
    with_bnodes: list[pyoxigraph.Quad] = []
    for graph, text in parts:
        lines = plain.setdefault(graph, set())
        if b"_:" not in text:  # the usual case: no blank node, nothing to parse again
            lines.update(text.splitlines(keepends=True))
            continue
        # "_:" can also sit inside a literal; such lines take the slow path and come out unchanged.
        name = pyoxigraph.NamedNode(graph)
        slow = []
        for line in text.splitlines(keepends=True):
            if b"_:" in line:
                slow.append(line)
            else:
                lines.add(line)
        with_bnodes.extend(pyoxigraph.Quad(t.subject, t.predicate, t.object, name)
                           for t in pyoxigraph.parse(b"".join(slow), format=_NT))
    if with_bnodes:
        dataset = pyoxigraph.Dataset(with_bnodes)
        dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
        for q in dataset:
            plain[q.graph_name.value].add(f"{q.subject} {q.predicate} {q.object} .\n".encode())
    return {g: sorted(plain[g]) for g in sorted(plain)}


def to_nquads(graphs: Graphs) -> bytes:
    """The canonical N-Quads document.

    :param graphs: from :func:`canonical` or :func:`read_nquads`.
    :returns: the bytes, graph by graph.
    """
    out = []
    for graph, lines in graphs.items():
        suffix = f"<{graph}> .\n".encode()
        out.extend(line[:-2] + suffix for line in lines)  # line ends with b".\n"
    return b"".join(out)


def read_nquads(data: bytes, source: str = "canonical N-Quads") -> Graphs:
    """Read back what :func:`to_nquads` wrote (every quad in a named graph, graph-major).

    :param data: the document.
    :param source: how to name it in errors.
    :returns: the graphs.
    :raises NigraphError: if a line is not ``<s> <p> <o> <g> .``.
    """
    graphs: Graphs = {}
    current, lines = None, None
    for n, line in enumerate(data.splitlines(), 1):
        cut = line.rfind(b" <")  # an IRI holds no space, so the last " <" starts the graph name
        if not line.endswith(b"> .") or cut < 0 or line.count(b" ") < 4:
            raise NigraphError(f"{source}:{n}: not a line of nigraph's canonical N-Quads; run `nigraph build` again")
        graph = line[cut + 2:-3].decode()
        if graph != current:
            current, lines = graph, graphs.setdefault(graph, [])
        lines.append(line[:cut] + b" .\n")
    return graphs


def merged_lines(graphs: Graphs, keep: Callable[[str], bool]) -> list[bytes]:
    """The kept graphs as one graph: distinct triples, sorted N-Triples lines.

    Blank node labels are already unique across graphs, so merging keeps the nodes apart.

    :param graphs: the canonical graphs.
    :param keep: which graph IRIs to merge.
    :returns: the lines.
    """
    chosen = [lines for g, lines in graphs.items() if keep(g)]
    if len(chosen) == 1:
        return chosen[0]
    # each graph is a sorted run: Timsort merges runs natively; dict.fromkeys drops repeats in order
    return list(dict.fromkeys(sorted(itertools.chain.from_iterable(chosen))))


def merged(graphs: Graphs, keep: Callable[[str], bool]) -> bytes:
    """The kept graphs as one graph: distinct triples, sorted N-Triples.

    Blank node labels are already unique across graphs, so merging keeps the nodes apart.

    :param graphs: the canonical graphs.
    :param keep: which graph IRIs to merge.
    :returns: N-Triples bytes.
    """
    return b"".join(merged_lines(graphs, keep))


def write_as(data: bytes, fmt: pyoxigraph.RdfFormat, prefixes: Mapping[str, str] | None = None,
             output: BinaryIO | None = None) -> bytes | None:
    """Rewrite canonical N-Triples (or N-Quads, for TriG) in another format with pyoxigraph's writer.

    The writer keeps the input order, and sorted lines keep each subject's triples together, so
    Turtle and TriG group them with ``;`` and ``,``; JSON-LD is written node by node as it streams.

    :param data: sorted N-Triples, or canonical N-Quads for a dataset format.
    :param fmt: the target format.
    :param prefixes: prefix → namespace, declared sorted by prefix (formats that have prefixes).
    :param output: a binary file to stream the document to, instead of returning it.
    :returns: the document (``None`` when streamed to ``output``).
    """
    ordered = dict(sorted(prefixes.items())) if prefixes else None
    quads = pyoxigraph.parse(data, format=_NQ)  # N-Triples lines are N-Quads lines too
    return pyoxigraph.serialize(quads, output, format=fmt, prefixes=ordered)


def is_asserted(graph: str) -> bool:
    """Whether a graph of the build is asserted data (not shapes, not the inferred graph, not the
    coverage statistics computed from the data)."""
    return not graph.startswith(GRAPH + "shapes/") and graph not in (INFERRED_GRAPH.value, CUBE_GRAPH.value)


def render(graphs: Graphs, fmt: pyoxigraph.RdfFormat, prefixes: Mapping[str, str],
           output: BinaryIO | None = None) -> bytes | None:
    """One dump of a build, the same bytes whoever asks (``nigraph build`` or ``nigraph export``).

    N-Quads and TriG hold every graph; the other formats hold the asserted graphs merged.

    :param graphs: the canonical graphs.
    :param fmt: the format.
    :param prefixes: prefix → namespace.
    :param output: a binary file to stream the document to, instead of returning it.
    :returns: the document (``None`` when streamed to ``output``).
    """
    if fmt == pyoxigraph.RdfFormat.N_QUADS:
        if output is not None:
            for graph, lines in graphs.items():
                suffix = f"<{graph}> .\n".encode()
                output.writelines(line[:-2] + suffix for line in lines)
            return None
        data = to_nquads(graphs)
    elif fmt.supports_datasets and fmt != pyoxigraph.RdfFormat.JSON_LD:
        return write_as(to_nquads(graphs), fmt, prefixes, output)
    elif fmt == _NT:
        if output is not None:
            output.writelines(merged_lines(graphs, is_asserted))
            return None
        data = merged(graphs, is_asserted)
    else:
        return write_as(merged(graphs, is_asserted), fmt, prefixes, output)
    if output is None:
        return data
    output.write(data)
    return None
