"""A VoID + DCAT description of the built graph: size, classes, license, dumps and endpoint.

The names of the dump files (:data:`FORMATS`, :data:`DUMPS`) live here too, since the
description lists them; :mod:`nigraph.export.dumps` writes them and :mod:`nigraph.serve` serves them.
The dataset is ``https://w3id.org/nigraph/void#dataset``; its counts come from the store, its
title and license from the ontology header, so nothing here is typed in twice.

>>> import pyoxigraph as ox
>>> s = ox.Store()
>>> s.add(ox.Quad(ox.NamedNode(NID + "task/1"), ox.NamedNode(PREFIXES["rdf"] + "type"),
...               ox.NamedNode(NIG + "MainTask"), ox.NamedNode(GRAPH + "data/tasks.ttl")))
>>> ts = describe(s, endpoint=BASE + "sparql", dumps=[BASE + "dumps/nigraph.nt"])
>>> [str(t.object) for t in ts if t.predicate.value == PREFIXES["void"] + "triples"]
['"1"^^<http://www.w3.org/2001/XMLSchema#integer>']
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox

from ..core.iri import BASE, GRAPH, INFERRED_GRAPH, NID, NIG, ONTOLOGY, PREFIXES

__all__ = ["DATASET", "describe", "VOID_PREFIXES", "FORMATS", "DUMPS", "dump_url"]

#: ``--format`` name → the file it writes.
FORMATS = {
    "ttl": "nigraph.ttl",
    "nt": "nigraph.nt",
    "nq": "nigraph.nq",
    "trig": "nigraph.trig",
    "jsonld": "nigraph.jsonld",
    "rdfxml": "nigraph.rdf",
}
CONTEXT = "nigraph-context.jsonld"
VOID = "void.ttl"
SUMS = "SHA256SUMS"
#: Every file name a dump directory may hold (the server serves only these).
DUMPS = tuple(sorted(set(FORMATS.values()) | {CONTEXT, VOID, SUMS, "nigraph-inferred.ttl"}))


def dump_url(name: str) -> str:
    """The canonical IRI of a dump file.

    >>> dump_url("nigraph.nq")
    'https://w3id.org/nigraph/dumps/nigraph.nq'
    """
    return f"{BASE}dumps/{name}"



#: The IRI of the dataset description.
DATASET = ox.NamedNode(BASE + "void#dataset")
#: Prefixes for writing the description.
VOID_PREFIXES = {p: PREFIXES[p] for p in ("dcat", "dcterms", "nig", "owl", "rdf", "rdfs", "void", "xsd")}
VOID_PREFIXES["sd"] = "http://www.w3.org/ns/sparql-service-description#"

_MEDIA = {".ttl": "text/turtle", ".nt": "application/n-triples", ".nq": "application/n-quads",
          ".trig": "application/trig", ".jsonld": "application/ld+json", ".rdf": "application/rdf+xml"}
_ASSERTED = f"""
SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
  FILTER(?g != <{INFERRED_GRAPH.value}> && ?g != <{GRAPH}cube> && !STRSTARTS(STR(?g), "{GRAPH}shapes/")) }}"""
_DISTINCT = """SELECT (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?p) AS ?properties)
  (COUNT(DISTINCT ?o) AS ?objects) WHERE { ?s ?p ?o }"""
_CLASSES = """SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?class } GROUP BY ?class ORDER BY ?class"""
_HEADER = """SELECT ?ontology ?p ?o WHERE { ?ontology ?p ?o
  VALUES ?p { <http://purl.org/dc/terms/title> <http://purl.org/dc/terms/description>
              <http://purl.org/dc/terms/license> <http://www.w3.org/2002/07/owl#versionInfo> } }
  ORDER BY ?p ?o"""


def _n(term: ox.Literal | None) -> int:
    return int(term.value) if term is not None else 0


def describe(store: ox.Store, *, endpoint: str, dumps: Sequence[str]) -> list[ox.Triple]:
    """Describe the graph in ``store`` with VoID and DCAT.

    :param store: the built store (named graphs per source file, plus the inferred graph).
    :param endpoint: the canonical IRI of the SPARQL endpoint.
    :param dumps: canonical IRIs of the dump files; their media type comes from the extension.
    :returns: the description's triples (sorted by the writers).
    """
    rdf, void, dcat, dct = PREFIXES["rdf"], PREFIXES["void"], PREFIXES["dcat"], PREFIXES["dcterms"]
    xsd_int = ox.NamedNode(PREFIXES["xsd"] + "integer")

    def lit(n: int) -> ox.Literal:
        return ox.Literal(str(n), datatype=xsd_int)

    def q(text: str) -> list[ox.QuerySolution]:
        return list(store.query(text, use_default_graph_as_union=True))

    def t(s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal) -> ox.Triple:
        return ox.Triple(s, ox.NamedNode(p), o)

    d = DATASET
    out = [
        t(d, rdf + "type", ox.NamedNode(void + "Dataset")),
        t(d, rdf + "type", ox.NamedNode(dcat + "Dataset")),
        t(d, void + "sparqlEndpoint", ox.NamedNode(endpoint)),
        t(d, void + "uriSpace", ox.Literal(NID)),
        t(d, void + "vocabulary", ox.NamedNode(NIG)),
        t(d, void + "rootResource", ox.NamedNode(ONTOLOGY)),
        t(d, void + "exampleResource", ox.NamedNode(NID + "industry/E01")),
        t(d, void + "triples", lit(_n(q(_ASSERTED)[0]["n"]))),
    ]
    row = q(_DISTINCT)[0]
    out += [t(d, void + "distinctSubjects", lit(_n(row["subjects"]))),
            t(d, void + "properties", lit(_n(row["properties"]))),
            t(d, void + "distinctObjects", lit(_n(row["objects"])))]
    classes = q(_CLASSES)
    out.append(t(d, void + "classes", lit(len(classes))))
    for row in classes:
        if not isinstance(row["class"], ox.NamedNode):
            continue
        part = ox.NamedNode(BASE + "void#class-" + _slug(row["class"].value))
        out += [t(d, void + "classPartition", part), t(part, void + "class", row["class"]),
                t(part, void + "entities", lit(_n(row["n"])))]
    for row in store.query(_HEADER, use_default_graph_as_union=True,
                           substitutions={ox.Variable("ontology"): ox.NamedNode(ONTOLOGY)}):
        p = row["p"].value
        if p == PREFIXES["owl"] + "versionInfo":
            out.append(t(d, dct + "hasVersion", row["o"]))
        else:
            out.append(t(d, p, row["o"]))
    for url in dumps:
        node = ox.NamedNode(url)
        out.append(t(d, void + "dataDump", node))
        dist = ox.NamedNode(BASE + "void#dump-" + _slug(url.rsplit("/", 1)[-1]))
        ext = "." + url.rsplit(".", 1)[-1]
        out += [t(d, dcat + "distribution", dist), t(dist, rdf + "type", ox.NamedNode(dcat + "Distribution")),
                t(dist, dcat + "downloadURL", node)]
        if ext in _MEDIA:
            out.append(t(dist, dcat + "mediaType", ox.NamedNode("https://www.iana.org/assignments/media-types/" + _MEDIA[ext])))
    service = ox.NamedNode(BASE + "void#endpoint")
    out += [t(d, dcat + "distribution", service), t(service, rdf + "type", ox.NamedNode(dcat + "DataService")),
            t(service, dcat + "endpointURL", ox.NamedNode(endpoint)),
            t(service, dcat + "servesDataset", d)]
    return out


def _slug(text: str) -> str:
    """A fragment-safe name for an IRI or a file name.

    >>> _slug("https://w3id.org/nigraph/def/Goal"), _slug("nigraph.nt")
    ('w3id.org-nigraph-def-Goal', 'nigraph.nt')
    """
    text = text.split("://", 1)[-1]
    return "".join(c if c.isalnum() or c in "._" else "-" for c in text).strip("-")
