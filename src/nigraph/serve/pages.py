"""HTML pages: home, resource (linked data), ontology documentation and query page.

The pages are Jinja2 templates (``serve/templates/*.html``) rendered with autoescaping, so every
text that comes from the graph or the request is escaped by Jinja2/MarkupSafe; the few pieces
built here (:func:`link`, :func:`show`) are made with :class:`markupsafe.Markup`, whose ``format``
escapes its arguments. Links to canonical IRIs under ``https://w3id.org/nigraph/`` point to this
server (see :class:`Site`). The pages use only ``/static/style.css`` and ``/static/query.js``,
shipped in the package.

>>> esc('<script>alert("x")</script>')
'&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;'
>>> Site("http://127.0.0.1:8000/").local("https://w3id.org/nigraph/id/task/1")
'http://127.0.0.1:8000/id/task/1'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from urllib.parse import quote, urlencode

import jinja2
import pyoxigraph as ox
from markupsafe import Markup, escape

from ..core.iri import BASE, INFERRED_GRAPH, PREFIXES
from .examples import CannedQuery

__all__ = ["esc", "Site", "Rows", "home", "resource", "ontology", "query_page", "error_page"]

PREAMBLE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in sorted(PREFIXES.items()))
_LABEL = PREFIXES["rdfs"] + "label"
_DERIVED = PREFIXES["prov"] + "wasDerivedFrom"
_LANG_EN = 'FILTER(LANGMATCHES(LANG(?{0}), "en") || LANG(?{0}) = "")'

#: Runs a SELECT (with optional substitutions) and returns its rows as dicts of terms.
Rows = Callable[..., list[dict[str, ox.NamedNode | ox.BlankNode | ox.Literal | None]]]


def esc(text: object) -> str:
    """Escape text for HTML content and attribute values (MarkupSafe, as the templates do)."""
    return str(escape(str(text)))


@cache
def _templates() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("nigraph.serve", "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
                             auto_reload=False)  # templates ship with the package: no stat() per page
    env.globals.update(link=link, show=show, both=both, compact=compact, nav=_NAV)
    return env


def _render(name: str, site: "Site", **values: object) -> str:
    return _templates().get_template(name).render(site=site, **values) + "\n"


_NAV = (("", "Home 首页"), ("query", "Query 查询"), ("def", "Ontology 本体"), ("report/", "Report 报告"),
        ("void", "VoID"), ("dumps/", "Dumps 下载"), ("sparql", "SPARQL endpoint"))


@dataclass(frozen=True)
class Site:
    """Where the server is reached; maps canonical IRIs to local URLs.

    :param base: the public URL of this server, ending in ``/``.
    """

    base: str

    def local(self, iri: str) -> str:
        """Turn a canonical IRI under :data:`~nigraph.core.iri.BASE` into a URL on this server."""
        return self.base + iri[len(BASE):] if iri.startswith(BASE) else iri

    def url(self, path: str) -> str:
        """A URL on this server for a path without its leading ``/``."""
        return self.base + path.lstrip("/")


def compact(iri: str) -> str:
    """A prefixed name if a known prefix fits, else the IRI.

    >>> compact("https://w3id.org/nigraph/def/Goal"), compact("http://x.org/a")
    ('nig:Goal', 'http://x.org/a')
    """
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(best) and "/" not in iri[len(ns):]:
            best = ns
            name = f"{prefix}:{iri[len(ns):]}"
    return name if best else iri


def link(site: Site, term: ox.NamedNode, label: ox.Literal | None = None) -> Markup:
    """An ``<a>`` to a resource, with its label (or its compact IRI) as text."""
    text = label.value if label is not None else compact(term.value)
    # escape() on each value, then Markup: what Markup.format does, at a fifth of its cost
    return Markup(f'<a href="{escape(site.local(term.value))}" title="{escape(term.value)}">{escape(text)}</a>')


def show(site: Site, term: ox.NamedNode | ox.BlankNode | ox.Literal | None, label: ox.Literal | None = None) -> Markup:
    """Render one RDF term as HTML (line breaks in a literal become ``<br>``)."""
    if term is None:
        return Markup("")
    if isinstance(term, ox.NamedNode):
        return link(site, term, label)
    if isinstance(term, ox.BlankNode):
        return Markup(f"<code>_:{escape(term.value)}</code>")
    text = escape(term.value).replace("\n", Markup("<br>"))
    if term.language:
        lang = escape(term.language)
        return Markup(f'<span lang="{lang}">{text}</span> <small class="tag">@{lang}</small>')
    dt = term.datatype.value
    if dt != PREFIXES["xsd"] + "string":
        return Markup(f'{text} <small class="tag">{escape(compact(dt))}</small>')
    return text


def both(site: Site, item: dict) -> Markup:
    """A resource's link (English label) and its Chinese label, as the home page lists them."""
    zh = item["zh"]
    return link(site, item["term"], item["en"]) + (Markup(f' <span lang="zh" class="zh">{escape(zh.value)}</span>')
                                                   if zh else "")


def layout(site: Site, title: str, body: str, *, alternates: Sequence[tuple[str, str]] = ()) -> str:
    """Wrap a page body with the header, navigation and footer.

    :param body: HTML the caller built with its text escaped (the other pages render their own
        templates, which extend ``layout.html``).
    """
    return _render("layout.html", site, title=title, body=Markup(body), alternates=list(alternates))


def _labels(rows: Rows, iri: ox.NamedNode) -> tuple[list[ox.Literal], list[ox.Literal]]:
    found = rows("SELECT ?s ?l WHERE { ?s rdfs:label|skos:prefLabel ?l } ORDER BY ?l", s=iri)
    en = [r["l"] for r in found if isinstance(r["l"], ox.Literal) and r["l"].language in (None, "en")]
    zh = [r["l"] for r in found if isinstance(r["l"], ox.Literal) and (r["l"].language or "").startswith("zh")]
    return _unique(en), _unique(zh)


def _unique(items: list[ox.Literal]) -> list[ox.Literal]:
    seen, out = set(), []
    for i in items:
        if i.value not in seen:
            seen.add(i.value)
            out.append(i)
    return out


def resource(site: Site, rows: Rows, iri: ox.NamedNode, docs: Sequence[tuple[str, str]]) -> str | None:
    """The page of one resource: labels, properties (with their graph), incoming links, sources.

    :param docs: ``(media type, URL)`` of the RDF forms of this resource.
    :returns: the page, or ``None`` if the graph says nothing about ``iri``.
    """
    out = rows(
        "SELECT ?s ?p ?o ?g ?pl ?ol WHERE { GRAPH ?g { ?s ?p ?o } "
        f"OPTIONAL {{ ?p rdfs:label ?pl {_LANG_EN.format('pl')} }} OPTIONAL {{ ?o rdfs:label ?ol {_LANG_EN.format('ol')} }} }}",
        s=iri)
    inc = rows(
        "SELECT DISTINCT ?o ?x ?p ?xl ?pl WHERE { ?x ?p ?o "
        f"OPTIONAL {{ ?p rdfs:label ?pl {_LANG_EN.format('pl')} }} OPTIONAL {{ ?x rdfs:label ?xl {_LANG_EN.format('xl')} }} }}"
        " ORDER BY ?p ?x LIMIT 1000", o=iri)
    if not out and not inc:
        return None
    en, zh = _labels(rows, iri)
    title = en[0].value if en else compact(iri.value)
    facts: dict[tuple[str, str], list] = {}
    for r in out:
        key = (r["p"].value, str(r["o"]))
        entry = facts.setdefault(key, [r["p"], r["o"], r["pl"], r["ol"], set()])
        entry[2] = entry[2] or r["pl"]
        entry[3] = entry[3] or r["ol"]
        entry[4].add(r["g"].value)
    shown = []
    for key in sorted(facts, key=lambda k: (k[0] != PREFIXES["rdf"] + "type", k)):
        p, o, pl, ol, graphs = facts[key]
        where = ", ".join("inferred" if g == INFERRED_GRAPH.value else g.rsplit("/graph/", 1)[-1] for g in sorted(graphs))
        shown.append((p, pl, o, ol, where))
    sources = rows(
        "SELECT DISTINCT ?s ?src ?label ?text WHERE { ?s prov:wasDerivedFrom ?src "
        f"OPTIONAL {{ ?src rdfs:label ?label {_LANG_EN.format('label')} }} OPTIONAL {{ ?src prov:value ?text }} }} ORDER BY ?src",
        s=iri)
    return _render("resource.html", site, title=title, zh=zh[0].value if zh else "", iri=iri.value, docs=list(docs),
                   facts=shown, sources=sources, incoming=inc, alternates=list(docs))


_TERMS = """SELECT ?term ?kind ?en ?zh ?den ?dzh WHERE {
  VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }
  ?term a ?kind . FILTER(STRSTARTS(STR(?term), STR(nig:)))
  OPTIONAL { ?term rdfs:label ?en FILTER(LANG(?en) = "en") } OPTIONAL { ?term rdfs:label ?zh FILTER(LANG(?zh) = "zh") }
  OPTIONAL { ?term skos:definition ?den FILTER(LANG(?den) = "en") } OPTIONAL { ?term skos:definition ?dzh FILTER(LANG(?dzh) = "zh") }
} ORDER BY ?kind ?term"""


def ontology(site: Site, rows: Rows, docs: Sequence[tuple[str, str]]) -> str:
    """The ontology's documentation: every nig: class and property with both labels and definitions."""
    header = rows("SELECT ?s ?p ?o WHERE { ?s ?p ?o VALUES ?p { dcterms:title dcterms:description dcterms:license owl:versionInfo } } ORDER BY ?p ?o",
                  s=ox.NamedNode(PREFIXES["nig"][:-1]))
    seen: dict[str, list] = {}
    for r in rows(_TERMS):
        seen.setdefault(r["term"].value, [r["term"], r["kind"], r["en"], r["zh"], r["den"], r["dzh"]])
    names = {"Class": "Classes 类", "ObjectProperty": "Object properties 对象属性",
             "DatatypeProperty": "Datatype properties 数据属性", "AnnotationProperty": "Annotation properties 注释属性"}
    sections = []
    for kind, title in names.items():
        terms = [(term, en.value if en else "", zh.value if zh else "", den.value if den else "", dzh.value if dzh else "")
                 for term, k, en, zh, den, dzh in seen.values() if k.value.endswith("#" + kind)]
        if terms:
            sections.append((title, terms))
    return _render("ontology.html", site, title="Ontology", namespace=PREFIXES["nig"], docs=list(docs), header=header,
                   sections=sections, alternates=list(docs))


_INDUSTRIES = """SELECT ?i ?type ?en ?zh ?n WHERE {
  VALUES ?type { nig:EmergingIndustry nig:FutureIndustry } ?i a ?type .
  OPTIONAL { ?i rdfs:label ?en FILTER(LANG(?en) = "en") } OPTIONAL { ?i rdfs:label ?zh FILTER(LANG(?zh) = "zh") }
  OPTIONAL { ?i nig:ordinal ?n } } ORDER BY ?type ?n ?i"""
_FRAMEWORKS = """SELECT DISTINCT ?i ?f ?en ?zh WHERE { ?f a skos:ConceptScheme ; nig:forIndustry ?i .
  FILTER EXISTS { ?node a nig:FrameworkNode ; skos:inScheme ?f }
  OPTIONAL { ?f rdfs:label ?en FILTER(LANG(?en) = "en") } OPTIONAL { ?f rdfs:label ?zh FILTER(LANG(?zh) = "zh") } }
  ORDER BY ?i ?f"""
_TASKS = """SELECT ?t ?en ?zh ?n ?parent WHERE { { ?t a nig:MainTask } UNION { ?t a nig:SubTask ; nig:subTaskOf ?parent }
  OPTIONAL { ?t rdfs:label ?en FILTER(LANG(?en) = "en") } OPTIONAL { ?t rdfs:label ?zh FILTER(LANG(?zh) = "zh") }
  OPTIONAL { ?t nig:ordinal ?n } } ORDER BY ?n ?t"""
_GOALS = """SELECT ?g ?gl ?t ?en ?zh ?n WHERE { ?g a nig:Goal .
  OPTIONAL { ?g rdfs:label ?gl FILTER(LANG(?gl) = "en") }
  OPTIONAL { ?g nig:hasTarget ?t OPTIONAL { ?t rdfs:label ?en FILTER(LANG(?en) = "en") }
             OPTIONAL { ?t rdfs:label ?zh FILTER(LANG(?zh) = "zh") } OPTIONAL { ?t nig:ordinal ?n } } } ORDER BY ?g ?n ?t"""


def _first(rows: list[dict], key: str) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for r in rows:
        out.setdefault(r[key].value, r)
    return out


def _item(row: dict, key: str) -> dict:
    """A resource with its English and Chinese labels, as the home page's ``both`` macro shows it."""
    return {"term": row[key], "en": row["en"], "zh": row["zh"]}


def home(site: Site, rows: Rows, *, latest: str | None = None) -> str:
    """The plan at a glance: the 8+9 industries (each with its sector frameworks), the tasks, the goals and their targets; the latest release."""
    found = list(_first(rows(_INDUSTRIES), "i").values())
    frameworks: dict[str, list[dict]] = {}  # industry → its frameworks (one serving two industries is under both)
    for r in rows(_FRAMEWORKS):
        if all(x["term"].value != r["f"].value for x in frameworks.setdefault(r["i"].value, [])):
            frameworks[r["i"].value].append(_item(r, "f"))
    industries = [(title, [_item(r, "i") | {"frameworks": frameworks.get(r["i"].value, [])}
                           for r in found if r["type"].value.endswith(typ)])
                  for typ, title in (("EmergingIndustry", "Emerging industries 新兴产业"),
                                     ("FutureIndustry", "Future industries 未来产业"))]
    tasks = list(_first(rows(_TASKS), "t").values())
    mains = [(_item(m, "t"), [_item(r, "t") for r in tasks if r["parent"] is not None and r["parent"].value == m["t"].value])
             for m in tasks if m["parent"] is None]
    goals: dict[str, list] = {}
    for r in rows(_GOALS):
        goals.setdefault(r["g"].value, [r["g"], r["gl"], []])
        if r["t"] is not None and all(x["term"].value != r["t"].value for x in goals[r["g"].value][2]):
            goals[r["g"].value][2].append(_item(r, "t"))
    return _render("home.html", site, title="Home", latest=latest, industries=industries, tasks=mains,
                   goals=list(goals.values()), alternates=[])


def table(site: Site, head: Sequence[str], data: list[dict]) -> str:
    """A result table: one column per variable, every cell escaped."""
    return _templates().get_template("table.html").render(site=site, head=list(head), data=data)


def query_page(site: Site, canned: Sequence[CannedQuery], query: str, result: str, *, chosen: str = "") -> str:
    """The query editor, pre-filled; ``result`` is HTML the caller built (a table or an error) or ''."""
    downloads = []
    if query.strip():
        downloads = [(f, site.url("sparql") + "?" + urlencode({"query": query, "format": f}, quote_via=quote))
                     for f in ("json", "xml", "csv", "tsv")]
    return _render("query.html", site, title="Query", canned=list(canned), chosen=chosen, query=query,
                   downloads=downloads, result=Markup(result), alternates=[])


def error_page(site: Site, status: int, message: str) -> str:
    """A small page for an HTTP error, the message shown as text."""
    return _render("error.html", site, title=f"{status}", status=status, message=message, alternates=[])
