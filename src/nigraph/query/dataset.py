"""The RDF dataset a query runs on (SPARQL 1.1 Query §13, Protocol §2.1.4), made exact for pyoxigraph.

nigraph keeps every triple in a named graph (one per source file, plus the inferred graph); a
query that names no dataset sees the *union* of them as its default graph. pyoxigraph's
``use_default_graph_as_union`` flag does that, but it also overrides the query's own ``FROM`` and
``FROM NAMED``. So:

* a protocol dataset (``default-graph-uri`` / ``named-graph-uri``) replaces the query's dataset
  entirely (Protocol §2.1.4): both lists are passed, an absent one as empty;
* a query with ``FROM`` / ``FROM NAMED`` is run without the flag, so pyoxigraph honours them
  (``FROM NAMED`` alone gives an empty default graph, ``FROM`` alone no named graphs, §13.2);
* any other query gets the flag.

A default graph made of several graphs is their RDF merge, a *set* of triples; pyoxigraph (0.5)
keeps a triple once per graph that holds it, with the flag, with several ``FROM`` and with a list
of graphs alike. That is exact only when no triple is in two of the graphs merged, so the graphs
that share a triple are found once per store (:func:`shared_graphs`, recorded when the store is
built: :mod:`nigraph.core.shared`). When there are some, the
union default graph is made exact by copying the store into memory with every triple also in the
copy's default graph, which is a set (:func:`with_union_default`; the memory engine does it once);
a query whose default graph would otherwise merge two of them (several ``FROM``, several
``default-graph-uri``, or the union on the disk engine) is refused (:class:`InexactDataset`)
rather than answered with a triple counted twice. nigraph's build keeps each triple in one graph,
so none of this happens on its store.

Whether a query has a dataset clause is read from its tokens (:func:`has_dataset_clause`):
strings, IRIs and comments are blanked first, so ``"FROM"`` in a literal or ``ex:from`` is not
the keyword. pyoxigraph exposes no parsed query.

>>> has_dataset_clause("SELECT * FROM <http://e/g> WHERE { ?s ?p ?o }")
True
>>> has_dataset_clause('SELECT ?from WHERE { ?from ex:from "from"@from } # FROM')
False
>>> query_options("ASK {}", Dataset(default=("http://e/g",)))["named_graphs"]
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph

from ..core.errors import NigraphError
from ..core.shared import DEFAULT, shared_graphs, union_is_a_set
from ..core.sparql_lex import OPAQUE_PATTERN, unescape

__all__ = ["Dataset", "DatasetError", "InexactDataset", "has_dataset_clause", "query_options", "shared_graphs",
           "union_is_a_set", "with_union_default", "UNION", "DEFAULT"]


class DatasetError(NigraphError, ValueError):
    """A graph IRI given for the dataset is not an absolute IRI."""


class InexactDataset(ValueError):
    """The query's default graph would merge graphs that share a triple, which pyoxigraph would
    count once per graph instead of once."""


@dataclass(frozen=True)
class Dataset:
    """A dataset given outside the query text (the Protocol's parameters).

    :param default: ``default-graph-uri`` values: their merge is the default graph.
    :param named: ``named-graph-uri`` values: the named graphs.

    ``Dataset()`` (neither given) means: the query's own ``FROM``/``FROM NAMED``, else the union.
    """

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()

    @property
    def given(self) -> bool:
        return bool(self.default or self.named)

    @classmethod
    def of(cls, default: list[str] | tuple[str, ...] = (), named: list[str] | tuple[str, ...] = (), *,
           names: tuple[str, str] = ("default-graph-uri", "named-graph-uri")) -> "Dataset":
        """Check each IRI (absolute, no spaces or angle brackets) and keep the order given.

        :param names: what the two lists are called in messages (the Protocol's parameters, or options).
        :raises DatasetError: naming the bad value.

        >>> Dataset.of(["urn:x"], ["not an iri"])
        Traceback (most recent call last):
        ...
        nigraph.query.dataset.DatasetError: named-graph-uri 'not an iri' is not an absolute IRI
        """
        for name, values in zip(names, (default, named)):
            for v in values:
                if not _ABSOLUTE.match(v):
                    raise DatasetError(f"{name} {v!r} is not an absolute IRI")
                try:
                    pyoxigraph.NamedNode(v)
                except ValueError as exc:
                    raise DatasetError(f"{name} {v!r} is not an IRI: {exc}") from None
        return cls(tuple(dict.fromkeys(default)), tuple(dict.fromkeys(named)))


#: The dataset of a query that names none: the union of every graph.
UNION = Dataset()

_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")
# The shared opaque parts, or a backslash escape of a prefixed name's local part (kept as a word character).
_OPAQUE = re.compile(OPAQUE_PATTERN + r"|\\.", re.S)
# What separates tokens once strings, IRIs and comments are blanked. Every other character
# (letters, digits, ?, $, :, @, _, -, ., %) belongs to a word, so "?from", "ex:from", "@from",
# "_:from" and "from:" are words that are not the keyword.
_SEPARATORS = re.compile(r"[\s(){}\[\],;*=!<>&|+/^]+")



def words(query: str) -> list[str]:
    """The query's tokens outside strings, IRIs and comments, in order (``\\u`` escapes decoded).

    >>> words('PREFIX ex: <http://e/> SELECT*FROM<g>{?s ex:a\\\\(from "FROM"}')
    ['PREFIX', 'ex:', 'SELECT', 'FROM', '?s', 'ex:a__from']
    """
    def blank(m: re.Match[str]) -> str:
        return "__" if m.group(0).startswith("\\") else " "

    text = _OPAQUE.sub(blank, unescape(query))
    return [w for w in _SEPARATORS.split(text) if w]


def has_dataset_clause(query: str) -> bool:
    """Whether a query has ``FROM`` or ``FROM NAMED`` (the keyword appears nowhere else in SPARQL 1.1).

    :param query: the query text.
    """
    if "from" not in unescape(query).lower():
        return False  # the common case, without tokenizing
    return any(w.upper() == "FROM" for w in words(query))


def with_union_default(store: pyoxigraph.Store) -> pyoxigraph.Store:
    """An in-memory copy of ``store`` whose default graph holds every triple of every graph once
    (the exact union); the named graphs are kept as they are.

    >>> s = pyoxigraph.Store()
    >>> q = lambda g: pyoxigraph.Quad(pyoxigraph.NamedNode("http://e/s"), pyoxigraph.NamedNode("http://e/p"),
    ...                                pyoxigraph.NamedNode("http://e/o"), pyoxigraph.NamedNode(g))
    >>> s.extend([q("http://e/g1"), q("http://e/g2")])
    >>> len(with_union_default(s))
    3
    """
    copy = pyoxigraph.Store()
    copy.bulk_extend(store)
    copy.bulk_extend(pyoxigraph.Quad(q.subject, q.predicate, q.object, pyoxigraph.DefaultGraph()) for q in store)
    return copy


def _default_froms(query: str) -> int:
    """How many ``FROM`` clauses (not ``FROM NAMED``) a query has."""
    tokens = [w.upper() for w in words(query)]
    return sum(1 for i, w in enumerate(tokens) if w == "FROM" and (i + 1 == len(tokens) or tokens[i + 1] != "NAMED"))


def _shown(pairs: set[tuple[str, str]]) -> str:
    return "; ".join(f"<{a or 'the store default graph'}> and <{b}>" for a, b in sorted(pairs)[:3])


def query_options(query: str, dataset: Dataset = UNION, *, shared: frozenset[tuple[str, str]] = frozenset(),
                  union_in_default: bool = False) -> dict:
    """The dataset arguments of ``Store.query`` for a query.

    :param query: the query text.
    :param dataset: a dataset given outside the query (it replaces the query's own).
    :param shared: :func:`shared_graphs` of the store.
    :param union_in_default: the store's own default graph holds the union (:func:`with_union_default`).
    :returns: keyword arguments for ``Store.query``.
    :raises InexactDataset: if the default graph would merge two graphs of ``shared``.

    >>> query_options("SELECT * FROM <http://e/g> {}")
    {}
    >>> query_options("SELECT * {}")
    {'use_default_graph_as_union': True}
    >>> query_options("SELECT * {}", shared=frozenset({("http://e/a", "http://e/b")}))
    Traceback (most recent call last):
    ...
    nigraph.query.dataset.InexactDataset: the default graph would be the union of every graph, and <http://e/a> and <http://e/b> hold the same triples, which the engine would count twice: name the graphs to query with FROM or GRAPH
    """
    if dataset.given:
        chosen = set(dataset.default)
        clash = {p for p in shared if p[0] in chosen and p[1] in chosen}
        if clash:
            # The same words for the Protocol's default-graph-uri and the command's --default-graph.
            raise InexactDataset(f"the graphs given for the default graph, {_shown(clash)}, hold the same triples, which "
                                 "the engine would count twice: give one of them, or give each as a named graph and use GRAPH")
        return {"default_graph": [pyoxigraph.NamedNode(g) for g in dataset.default],
                "named_graphs": [pyoxigraph.NamedNode(g) for g in dataset.named]}
    if has_dataset_clause(query):
        if shared and _default_froms(query) > 1:
            raise InexactDataset(f"the query's FROM graphs may hold the same triples ({_shown(set(shared))} do), "
                                 "which the engine would count twice: use one FROM, or FROM NAMED and GRAPH")
        return {}
    if union_in_default:
        return {}
    if shared:
        raise InexactDataset(f"the default graph would be the union of every graph, and {_shown(set(shared))} hold "
                             "the same triples, which the engine would count twice: name the graphs to query "
                             "with FROM or GRAPH")
    return {"use_default_graph_as_union": True}
