"""The fast engine's rewritten queries (issue 18: validation of a 1M-triple catalogue) give the
reports they gave before: a violation is still reported with the same focus node, path, message and
severity, by the fast engine with the prechecks always asked and never asked, and by pySHACL.

Rewrites covered:

* ``shapes/checks/iri-pattern-violation.rq``: each subject once (GROUP BY), then the string tests.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
import rdflib

from nigraph.core.iri import SHAPES as SHAPES_NS
from nigraph.validate.run import Check, load_checks, validate_quads

ROOT = Path(__file__).resolve().parent.parent
TTL = pyoxigraph.RdfFormat.TURTLE

def _quads(text: str) -> list[pyoxigraph.Quad]:
    return list(pyoxigraph.parse(text.encode(), format=TTL))


def _fields(report) -> list[tuple]:
    """What a reader sees of each result; blank nodes as one anonymous node (labels differ by engine)."""
    def bare(x):
        return "_:" if isinstance(x, str) and x.startswith("_:") else x
    return sorted((bare(r.focus), r.path, r.component, bare(r.shape), bare(r.value), r.severity, r.messages)
                  for r in report.results)


#: shapes/checks/iri-pattern-violation.rq before the rewrite: every triple filtered, then DISTINCT
_IRI_BEFORE = """SELECT DISTINCT ?focus WHERE {
  ?focus ?p ?o .
  FILTER(isIRI(?focus) && STRSTARTS(STR(?focus), "https://w3id.org/nigraph/id/"))
  FILTER(!REGEX(STR(?focus), "^https://w3id[.]org/nigraph/id/(adoption-degree|comparator|cube|direction|document|excerpt|goal|ics|indicator|industry|instant|milestone|node|org|passage|period|reliability|rule|scheme|source|standard|standard-status|standard-type|target|task|unit)/[A-Za-z0-9][A-Za-z0-9._-]*$"))
}
ORDER BY ?focus"""

_IRI_DATA = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/nigraph/id/person/x> rdfs:label "x"@en , "x"@zh ; rdfs:seeAlso <https://w3id.org/nigraph/id/standard/GB_1> .
<https://w3id.org/nigraph/id/task/1%203> rdfs:label "y"@en .
<https://w3id.org/nigraph/id/standard/-bad> rdfs:label "z"@en ; rdfs:comment "c" .
<https://w3id.org/nigraph/id/standard/GB_1> rdfs:label "GB 1"@en ; rdfs:seeAlso <https://w3id.org/nigraph/id/nokind/1> .
<https://w3id.org/nigraph/id/> rdfs:label "the namespace"@en .
<http://example.org/id/person/x> rdfs:label "elsewhere"@en .
[] rdfs:label "blank"@en ; rdfs:seeAlso <https://w3id.org/nigraph/id/zz/objectonly> .
"""


def _iri_check() -> Check:
    (check,) = [c for c in load_checks(ROOT) if c.name == "iri-pattern-violation"]
    return check


def test_the_iri_check_gives_the_rows_it_gave_before() -> None:
    store = pyoxigraph.Store()
    store.extend(_quads(_IRI_DATA))
    graph = rdflib.Graph().parse(data=_IRI_DATA, format="turtle")
    text = _iri_check().query
    before = [r["focus"].value for r in store.query(_IRI_BEFORE)]
    assert before == ["https://w3id.org/nigraph/id/", "https://w3id.org/nigraph/id/person/x",
                      "https://w3id.org/nigraph/id/standard/-bad", "https://w3id.org/nigraph/id/task/1%203"]
    assert [r["focus"].value for r in store.query(text)] == before
    assert [str(r[0]) for r in graph.query(text)] == [str(r[0]) for r in graph.query(_IRI_BEFORE)] == before


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_the_iri_check_reports_as_before(engine: str) -> None:
    check = _iri_check()
    before = Check(check.name, _IRI_BEFORE, check.messages)
    new, old = (validate_quads(_quads(_IRI_DATA), [], engine=engine, checks=[c]) for c in (check, before))
    assert _fields(new) == _fields(old)
    assert [(r.focus, r.path, r.shape, r.severity, r.messages) for r in new.results] == [
        (focus, None, SHAPES_NS + "checks/iri-pattern-violation", "Violation", check.messages)
        for focus in ("https://w3id.org/nigraph/id/", "https://w3id.org/nigraph/id/person/x",
                      "https://w3id.org/nigraph/id/standard/-bad", "https://w3id.org/nigraph/id/task/1%203")]
    assert check.messages[0][0] == "en" and check.messages[0][1].startswith("Every instance IRI is")
