"""nigraph.query.run: header parsing, parameter terms, binding and output formats."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from decimal import Decimal
from pathlib import Path

import pyoxigraph
import pytest

from nigraph.core.errors import InputError, NigraphError
from nigraph.query.run import (
    Param,
    QueryResult,
    bind,
    find_query,
    format_result,
    load_queries,
    parse_header,
    parse_query,
    run_query,
    term_for,
    to_python,
)

ROOT = Path(__file__).resolve().parent.parent
HEAD = "#+ summary: s\n#+ summary_zh: 中\n#+ description: d\n#+ description_zh: 描述\n#+ tags: [t]\n"


def test_header_continuation_and_errors():
    h = parse_header("# a plain comment\n#+ description: one\n#+   two\n#+ param: a (iri, default <x:y>)\n"
                     "#+ param: b (string, default \"z\")\nSELECT * {}\n#+ summary: after the query, ignored\n")
    assert h == {"description": ["one two"], "param": ['a (iri, default <x:y>)', 'b (string, default "z")']}
    with pytest.raises(InputError, match=r"q.rq:2: header key 'summary' given twice"):
        parse_header("#+ summary: a\n#+ summary: b\n", "q.rq")
    with pytest.raises(InputError, match=r"q.rq:1: header line has no 'key:'"):
        parse_header("#+   orphan\n", "q.rq")
    with pytest.raises(InputError, match=r"header key 'tags' is empty"):
        parse_header("#+ tags:\n", "q.rq")


def test_parse_query_checks_required_keys_and_params(tmp_path):
    with pytest.raises(InputError, match="header lacks description_zh, tags"):
        parse_query("#+ summary: s\n#+ summary_zh: 中\n#+ description: d\nSELECT * {} ORDER BY ?x", "x.rq")
    with pytest.raises(InputError, match="bad param"):
        parse_query(HEAD + "#+ param: industry F04\nSELECT * {} ORDER BY ?x", "x.rq")
    with pytest.raises(InputError, match="unknown type 'uri'"):
        parse_query(HEAD + "#+ param: i (uri, default <x:y>)\nSELECT * {} ORDER BY ?x", "x.rq")
    # the default in the header must be the one in the VALUES line, so docs cannot drift
    with pytest.raises(InputError, match=r"VALUES \?i"):
        parse_query(HEAD + "#+ param: i (iri, default <x:y>)\nSELECT * { VALUES ?i { <x:z> } } ORDER BY ?i", "x.rq")
    with pytest.raises(InputError, match=r"VALUES \?i"):
        parse_query(HEAD + "#+ param: i (iri, default <x:y>)\nSELECT * { ?s ?p ?i } ORDER BY ?i", "x.rq")
    # the data set a query reads without naming it in a qb:dataSet pattern (the cube guard reads it)
    with pytest.raises(InputError, match="bad reads 'nid:cube/a'"):
        parse_query(HEAD + "#+ reads: nid:cube/a\nSELECT * {} ORDER BY ?x", "x.rq")
    assert parse_query(HEAD + "#+ reads: <https://w3id.org/nigraph/id/cube/a>\nSELECT * {} ORDER BY ?x", "x.rq")
    bad = tmp_path / "queries"
    bad.mkdir()
    (bad / "Not_Kebab.rq").write_text(HEAD + "SELECT * {} ORDER BY ?x")
    with pytest.raises(InputError, match="kebab-case"):
        load_queries(tmp_path)


@pytest.mark.parametrize(
    ("ptype", "value", "term"),
    [
        ("iri", "<https://e/x>", pyoxigraph.NamedNode("https://e/x")),
        ("iri", "nig:Standard", pyoxigraph.NamedNode("https://w3id.org/nigraph/def/Standard")),
        ("iri", "urn:isbn:123", pyoxigraph.NamedNode("urn:isbn:123")),
        ("string", 'a "b"', pyoxigraph.Literal('a "b"')),
        ("decimal", "2.5", pyoxigraph.Literal("2.5", datatype=pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))),
        ("date", "2023-08-03", pyoxigraph.Literal("2023-08-03", datatype=pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#date"))),
        ("boolean", "true", pyoxigraph.Literal("true", datatype=pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))),
    ],
)
def test_term_for(ptype, value, term):
    assert term_for(Param("p", ptype, ""), value) == term


@pytest.mark.parametrize(("ptype", "value"), [("integer", "1.5"), ("decimal", "NaN"), ("date", "2023-13-01"),
                                              ("boolean", "yes"), ("iri", "relative/path"), ("iri", "<a b>")])
def test_term_for_rejects(ptype, value):
    with pytest.raises(NigraphError, match="parameter p"):
        term_for(Param("p", ptype, ""), value)


def test_bind_replaces_every_line_of_the_parameter_and_nothing_else():
    text = "SELECT ?x {\n  VALUES ?x { 1 }\n  { SELECT ?x {\n    VALUES ?x { 1 }\n  } }\n  VALUES ?xx { 1 }\n}"
    out = bind(text, {"x": pyoxigraph.Literal("2")})
    assert out.count('VALUES ?x { "2" }') == 2 and "VALUES ?xx { 1 }" in out
    with pytest.raises(NigraphError, match="unknown parameter 'y'"):
        bind(text, {"y": pyoxigraph.Literal("2")})
    with pytest.raises(NigraphError, match="bind an IRI or a literal"):
        bind(text, {"x": pyoxigraph.BlankNode("b")})


def test_run_query_needs_one_target_and_a_select():
    with pytest.raises(NigraphError, match="exactly one"):
        run_query("SELECT * {}")
    with pytest.raises(NigraphError, match="only SELECT"):
        run_query("ASK {}", store=pyoxigraph.Store())
    with pytest.raises(NigraphError, match="does not parse"):
        run_query("SELECT ?x {", store=pyoxigraph.Store())


def test_to_python_and_formats():
    x = "http://www.w3.org/2001/XMLSchema#"
    lit = lambda v, t: pyoxigraph.Literal(v, datatype=pyoxigraph.NamedNode(x + t))  # noqa: E731
    assert to_python(lit("7", "nonNegativeInteger")) == 7
    assert to_python(lit("1.0E2", "double")) == 100.0
    assert to_python(lit("true", "boolean")) is True
    assert to_python(lit("2025", "gYear")) == "2025"
    assert to_python(lit("not-a-date", "date")) == "not-a-date"
    assert to_python(pyoxigraph.Literal("量子", language="zh")) == "量子"
    assert to_python(None) is None
    r = QueryResult(["a", "b", "c"], [("x\ty", Decimal("66.70"), dt.date(2025, 1, 2)), (None, Decimal("0"), True)])
    assert format_result(r, "tsv") == "a\tb\tc\nx y\t66.7\t2025-01-02\n\t0.0\ttrue\n"
    assert json.loads(format_result(r, "json"))["rows"][0] == {"a": "x\ty", "b": 66.7, "c": "2025-01-02"}
    table = format_result(QueryResult(["名称", "n"], [("量子信息", 1)]), "table").splitlines()
    width = lambda s: sum(2 if unicodedata.east_asian_width(c) == "W" else 1 for c in s)  # noqa: E731
    assert width(table[0][: table[0].index("n")]) == width(table[2][: table[2].index("1")]) == 10
    with pytest.raises(NigraphError, match="unknown format"):
        format_result(r, "xml")


def test_find_query():
    assert find_query(ROOT, "main-tasks").id == "main-tasks"
    assert find_query(ROOT, str(ROOT / "queries" / "main-tasks.rq")).title.startswith("Main tasks")
