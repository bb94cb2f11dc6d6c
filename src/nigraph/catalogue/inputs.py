"""Catalogues given to ``nigraph build --catalogue FILE…``: each file → quads in its own named graph.

A catalogue may be what users have (CSV, TSV or JSON, read and checked exactly as ``nigraph import``
reads it, with the same number rule) or the Turtle / N-Triples that ``nigraph import`` writes. Each
file's triples go into the graph ``https://w3id.org/nigraph/graph/catalogue/<file name>``, so that
the store, the dumps and ``nigraph publish`` keep them apart from the project's own files.

A CSV or JSON file with any rejected row stops the build (exit 2), with every rejected row as
``file:line: number: reason``: a build that silently left rows out would report coverage that
looks complete and is not. Run ``nigraph import FILE --errors rejected.csv`` to keep the good rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph

from ..core.errors import InputError
from ..core.iri import graph_for
from .numbers import NumberRule, load_number_rule
from .sectors import load_sector_map
from .to_rdf import catalogue_quads, render_errors
from .parse import read_catalogue

__all__ = ["CATALOGUE_GRAPHS", "RDF_SUFFIXES", "TABLE_SUFFIXES", "CatalogueRejected", "load_catalogues",
           "catalogue_graph"]

#: Catalogue graphs are named ``<GRAPH>catalogue/<file name>``.
CATALOGUE_GRAPHS = "catalogue/"
RDF_SUFFIXES = {".ttl": pyoxigraph.RdfFormat.TURTLE, ".nt": pyoxigraph.RdfFormat.N_TRIPLES}
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".json")


class CatalogueRejected(InputError):
    """A catalogue with rejected rows; ``listing`` has one ``file:line: number: reason`` line per row."""

    def __init__(self, path: Path, line: int, message: str, listing: str) -> None:
        super().__init__(path, line, None, message)
        self.listing = listing


def catalogue_graph(path: str | Path) -> pyoxigraph.NamedNode:
    """The named graph of a catalogue file.

    >>> catalogue_graph("/tmp/my catalogue.csv").value
    'https://w3id.org/nigraph/graph/catalogue/my%20catalogue.csv'
    """
    name = Path(path).name.replace("%", "%25").replace(" ", "%20")
    return graph_for(CATALOGUE_GRAPHS + name)


def _rdf(path: Path, fmt: pyoxigraph.RdfFormat, graph: pyoxigraph.NamedNode) -> list[pyoxigraph.Quad]:
    try:
        with open(path, "rb") as fh:
            return [pyoxigraph.Quad(t.subject, t.predicate, t.object, graph) for t in pyoxigraph.parse(fh, format=fmt)]
    except OSError as exc:
        raise InputError(path, None, None, f"cannot read catalogue: {exc.strerror}") from None
    except SyntaxError as exc:
        raise InputError(path, None, None, f"catalogue does not parse: {exc}") from None


def _table(path: Path, root: Path, rule: NumberRule, graph: pyoxigraph.NamedNode) -> list[pyoxigraph.Quad]:
    cat = read_catalogue(path, rule=rule)
    if cat.errors:
        raise CatalogueRejected(path, cat.errors[0].line,
                                f"{len(cat.errors)} row(s) rejected (listed below), so nothing is built; "
                                "`nigraph import FILE --out FILE.ttl --errors rejected.csv` keeps the good rows",
                                render_errors(cat))
    quads = catalogue_quads(cat.records, load_sector_map(root))
    return [pyoxigraph.Quad(q.subject, q.predicate, q.object, graph) for q in quads]


def load_catalogues(paths: Sequence[str | Path], root: str | Path) -> list[pyoxigraph.Quad]:
    """The quads of every catalogue file, each file in its own graph (:func:`catalogue_graph`).

    :param paths: ``.csv``, ``.tsv``, ``.txt``, ``.json`` (read as ``nigraph import`` reads them) or
        ``.ttl``, ``.nt`` (as ``nigraph import`` writes them).
    :param root: the project (its ``shapes/standard.ttl`` number rule and ``data/`` sector rules).
    :raises InputError: a file is missing, of another kind, does not parse, has a rejected row, or
        two files have the same name (their graphs would merge).
    """
    root = Path(root)
    out: list[pyoxigraph.Quad] = []
    seen: dict[str, Path] = {}
    rule: NumberRule | None = None
    for path in map(Path, paths):
        graph = catalogue_graph(path)
        if graph.value in seen:
            raise InputError(path, None, None, f"has the same file name as {seen[graph.value]}; "
                             "each catalogue becomes the graph catalogue/<file name>, so rename one")
        seen[graph.value] = path
        suffix = path.suffix.lower()
        if not path.is_file():
            raise InputError(path, None, None, "no such catalogue file")
        if suffix in RDF_SUFFIXES:
            out += _rdf(path, RDF_SUFFIXES[suffix], graph)
        elif suffix in TABLE_SUFFIXES:
            rule = rule or load_number_rule(root)
            out += _table(path, root, rule, graph)
        else:
            raise InputError(path, None, None, f"unknown catalogue format {suffix or '(none)'!r}: "
                             "use .csv, .tsv, .json, or the .ttl / .nt that `nigraph import` writes")
    return out
