"""Refuse a query that reads the coverage cube where the cube, or the part it reads, is missing.

The cube queries sum observations of the graph ``https://w3id.org/nigraph/graph/cube`` that
``nigraph build`` computes. On a store or endpoint without that graph (a remote endpoint loaded
with the asserted data only, a store from an older build whose cube lacks a newer data set), they
would answer 0 or an empty list, silently: a wrong answer. So before such a query runs, the data
sets it names (``<https://w3id.org/nigraph/id/cube/NAME>``) are looked up as ``qb:DataSet`` in
the cube graph, and a missing one is an error that says what to do. A query that finds its
observations by a dimension of one data set only, with no ``qb:dataSet`` pattern, names the data
set in its ``#+ reads:`` header, which is part of its text.

>>> cube_datasets("SELECT * { ?o qb:dataSet <https://w3id.org/nigraph/id/cube/target-progress> }")
('https://w3id.org/nigraph/id/cube/target-progress',)
>>> cube_datasets("#+ reads: <https://w3id.org/nigraph/id/cube/a>\\nSELECT * { ?o <https://e/dimension> ?x }")
('https://w3id.org/nigraph/id/cube/a',)
>>> missing_datasets(("https://w3id.org/nigraph/id/cube/a",), {"https://w3id.org/nigraph/id/cube/a"}, tagged=True)
()
>>> missing_datasets((), set(), tagged=True)
('https://w3id.org/nigraph/graph/cube',)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from ..core.errors import NigraphError
from ..core.iri import CUBE_GRAPH, NID

__all__ = ["cube_datasets", "presence_query", "missing_datasets", "refusal", "require_cube"]

_QB_DATASET = "http://purl.org/linked-data/cube#DataSet"
_DATASET_IRI = re.compile(r"<(" + re.escape(NID) + r"cube/[A-Za-z0-9._-]+)>")


def cube_datasets(text: str) -> tuple[str, ...]:
    """The IRIs of the cube's data sets a query names, sorted, each once."""
    return tuple(sorted(set(_DATASET_IRI.findall(text))))


def presence_query(datasets: Sequence[str]) -> str:
    """A SELECT of the data sets (of ``datasets``; with none, any data set) present in the cube graph."""
    values = f"VALUES ?dataset {{ {' '.join(f'<{d}>' for d in datasets)} }} " if datasets else ""
    return (f"SELECT DISTINCT ?dataset WHERE {{ {values}GRAPH <{CUBE_GRAPH.value}> {{ ?dataset a <{_QB_DATASET}> }} }}"
            + ("" if datasets else " LIMIT 1"))


def missing_datasets(datasets: Sequence[str], found: Iterable[str], *, tagged: bool) -> tuple[str, ...]:
    """What is missing: the named data sets not found; for a query tagged ``cube`` that names
    none, the cube graph itself when no data set was found at all."""
    found = set(found)
    if datasets:
        return tuple(d for d in datasets if d not in found)
    return () if found or not tagged else (CUBE_GRAPH.value,)


def refusal(query_id: str, missing: Sequence[str], where: str) -> str:
    """The error message: which query, what is missing, where, and what to do (short: one line).

    >>> refusal("q", ("https://w3id.org/nigraph/id/cube/a",), "this store")
    'query q reads the coverage statistics data set nid:cube/a, and this store has none: rebuild it with `nigraph build` (an endpoint: publish such a build); without it the answer would be 0 or empty'
    """
    if tuple(missing) == (CUBE_GRAPH.value,):
        what = f"the coverage statistics graph <{CUBE_GRAPH.value}>"
    else:
        what = ("the coverage statistics data set" + ("s " if len(missing) > 1 else " ")
                + ", ".join("nid:" + m[len(NID):] for m in missing))
    return (f"query {query_id} reads {what}, and {where} has none: rebuild it with `nigraph build` "
            "(an endpoint: publish such a build); without it the answer would be 0 or empty")


def require_cube(query_id: str, text: str, tags: Iterable[str], select: Callable[[str], Iterable[str]],
                 where: str) -> None:
    """Raise :class:`NigraphError` if the cube data sets ``text`` reads are not where it will run.

    :param select: runs a SELECT there and gives the first column of each row (as text).
    :param where: names the store or endpoint in the message.
    """
    tagged = "cube" in set(tags)
    datasets = cube_datasets(text)
    if not datasets and not tagged:
        return
    missing = missing_datasets(datasets, select(presence_query(datasets)), tagged=tagged)
    if missing:
        raise NigraphError(refusal(query_id, missing, where))
