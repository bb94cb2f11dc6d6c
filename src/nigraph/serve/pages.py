"""HTML pages: home, resource (linked data), ontology documentation and query page.

Every text that comes from the graph or the request goes through :func:`esc`; links to
canonical IRIs under ``https://w3id.org/nigraph/`` point to this server (see :class:`Site`).
The pages use only ``/static/style.css`` and ``/static/query.js``, shipped in the package.

>>> esc('<script>alert("x")</script>')
'&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
>>> Site("http://127.0.0.1:8000/").local("https://w3id.org/nigraph/id/task/1")
'http://127.0.0.1:8000/id/task/1'
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pyoxigraph as ox

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
    """Escape text for HTML content and attribute values."""
    return html.escape(str(text), quote=True)


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


def link(site: Site, term: ox.NamedNode, label: ox.Literal | None = None) -> str:
    """An ``<a>`` to a resource, with its label (or its compact IRI) as text."""
    text = label.value if label is not None else compact(term.value)
    return f'<a href="{esc(site.local(term.value))}" title="{esc(term.value)}">{esc(text)}</a>'


def show(site: Site, term: ox.NamedNode | ox.BlankNode | ox.Literal | None, label: ox.Literal | None = None) -> str:
    """Render one RDF term as HTML."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return link(site, term, label)
    if isinstance(term, ox.BlankNode):
        return f"<code>_:{esc(term.value)}</code>"
    text = esc(term.value).replace("\n", "<br>")
    if term.language:
        return f'<span lang="{esc(term.language)}">{text}</span> <small class="tag">@{esc(term.language)}</small>'
    dt = term.datatype.value
    if dt != PREFIXES["xsd"] + "string":
        return f'{text} <small class="tag">{esc(compact(dt))}</small>'
    return text


def layout(site: Site, title: str, body: str, *, alternates: Sequence[tuple[str, str]] = ()) -> str:
    """Wrap a page body with the header, navigation and footer."""
    alt = "".join(f'<link rel="alternate" type="{esc(t)}" href="{esc(h)}">' for t, h in alternates)
    nav = " · ".join(f'<a href="{esc(site.url(p))}">{esc(n)}</a>' for p, n in
                     (("", "Home 首页"), ("query", "Query 查询"), ("def", "Ontology 本体"),
                      ("report/", "Report 报告"), ("void", "VoID"), ("dumps/", "Dumps 下载"),
                      ("sparql", "SPARQL endpoint")))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)} · nigraph</title>"
        f'<link rel="stylesheet" href="{esc(site.url("static/style.css"))}">{alt}</head>\n'
        f'<body><header><a class="brand" href="{esc(site.url(""))}">nigraph</a><nav>{nav}</nav></header>\n'
        f"<main>{body}</main>\n"
        '<footer>New Industry Standardization Leading Project (2023─2035) knowledge graph · '
        "data CC BY 4.0 · served by nigraph</footer></body></html>\n"
    )


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
    body = [f"<h1>{esc(title)}</h1>"]
    if zh:
        body.append(f'<p class="zh" lang="zh">{esc(zh[0].value)}</p>')
    body.append(f'<p class="iri"><code>{esc(iri.value)}</code> · '
                + " · ".join(f'<a href="{esc(u)}">{esc(t)}</a>' for t, u in docs) + "</p>")
    body.append('<h2>Properties 属性</h2><table class="props"><tr><th>property</th><th>value</th><th>graph</th></tr>')
    for key in sorted(facts, key=lambda k: (k[0] != PREFIXES["rdf"] + "type", k)):
        p, o, pl, ol, graphs = facts[key]
        where = ", ".join("inferred" if g == INFERRED_GRAPH.value else g.rsplit("/graph/", 1)[-1] for g in sorted(graphs))
        body.append(f"<tr><td>{link(site, p, pl)}</td><td>{show(site, o, ol)}</td><td><small>{esc(where)}</small></td></tr>")
    body.append("</table>")
    sources = rows(
        "SELECT DISTINCT ?s ?src ?label ?text WHERE { ?s prov:wasDerivedFrom ?src "
        f"OPTIONAL {{ ?src rdfs:label ?label {_LANG_EN.format('label')} }} OPTIONAL {{ ?src prov:value ?text }} }} ORDER BY ?src",
        s=iri)
    if sources:
        body.append("<h2>Sources 来源</h2><p>The passages the facts above are derived from (prov:wasDerivedFrom), verbatim:</p><dl class=\"sources\">")
        for r in sources:
            body.append(f"<dt>{show(site, r['src'], r['label'])}</dt><dd>{show(site, r['text']) if r['text'] else ''}</dd>")
        body.append("</dl>")
    if inc:
        body.append('<h2>Incoming links 被引用</h2><table class="props"><tr><th>resource</th><th>property</th></tr>')
        for r in inc:
            body.append(f"<tr><td>{show(site, r['x'], r['xl'])}</td><td>{link(site, r['p'], r['pl'])}</td></tr>")
        body.append("</table>")
    return layout(site, title, "\n".join(body), alternates=[(t, u) for t, u in docs])


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
    body = ["<h1>nigraph ontology 本体</h1>", f'<p class="iri"><code>{esc(PREFIXES["nig"])}</code> · '
            + " · ".join(f'<a href="{esc(u)}">{esc(t)}</a>' for t, u in docs) + "</p><dl>"]
    for r in header:
        body.append(f"<dt>{esc(compact(r['p'].value))}</dt><dd>{show(site, r['o'])}</dd>")
    body.append("</dl>")
    seen: dict[str, list] = {}
    for r in rows(_TERMS):
        seen.setdefault(r["term"].value, [r["term"], r["kind"], r["en"], r["zh"], r["den"], r["dzh"]])
    names = {"Class": "Classes 类", "ObjectProperty": "Object properties 对象属性",
             "DatatypeProperty": "Datatype properties 数据属性", "AnnotationProperty": "Annotation properties 注释属性"}
    for kind, title in names.items():
        terms = [t for t in seen.values() if t[1].value.endswith("#" + kind)]
        if not terms:
            continue
        body.append(f'<h2>{esc(title)}</h2><table class="terms"><tr><th>term</th><th>English</th><th>中文</th></tr>')
        for term, _k, en, zh, den, dzh in terms:
            body.append(
                f"<tr><td>{link(site, term, None)}</td>"
                f"<td><b>{esc(en.value) if en else ''}</b><br>{esc(den.value) if den else ''}</td>"
                f'<td lang="zh"><b>{esc(zh.value) if zh else ""}</b><br>{esc(dzh.value) if dzh else ""}</td></tr>')
        body.append("</table>")
    return layout(site, "Ontology", "\n".join(body), alternates=list(docs))


_INDUSTRIES = """SELECT ?i ?type ?en ?zh ?n WHERE {
  VALUES ?type { nig:EmergingIndustry nig:FutureIndustry } ?i a ?type .
  OPTIONAL { ?i rdfs:label ?en FILTER(LANG(?en) = "en") } OPTIONAL { ?i rdfs:label ?zh FILTER(LANG(?zh) = "zh") }
  OPTIONAL { ?i nig:ordinal ?n } } ORDER BY ?type ?n ?i"""
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


def _both(site: Site, term: ox.NamedNode, en: ox.Literal | None, zh: ox.Literal | None) -> str:
    return link(site, term, en) + (f' <span lang="zh" class="zh">{esc(zh.value)}</span>' if zh else "")


def home(site: Site, rows: Rows, *, latest: str | None = None) -> str:
    """The plan at a glance: the 8+9 industries, the tasks, the goals and their targets; the latest release."""
    body = ['<h1>New Industry Standardization Leading Project (2023─2035)</h1>'
            '<p class="zh" lang="zh">新产业标准化领航工程实施方案(2023─2035年)</p>'
            f'<p>A knowledge graph of the plan: every fact links to the passage it comes from. '
            f'Ask it in <a href="{esc(site.url("query"))}">SPARQL</a>, browse the '
            f'<a href="{esc(site.url("def"))}">ontology</a>, or download the <a href="{esc(site.url("dumps/"))}">dumps</a>.</p>']
    if latest is not None:
        body.append(f'<p>Latest release 最新版本: <a href="{esc(site.url(f"releases/{latest}/"))}">{esc(latest)}</a> '
                    f'(<a href="{esc(site.url("releases/"))}">all releases</a>).</p>')
    industries = list(_first(rows(_INDUSTRIES), "i").values())
    for typ, title in (("EmergingIndustry", "Emerging industries 新兴产业"), ("FutureIndustry", "Future industries 未来产业")):
        chosen = [r for r in industries if r["type"].value.endswith(typ)]
        body.append(f"<h2>{esc(title)} ({len(chosen)})</h2><ol>")
        body += [f"<li>{_both(site, r['i'], r['en'], r['zh'])}</li>" for r in chosen]
        body.append("</ol>")
    tasks = list(_first(rows(_TASKS), "t").values())
    mains = [r for r in tasks if r["parent"] is None]
    body.append(f"<h2>Main tasks 主要任务 ({len(mains)})</h2><ol>")
    for m in mains:
        subs = [r for r in tasks if r["parent"] is not None and r["parent"].value == m["t"].value]
        inner = "".join(f"<li>{_both(site, s['t'], s['en'], s['zh'])}</li>" for s in subs)
        body.append(f"<li>{_both(site, m['t'], m['en'], m['zh'])}" + (f"<ol>{inner}</ol>" if inner else "") + "</li>")
    body.append("</ol><h2>Goals and targets 目标</h2>")
    goals: dict[str, list] = {}
    for r in rows(_GOALS):
        goals.setdefault(r["g"].value, [r["g"], r["gl"], []])
        if r["t"] is not None and all(x["t"].value != r["t"].value for x in goals[r["g"].value][2]):
            goals[r["g"].value][2].append(r)
    for g, gl, targets in goals.values():
        body.append(f"<h3>{link(site, g, gl)}</h3><ol>")
        body += [f"<li>{_both(site, t['t'], t['en'], t['zh'])}</li>" for t in targets]
        body.append("</ol>")
    return layout(site, "Home", "\n".join(body))


def table(site: Site, head: Sequence[str], data: list[dict]) -> str:
    """A result table: one column per variable, every cell escaped."""
    out = ['<table class="results"><tr>' + "".join(f"<th>{esc(h)}</th>" for h in head) + "</tr>"]
    for r in data:
        out.append("<tr>" + "".join(f"<td>{show(site, r.get(h))}</td>" for h in head) + "</tr>")
    out.append("</table>")
    return "".join(out)


def query_page(site: Site, canned: Sequence[CannedQuery], query: str, result: str, *, chosen: str = "") -> str:
    """The query editor, pre-filled; ``result`` is rendered HTML (a table or an error) or ''."""
    options = "".join(
        f'<option value="{esc(q.id)}"{" selected" if q.id == chosen else ""}>'
        f'{esc(q.summary or q.id)}{" · " + esc(q.header["summary_zh"]) if q.header.get("summary_zh") else ""}</option>'
        for q in canned)
    scripts = "".join(f'<script type="text/plain" id="q-{esc(q.id)}">{esc(q.text)}</script>' for q in canned)
    downloads = ""
    if query.strip():
        downloads = "<p>Download: " + " · ".join(
            f'<a href="{esc(site.url("sparql") + "?" + urlencode({"query": query, "format": f}, quote_via=quote))}">{esc(f)}</a>'
            for f in ("json", "xml", "csv", "tsv")) + "</p>"
    body = (
        "<h1>Query 查询</h1>"
        f'<form method="get" action="{esc(site.url("query"))}" id="query-form">'
        f'<label>Canned queries: <select id="canned" name="id"><option value="">(write your own)</option>{options}</select></label>'
        f'<textarea name="query" id="query" rows="14" spellcheck="false">{esc(query)}</textarea>'
        '<button type="submit">Run</button></form>'
        f"{downloads}<section id=\"result\">{result}</section>{scripts}"
        f'<script src="{esc(site.url("static/query.js"))}"></script>'
    )
    return layout(site, "Query", body)


def error_page(site: Site, status: int, message: str) -> str:
    """A small page for an HTTP error, the message shown as text."""
    return layout(site, f"{status}", f'<h1>{status}</h1><p class="error">{esc(message)}</p>')
