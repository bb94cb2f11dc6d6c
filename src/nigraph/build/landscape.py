"""The standards landscape lines of the build summary: documents, frameworks, framework nodes per
industry, catalogue standards per industry and per type (issue 14).

Each line is counted with SPARQL over the built store, like the rest of the summary; an industry or a
type with nothing is left out of its line, and the industries without a framework are named.

>>> import pyoxigraph
>>> rows = landscape_rows(pyoxigraph.Store())
>>> [label for label, _ in rows]
['documents', 'frameworks', 'framework nodes', 'no framework', 'catalogue standards', 'standards/industry', 'standards/type']
>>> dict(rows)["documents"]
'0 policy documents, 0 serving an industry of the plan'
"""

from __future__ import annotations

import pyoxigraph

from ..core.iri import NID, PREFIXES

__all__ = ["landscape_rows"]

_PREAMBLE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in sorted(PREFIXES.items()))

_DOCUMENTS = """SELECT (COUNT(DISTINCT ?d) AS ?all) (COUNT(DISTINCT ?served) AS ?sector) WHERE {
  ?d a nig:PolicyDocument . OPTIONAL { ?d nig:forIndustry ?i . BIND(?d AS ?served) } }"""
_FRAMEWORKS = """SELECT (COUNT(DISTINCT ?f) AS ?frameworks) (COUNT(DISTINCT ?n) AS ?nodes) WHERE {
  ?n a nig:FrameworkNode ; skos:inScheme ?f }"""
_NODES_PER_INDUSTRY = """SELECT ?notation (COUNT(DISTINCT ?n) AS ?nodes) WHERE {
  ?i skos:notation ?notation . { ?i a nig:EmergingIndustry } UNION { ?i a nig:FutureIndustry }
  OPTIONAL { ?f nig:forIndustry ?i . ?n a nig:FrameworkNode ; skos:inScheme ?f }
} GROUP BY ?notation ORDER BY ?notation"""
_STANDARDS = """SELECT (COUNT(DISTINCT ?s) AS ?standards) (COUNT(DISTINCT ?sourced) AS ?with_address) WHERE {
  ?s a nig:Standard .
  OPTIONAL { ?s prov:wasDerivedFrom/nig:address ?a . BIND(?s AS ?sourced) } }"""
_PER_INDUSTRY = """SELECT ?notation (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?s a nig:Standard ; nig:servesIndustry ?i . ?i skos:notation ?notation } GROUP BY ?notation ORDER BY ?notation"""
_PER_TYPE = """SELECT ?type (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?s a nig:Standard ; nig:standardType ?type } GROUP BY ?type ORDER BY ?type"""


def _rows(store: pyoxigraph.Store, query: str) -> list[dict[str, str]]:
    result = store.query(_PREAMBLE + query, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def _pairs(rows: list[dict[str, str]], key: str, value: str, strip: str = "") -> str:
    shown = [f"{r[key][len(strip):]} {r[value]}" for r in rows if r.get(value, "0") != "0"]
    return ", ".join(shown) if shown else "none"


def landscape_rows(store: pyoxigraph.Store) -> list[tuple[str, str]]:
    """The summary's landscape lines, ``(label, text)`` in a fixed order.

    :param store: the built store (asserted and inferred triples).
    :returns: seven lines for :meth:`BuildSummary.render`.
    """
    (docs,) = _rows(store, _DOCUMENTS)
    (frameworks,) = _rows(store, _FRAMEWORKS)
    per_industry = _rows(store, _NODES_PER_INDUSTRY)
    (standards,) = _rows(store, _STANDARDS)
    without = [r["notation"] for r in per_industry if r.get("nodes", "0") == "0"]
    return [
        ("documents", f"{docs['all']} policy documents, {docs['sector']} serving an industry of the plan"),
        ("frameworks", f"{frameworks['frameworks']} frameworks, {frameworks['nodes']} nodes"),
        ("framework nodes", _pairs(per_industry, "notation", "nodes")),
        ("no framework", ", ".join(without) if without else "none"),
        ("catalogue standards", f"{standards['standards']}, {standards['with_address']} with a source address"),
        ("standards/industry", _pairs(_rows(store, _PER_INDUSTRY), "notation", "n")),
        ("standards/type", _pairs(_rows(store, _PER_TYPE), "type", "n", NID + "standard-type/")),
    ]
