"""MkDocs hook: pages generated from the sources, so they cannot drift from them.

* ``queries.md``: the canned query catalogue, from the ``#+`` headers of ``queries/*.rq``;
* ``shapes.md``: every shape's rules and messages, from ``shapes/*.ttl``, and the checks of
  ``shapes/checks/*.rq`` with the rule each states in its first comment line;
* ``data-model.md``: the classes and properties of ``ontology/nigraph.ttl`` and a diagram of them.

They are added to the site while ``mkdocs build`` runs and never written into ``docs/``.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import rdflib
from mkdocs.structure.files import File, Files
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from nigraph.query import load_queries

ROOT = Path(__file__).resolve().parents[2]
NIG = rdflib.Namespace("https://w3id.org/nigraph/def/")
SHAPES = "https://w3id.org/nigraph/shapes/"


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _lang(graph: rdflib.Graph, node: rdflib.term.Node, prop: rdflib.URIRef, lang: str) -> str:
    for value in sorted(graph.objects(node, prop), key=str):
        if isinstance(value, rdflib.Literal) and value.language == lang:
            return str(value)
    return ""


def _short(graph: rdflib.Graph, term: rdflib.term.Node) -> str:
    if isinstance(term, rdflib.URIRef):
        try:
            return graph.namespace_manager.normalizeUri(term)
        except Exception:  # noqa: BLE001 - any IRI rdflib cannot shorten is shown whole
            return f"<{term}>"
    if isinstance(term, rdflib.Literal):
        if term.language is not None:
            return f'"{term}"@{term.language}'
        typed = term.datatype is not None and str(term.datatype) != str(rdflib.XSD.string)
        return str(term) if typed else f'"{term}"'
    return str(term)


def queries_page() -> str:
    queries = load_queries(ROOT)
    lines = ["# Canned query catalogue", "",
             f"Generated from the `#+` headers of the {len(queries)} files in `queries/` when the site is built. "
             "Run one with `nigraph query ID` (see [query](query.md)); each id links to its text below.", "",
             "| query | question | parameters | tags |", "|---|---|---|---|"]
    for q in queries:
        params = ", ".join(f"`{p.name}` ({p.type}, default `{p.default}`)" for p in q.params.values()) or "–"
        lines.append(f"| [`{q.id}`](#{q.id}) | {_cell(q.title)} / {_cell(q.title_zh)} | {params} | {', '.join(q.tags)} |")
    for q in queries:
        lines += ["", f"## {q.id}", "", f"**{q.title}** / {q.title_zh}", "", _cell(q.description), "",
                  _cell(q.description_zh), ""]
        for p in q.params.values():
            lines.append(f"- parameter `{p.name}`: {p.type}, default `{p.default}`: {_cell(p.description)}")
        if q.columns:
            lines.append(f"- columns: {', '.join(f'`{c}`' for c in q.columns)}")
        lines += [f"- tags: {', '.join(q.tags)}", "", "```sparql", q.text.rstrip("\n"), "```"]
    return "\n".join(lines) + "\n"


_RULES = [(SH.minCount, "at least {}"), (SH.maxCount, "at most {}"), (SH.datatype, "datatype {}"),
          (SH["class"], "class {}"), (SH.nodeKind, "node kind {}"), (SH.pattern, "pattern {}"),
          (SH.minInclusive, "≥ {}"), (SH.maxInclusive, "≤ {}"), (SH.minExclusive, "> {}"), (SH.maxExclusive, "< {}"),
          (SH.minLength, "length ≥ {}"), (SH.maxLength, "length ≤ {}"), (SH.hasValue, "has value {}"),
          (SH.uniqueLang, "unique language {}"), (SH.node, "conforms to {}"), (SH.equals, "equals {}"),
          (SH.disjoint, "disjoint from {}"), (SH.lessThan, "less than {}")]


def _list(graph: rdflib.Graph, node: rdflib.term.Node) -> str:
    return "(" + " ".join(_short(graph, x) for x in rdflib.collection.Collection(graph, node)) + ")"


def _constraints(graph: rdflib.Graph, shape: rdflib.term.Node) -> str:
    parts = []
    for prop, text in _RULES:
        for value in sorted(graph.objects(shape, prop), key=str):
            parts.append(text.format(_short(graph, value)))
    for prop, name in ((SH["in"], "one of"), (SH.languageIn, "languages")):
        for value in graph.objects(shape, prop):
            parts.append(f"{name} {_list(graph, value)}")
    for prop, name in ((SH["or"], "or"), (SH["xone"], "exactly one of"), (SH["and"], "and")):
        for value in graph.objects(shape, prop):
            parts.append(f"{name} {_list(graph, value)}")
    for value in graph.objects(shape, SH["not"]):
        parts.append(f"not {_short(graph, value)}")
    return "; ".join(parts)


def _path(graph: rdflib.Graph, path: rdflib.term.Node) -> str:
    if isinstance(path, rdflib.BNode):
        inverse = graph.value(path, SH.inversePath)
        if inverse is not None:
            return f"^{_short(graph, inverse)}"
        if graph.value(path, RDF.first) is not None:
            return "/".join(_short(graph, x) for x in rdflib.collection.Collection(graph, path))
        for prop, mark in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
            inner = graph.value(path, prop)
            if inner is not None:
                return f"{_short(graph, inner)}{mark}"
    return _short(graph, path)


def shapes_page() -> str:
    lines = ["# Shapes: the rules the data must follow", "",
             "Generated from `shapes/*.ttl` and `shapes/checks/*.rq` when the site is built. "
             "`nigraph validate` checks them and prints each message below when a rule is broken.", ""]
    for path in sorted((ROOT / "shapes").glob("*.ttl")):
        graph = rdflib.Graph().parse(path, format="turtle")
        for shape in sorted(graph.subjects(RDF.type, SH.NodeShape), key=str):
            name = str(shape)[len(SHAPES):] if str(shape).startswith(SHAPES) else str(shape)
            targets = ", ".join(f"`{_short(graph, t)}`" for t in sorted(graph.objects(shape, SH.targetClass), key=str))
            lines += [f"## {name}", "", f"File `shapes/{path.name}`; targets {targets or '(no target class)'}.", ""]
            own = _constraints(graph, shape)
            if own or graph.value(shape, SH.message):
                lines.append(f"- the resource itself: {own or '(SPARQL or other rules)'} — "
                             f"{_cell(_lang(graph, shape, SH.message, 'en'))}")
            props = sorted(graph.objects(shape, SH.property), key=lambda p: _path(graph, graph.value(p, SH.path)))
            if props:
                lines += ["", "| path | rule | message |", "|---|---|---|"]
                for prop in props:
                    lines.append(f"| `{_cell(_path(graph, graph.value(prop, SH.path)))}` | {_cell(_constraints(graph, prop))} "
                                 f"| {_cell(_lang(graph, prop, SH.message, 'en'))} |")
            for sparql in sorted(graph.objects(shape, SH.sparql), key=str):
                lines += ["", f"- SPARQL rule `{_short(graph, sparql)}`: {_cell(_lang(graph, sparql, SH.message, 'en'))}"]
            lines.append("")
    lines += ["## Checks (`shapes/checks/`)", "", "Each check is a SELECT that returns the bad rows; no row means it passes.", "",
              "| check | rule |", "|---|---|"]
    for path in sorted((ROOT / "shapes" / "checks").glob("*.rq")):
        first = path.read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
        lines.append(f"| `{path.stem}` | {_cell(first)} |")
    return "\n".join(lines) + "\n"


def data_model_page() -> str:
    graph = rdflib.Graph()
    graph.parse(ROOT / "ontology" / "nigraph.ttl", format="turtle")
    classes = sorted((c for c in graph.subjects(RDF.type, OWL.Class) if str(c).startswith(str(NIG))), key=str)
    local = {c: str(c)[len(NIG):] for c in classes}
    lines = ["# Data model", "",
             "Generated from `ontology/nigraph.ttl` when the site is built. Classes and properties are in the",
             "namespace `nig:` = `https://w3id.org/nigraph/def/`; the terms reused from SKOS, DCTERMS, PROV-O,",
             "ORG and OWL-Time are in `ontology/imports/`. See also the [IRI policy](iri-policy.md).", "",
             "The diagram shows each `nig:` class, its `rdfs:subClassOf` links (arrows with a hollow head) and",
             "each `nig:` object property whose domain and range are both `nig:` classes.", "",
             "```mermaid", "classDiagram"]
    for c in classes:
        for sup in sorted(graph.objects(c, RDFS.subClassOf), key=str):
            if sup in local:
                lines.append(f"  {local[sup]} <|-- {local[c]}")
    props = sorted((p for p in set(graph.subjects(RDF.type, OWL.ObjectProperty)) | set(graph.subjects(RDF.type, OWL.DatatypeProperty))
                    if str(p).startswith(str(NIG))), key=str)
    for p in props:
        for d in sorted(graph.objects(p, RDFS.domain), key=str):
            for r in sorted(graph.objects(p, RDFS.range), key=str):
                if d in local and r in local:
                    lines.append(f"  {local[d]} --> {local[r]} : {str(p)[len(NIG):]}")
    for c in classes:
        lines.append(f"  class {local[c]}")
    lines += ["```", "", "## Classes", "", "| class | label | definition |", "|---|---|---|"]
    for c in classes:
        lines.append(f"| `nig:{local[c]}` | {_cell(_lang(graph, c, RDFS.label, 'en'))} / {_cell(_lang(graph, c, RDFS.label, 'zh'))} "
                     f"| {_cell(_lang(graph, c, SKOS.definition, 'en'))} |")
    lines += ["", "## Properties", "", "| property | kind | domain | range | definition |", "|---|---|---|---|---|"]
    for p in props:
        kind = "object" if (p, RDF.type, OWL.ObjectProperty) in graph else "datatype"
        dom = ", ".join(_short(graph, x) for x in sorted(graph.objects(p, RDFS.domain), key=str))
        rng = ", ".join(_short(graph, x) for x in sorted(graph.objects(p, RDFS.range), key=str))
        lines.append(f"| `nig:{str(p)[len(NIG):]}` | {kind} | {_cell(dom)} | {_cell(rng)} | {_cell(_lang(graph, p, SKOS.definition, 'en'))} |")
    return "\n".join(lines) + "\n"


PAGES = {"queries.md": queries_page, "shapes.md": shapes_page, "data-model.md": data_model_page}


def on_files(files: Files, config) -> Files:  # noqa: ANN001 - mkdocs' hook signature
    for name, make in PAGES.items():
        if files.get_file_from_path(name) is None:
            files.append(File.generated(config, name, content=make()))
    return files
