"""A VoID + DCAT description of the built graph: size, classes, license, dumps and endpoint.

The names of the dump files (:data:`FORMATS`, :data:`DUMPS`) live here too, since the
description lists them; :mod:`nigraph.export.dumps` writes them and :mod:`nigraph.serve` serves them.
The dataset ``https://w3id.org/nigraph/void#dataset`` is the asserted graph (ontology, imports and
data: what the merged dumps hold); ``…void#store`` is every graph of the store (asserted, inferred
and shapes: what N-Quads and TriG hold and what the endpoint's default graph is the union of), with
the dataset as a ``void:subset``. Every count is counted on the graph it is stated for, as a set of
triples (a triple in two graphs counts once); the title and license come from the ontology header,
so nothing here is typed in twice.

>>> import pyoxigraph as ox
>>> s = ox.Store()
>>> s.add(ox.Quad(ox.NamedNode(NID + "task/1"), ox.NamedNode(PREFIXES["rdf"] + "type"),
...               ox.NamedNode(NIG + "MainTask"), ox.NamedNode(GRAPH + "data/tasks.ttl")))
>>> ts = describe(s, endpoint=BASE + "sparql", dumps=[BASE + "dumps/nigraph.nt"])
>>> [str(t.object) for t in ts if t.predicate.value == PREFIXES["void"] + "triples"]
['"1"^^<http://www.w3.org/2001/XMLSchema#integer>', '"1"^^<http://www.w3.org/2001/XMLSchema#integer>']
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox

from ..core.iri import BASE, GRAPH, INFERRED_GRAPH, NID, NIG, ONTOLOGY, PREFIXES

__all__ = ["DATASET", "STORE", "asserted_graphs", "describe", "VOID_PREFIXES", "FORMATS", "DUMPS", "dump_url"]

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



#: The asserted graph (what the merged dumps hold).
DATASET = ox.NamedNode(BASE + "void#dataset")
#: Every graph of the store (what N-Quads and TriG hold; the endpoint's union default graph).
STORE = ox.NamedNode(BASE + "void#store")
#: Dumps that hold every graph of the store, not only the asserted ones.
_QUAD_DUMPS = (".nq", ".trig")
#: Prefixes for writing the description.
VOID_PREFIXES = {p: PREFIXES[p] for p in ("dcat", "dcterms", "nig", "owl", "rdf", "rdfs", "void", "xsd")}
VOID_PREFIXES["sd"] = "http://www.w3.org/ns/sparql-service-description#"

_MEDIA = {".ttl": "text/turtle", ".nt": "application/n-triples", ".nq": "application/n-quads",
          ".trig": "application/trig", ".jsonld": "application/ld+json", ".rdf": "application/rdf+xml"}
_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
_DISTINCT = """SELECT (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?p) AS ?properties)
  (COUNT(DISTINCT ?o) AS ?objects) WHERE { ?s ?p ?o }"""
_CLASSES = """SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?class } GROUP BY ?class ORDER BY ?class"""
_HEADER = """SELECT ?ontology ?p ?o WHERE { ?ontology ?p ?o
  VALUES ?p { <http://purl.org/dc/terms/title> <http://purl.org/dc/terms/description>
              <http://purl.org/dc/terms/license> <http://www.w3.org/2002/07/owl#versionInfo> } }
  ORDER BY ?p ?o"""


def asserted_graphs(store: ox.Store) -> list[ox.NamedNode]:
    """The store's graphs without the inferred graph, the coverage cube and the shapes, sorted."""
    return sorted((g for g in store.named_graphs() if isinstance(g, ox.NamedNode) and g != INFERRED_GRAPH
                   and g.value != GRAPH + "cube" and not g.value.startswith(GRAPH + "shapes/")), key=lambda g: g.value)


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

    asserted = asserted_graphs(store)
    every = [ox.DefaultGraph(), *sorted(store.named_graphs(), key=str)]

    def q(text: str, graphs: list = asserted) -> list[ox.QuerySolution]:
        # pyoxigraph keeps a triple once per graph of the list: the counts below are all DISTINCT
        return list(store.query(text, default_graph=graphs))

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
        t(d, void + "triples", lit(_n(q(_TRIPLES)[0]["n"]))),
        t(STORE, rdf + "type", ox.NamedNode(void + "Dataset")),
        t(STORE, void + "triples", lit(_n(q(_TRIPLES, every)[0]["n"]))),
        t(STORE, void + "subset", d),
        t(STORE, void + "sparqlEndpoint", ox.NamedNode(endpoint)),
        t(STORE, dct + "description", ox.Literal("Every named graph of the store: the asserted graph, the inferred "
                                                 "triples and the shapes; the endpoint's default graph is their union.",
                                                 language="en")),
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
        whole = STORE if url.endswith(_QUAD_DUMPS) else d
        out.append(t(whole, void + "dataDump", node))
        dist = ox.NamedNode(BASE + "void#dump-" + _slug(url.rsplit("/", 1)[-1]))
        ext = "." + url.rsplit(".", 1)[-1]
        out += [t(whole, dcat + "distribution", dist), t(dist, rdf + "type", ox.NamedNode(dcat + "Distribution")),
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
