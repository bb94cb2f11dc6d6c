"""Namespaces and the IRI policy of nigraph: the one place that builds an IRI.

Vocabulary terms live in :data:`NIG`, instances in :data:`NID` as
``<NID><kind>/<key>`` (see ``docs/design.md``), SHACL shapes in :data:`SHAPES`
and named graphs (one per source file, plus :data:`INFERRED_GRAPH`) in
:data:`GRAPH`.

>>> mint("industry", "E01").value
'https://w3id.org/nigraph/id/industry/E01'
>>> graph_for("data/industries.ttl").value
'https://w3id.org/nigraph/graph/data/industries.ttl'
"""

from __future__ import annotations

import re
from pathlib import PurePath, PurePosixPath

import pyoxigraph

__all__ = [
    "BASE",
    "CUBE_GRAPH",
    "NIG",
    "NID",
    "SHAPES",
    "GRAPH",
    "ONTOLOGY",
    "INFERRED_GRAPH",
    "KINDS",
    "PREFIXES",
    "mint",
    "graph_for",
    "release_iri",
    "PUBLISHED_GRAPH",
    "staging_graph",
    "standard_key",
]

BASE = "https://w3id.org/nigraph/"
NIG = BASE + "def/"
NID = BASE + "id/"
SHAPES = BASE + "shapes/"
GRAPH = BASE + "graph/"
#: The ontology header's IRI (no trailing slash).
ONTOLOGY = BASE + "def"
#: Named graph that holds every triple produced by :mod:`nigraph.reason.owl`.
INFERRED_GRAPH = pyoxigraph.NamedNode(GRAPH + "inferred")
#: Named graph of the coverage statistics (RDF Data Cube) that ``nigraph build`` computes.
CUBE_GRAPH = pyoxigraph.NamedNode(GRAPH + "cube")
#: Named graph in which ``nigraph publish`` records, on a remote store, the graphs it published.
PUBLISHED_GRAPH = pyoxigraph.NamedNode(GRAPH + "published")
_STAGING = BASE + "staging/"

#: Instance kinds allowed by docs/design.md; nothing else may be minted.
KINDS: frozenset[str] = frozenset(
    {
        "document",
        "org",
        "industry",
        "direction",
        "task",
        "goal",
        "milestone",
        "target",
        "indicator",
        "comparator",
        "unit",
        "standard-type",
        "standard-status",
        "adoption-degree",
        "scheme",
        "passage",
        "excerpt",
        "source",
        "period",
        "instant",
        "reliability",
        "standard",
        "ics",
        "cube",
        "node",
        "rule",
    }
)

_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")

#: Prefixes every writer uses (Turtle, JSON-LD context, SPARQL preambles).
PREFIXES: dict[str, str] = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "nid": NID,
    "nig": NIG,
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "time": "http://www.w3.org/2006/time#",
    "void": "http://rdfs.org/ns/void#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def mint(kind: str, key: str) -> pyoxigraph.NamedNode:
    """Build the IRI of a nigraph instance.

    :param kind: one of :data:`KINDS`, e.g. ``"task"``.
    :param key: the plan's numbering, e.g. ``"1.3"``; must match
        ``[A-Za-z0-9][A-Za-z0-9._-]*``.
    :returns: the instance IRI ``https://w3id.org/nigraph/id/<kind>/<key>``.
    :raises ValueError: if the kind is unknown or the key is malformed.

    >>> mint("task", "1.3")
    <NamedNode value=https://w3id.org/nigraph/id/task/1.3>
    >>> mint("target", "2025-1").value
    'https://w3id.org/nigraph/id/target/2025-1'
    >>> mint("person", "x")
    Traceback (most recent call last):
    ...
    ValueError: unknown IRI kind 'person'; expected one of: adoption-degree, comparator, ...
    >>> mint("task", "1 3")
    Traceback (most recent call last):
    ...
    ValueError: bad key '1 3' for kind 'task': must match [A-Za-z0-9][A-Za-z0-9._-]*
    """
    if not isinstance(kind, str) or kind not in KINDS:
        shown = ", ".join(sorted(KINDS))
        raise ValueError(f"unknown IRI kind {kind!r}; expected one of: {shown}, ... (see docs/design.md)")
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise ValueError(f"bad key {key!r} for kind {kind!r}: must match {_KEY.pattern}")
    return pyoxigraph.NamedNode(f"{NID}{kind}/{key}")


def graph_for(relpath: str | PurePath) -> pyoxigraph.NamedNode:
    """Name the graph that holds the triples of one source file.

    :param relpath: the file's path relative to the project root.
    :returns: ``https://w3id.org/nigraph/graph/<relpath>`` (POSIX separators).
    :raises ValueError: if the path is absolute or climbs out with ``..``.

    >>> graph_for("ontology/imports/prov_import.ttl").value
    'https://w3id.org/nigraph/graph/ontology/imports/prov_import.ttl'
    >>> graph_for("/etc/passwd")
    Traceback (most recent call last):
    ...
    ValueError: graph path must be relative to the project root: '/etc/passwd'
    """
    text = PurePath(relpath).as_posix()
    posix = PurePosixPath(text)
    if posix.is_absolute() or ".." in posix.parts or text in ("", "."):
        raise ValueError(f"graph path must be relative to the project root: {str(relpath)!r}")
    return pyoxigraph.NamedNode(GRAPH + text)


def release_iri(version: str, filename: str = "nigraph.ttl") -> pyoxigraph.NamedNode:
    """IRI of a released file, used as ``owl:versionIRI``.

    :param version: release version, e.g. ``"0.1.0"``.
    :param filename: released file name.
    :returns: ``https://w3id.org/nigraph/releases/<version>/<filename>``.

    >>> release_iri("0.1.0").value
    'https://w3id.org/nigraph/releases/0.1.0/nigraph.ttl'
    """
    return pyoxigraph.NamedNode(f"{BASE}releases/{version}/{filename}")


def staging_graph(graph: pyoxigraph.NamedNode) -> pyoxigraph.NamedNode:
    """Name the temporary graph ``nigraph publish`` uploads a graph to before swapping it in.

    :param graph: a nigraph graph, under :data:`GRAPH`.
    :returns: ``https://w3id.org/nigraph/staging/<path>``.
    :raises ValueError: if ``graph`` is not under :data:`GRAPH`.

    >>> staging_graph(graph_for("data/goals.ttl")).value
    'https://w3id.org/nigraph/staging/data/goals.ttl'
    >>> staging_graph(pyoxigraph.NamedNode("http://example.org/g"))
    Traceback (most recent call last):
    ...
    ValueError: not a nigraph graph: 'http://example.org/g'
    """
    if not graph.value.startswith(GRAPH) or graph.value == GRAPH:
        raise ValueError(f"not a nigraph graph: {graph.value!r}")
    return pyoxigraph.NamedNode(_STAGING + graph.value[len(GRAPH):])


def standard_key(number: str) -> str:
    """IRI key of a standard from its number: ``/`` → ``-``, space → ``_``, ``:`` → ``-``.

    :param number: the standard number as printed, e.g. ``"GB/T 1.1-2020"``.
    :returns: the key for ``mint("standard", key)``; :func:`mint` still checks it.

    >>> standard_key("GB/T 1.1-2020")
    'GB-T_1.1-2020'
    >>> standard_key("ISO/IEC 27001:2022")
    'ISO-IEC_27001-2022'
    >>> mint("standard", standard_key("T/CSAE 53-2020")).value
    'https://w3id.org/nigraph/id/standard/T-CSAE_53-2020'
    """
    return number.replace("/", "-").replace(" ", "_").replace(":", "-")
