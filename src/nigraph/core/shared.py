"""Which graphs of a store hold a triple in common: found by two full scans, so recorded once, when
the store is built, beside its files.

A default graph made of several graphs is their RDF merge, a set; pyoxigraph counts a triple once
per graph that holds it (see :mod:`nigraph.query.dataset`), so every query path needs these pairs.
Finding them reads the whole store twice (about 10 s for a million triples), which ``nigraph
query`` would pay on every call. :func:`record` writes them into the store's directory as
:data:`FILE` when :func:`~nigraph.core.store.build_store` has made it, together with the names and
sizes of the database's files; :func:`shared_graphs_of` reads them back, and finds them again
(without writing) when the record is missing, unreadable or from other files: a store written to
after its build gets new database files, so a stale record is never used.

>>> import pyoxigraph
>>> shared_graphs(pyoxigraph.Store())
frozenset()
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyoxigraph

__all__ = ["DEFAULT", "FILE", "union_is_a_set", "shared_graphs", "record", "shared_graphs_of"]

#: The store's own default graph, in :func:`shared_graphs` pairs.
DEFAULT = ""
#: The record's name inside a store directory (no database file has this name).
FILE = "nigraph-shared-graphs.json"
_VERSION = 1
# Files the database rewrites without changing the data (its text log, its lock), and the record itself.
_NOT_DATA = ("LOG", "LOCK", FILE)


def union_is_a_set(store: pyoxigraph.Store) -> bool:
    """Whether no triple is in two graphs of ``store`` (one scan; then no default graph is a bag).

    >>> s = pyoxigraph.Store()
    >>> union_is_a_set(s)
    True
    """
    every = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    distinct = store.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
                           use_default_graph_as_union=True)
    return next(iter(every))["n"] == next(iter(distinct))["n"]


def shared_graphs(store: pyoxigraph.Store) -> frozenset[tuple[str, str]]:
    """The pairs of graphs (IRIs, sorted; :data:`DEFAULT` for the store's default graph) that hold
    a triple in common; empty, after one cheap check, when none do.
    """
    if union_is_a_set(store):
        return frozenset()
    pairs = {(a["a"].value, a["b"].value) for a in store.query(
        "SELECT DISTINCT ?a ?b WHERE { GRAPH ?a { ?s ?p ?o } GRAPH ?b { ?s ?p ?o } FILTER(STR(?a) < STR(?b)) }")}
    pairs |= {(DEFAULT, row["b"].value) for row in store.query(
        "SELECT DISTINCT ?b WHERE { ?s ?p ?o GRAPH ?b { ?s ?p ?o } }")}
    return frozenset(pairs)


def _files(directory: Path) -> dict[str, int]:
    """The database's files in ``directory`` and their sizes (what any write changes)."""
    out = {}
    with os.scandir(directory) as entries:
        for entry in entries:
            if entry.is_file(follow_symlinks=False) and not entry.name.startswith(_NOT_DATA):
                out[entry.name] = entry.stat(follow_symlinks=False).st_size
    return dict(sorted(out.items()))


def record(directory: str | Path, pairs: frozenset[tuple[str, str]]) -> None:
    """Write the shared graphs of the store in ``directory`` into it.

    Call it once the store is built and closed, before it is published: the record names the
    database files as they are then.

    :param directory: the store's directory.
    :param pairs: :func:`shared_graphs` of the store.
    """
    directory = Path(directory)
    data = {"version": _VERSION, "files": _files(directory), "shared": sorted([a, b] for a, b in pairs)}
    temp = directory / (FILE + ".tmp")
    temp.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    os.replace(temp, directory / FILE)


def _recorded(directory: Path) -> frozenset[tuple[str, str]] | None:
    try:
        data = json.loads((directory / FILE).read_text(encoding="utf-8"))
        if data.get("version") != _VERSION or data.get("files") != _files(directory):
            return None
        pairs = data["shared"]
        if not all(isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in pairs):
            return None
        return frozenset((a, b) for a, b in pairs)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def shared_graphs_of(store: pyoxigraph.Store, path: str | Path | None = None) -> frozenset[tuple[str, str]]:
    """The shared graphs of ``store``, read from its record when it has a current one.

    :param store: the store.
    :param path: the store's directory (a link to it is followed), or ``None`` for an in-memory store.
    :returns: the pairs, as :func:`shared_graphs` would find them.
    """
    if path is not None:
        pairs = _recorded(Path(os.path.realpath(path)))
        if pairs is not None:
            return pairs
    return shared_graphs(store)
