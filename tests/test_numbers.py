"""The importer and the shapes share one rule for standard numbers (issue 17, item 1).

A property test draws standard numbers, real-looking and odd (``XYZ 123-2020``, ``DIN 1234-2020``,
``FOO/T 1-2020``, ``ZZ 1-2020``, full-width forms, Excel's ``="…"`` cells), imports them, and
checks both directions:

* every number the importer accepts (and every adopted number) passes the shapes: the project's
  SHACL validator, run on the imported triples, reports no ``StandardShape-number-matches-type``;
* every number the importer rejects for its form is rejected by the shapes for every standard type.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nigraph.catalogue.numbers import CONSTRAINT, guess_type, load_number_rule
from nigraph.catalogue.parse import normalize_number, read_rows
from nigraph.catalogue.sectors import SectorMap
from nigraph.catalogue.to_rdf import record_quads
from nigraph.core.load import load_file
from nigraph.validate.run import validate_quads

ROOT = Path(__file__).resolve().parents[1]
RULE = load_number_rule(ROOT)
LEAF_TYPES = ("national-mandatory", "national-recommended", "national-guidance", "industry", "local", "group",
              "enterprise", "international")
SHAPES = load_file(ROOT / "shapes" / "standard.ttl", ROOT)
VOCABULARY = load_file(ROOT / "data" / "vocabularies.ttl", ROOT)

PREFIXES = ["GB", "GB/T", "GB/Z", "GB/X", "DB11", "DB11/T", "DB/T", "DB1/T", "YD/T", "QC/T", "GA/T", "GB/TT", "YD",
            "XYZ", "DIN", "FOO/T", "ZZ", "ZZ/T", "T/CSAE", "T/", "T/c", "Q/ABC", "Q/", "ISO", "IEC", "ISO/IEC", "ISO/TR",
            "ISO/IEC TR", "ISO Guide", "ITU-T", "ITU-T Y", "ＧＢ／Ｔ", "ＹＤ／Ｔ"]


@st.composite
def numbers(draw) -> str:  # type: ignore[no-untyped-def]
    prefix = draw(st.sampled_from(PREFIXES) | st.text("ABCDGQTZ/", min_size=1, max_size=5))
    space = draw(st.sampled_from([" ", "", "  ", "　"]))
    serial = draw(st.from_regex(r"[0-9]{1,5}(\.[0-9]{1,2}){0,2}(-[0-9]{1,2})?", fullmatch=True))
    if prefix.startswith("ITU"):
        serial = draw(st.sampled_from(["Y.", "X.", "", "y."])) + serial
    year = draw(st.sampled_from(["-2020", "-20", "-202", ":2021", ":21", "", "-20201", "—2019", "－２０２３"]))
    tail = draw(st.sampled_from(["", "", "", " extra", "x"]))
    text = prefix + space + serial + year + tail
    return draw(st.sampled_from([text, f'="{text}"']))  # Excel's text-formula cell


def _violations(quads: list[pyoxigraph.Quad]) -> set[str]:
    """Focus nodes the project's validator flags with the number rule."""
    report = validate_quads(VOCABULARY + quads, SHAPES)
    return {r.focus for r in report.results if r.constraint == CONSTRAINT or r.shape.endswith("number-matches-type")}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(numbers(), min_size=1, max_size=25, unique=True))
def test_the_importer_and_the_shapes_agree(drawn: list[str]) -> None:
    rows = [{"标准号": n, "中文标准名称": "标准", "英文标准名称": "Standard"} for n in drawn]
    rows += [{"标准号": f"GB/T {9000 + i}-2020", "中文标准名称": "采标", "采用国际标准": n, "采标程度": "IDT"}
             for i, n in enumerate(drawn)]
    records, errors = read_rows(rows, source="drawn.json", rule=RULE)
    quads = [q for r in records for q in record_quads(r, SectorMap())]
    assert _violations(quads) == set(), "the importer accepted a number the shapes reject"
    for e in errors:
        if e.line > len(drawn) or "duplicate" in e.reason:
            continue
        number = normalize_number(drawn[e.line - 1].removeprefix('="').removesuffix('"'))
        assert "no known form" in e.reason or "does not fit its type" in e.reason, e.reason
        assert RULE.rejected((number, t) for t in LEAF_TYPES) == {(number, t) for t in LEAF_TYPES}, \
            f"the importer rejected {number!r}, which the shapes accept for some type"


@pytest.mark.parametrize("number", ["XYZ 123-2020", "DIN 1234-2020", "FOO/T 1-2020", "ZZ 1-2020", "DB/T 1-2020"])
def test_numbers_the_issue_found_are_rejected_at_import_with_their_line(number: str) -> None:
    records, errors = read_rows([(7, {"标准号": number, "中文标准名称": "标准"})], source="x.csv", rule=RULE)
    assert records == [] and [e.line for e in errors] == [7]
    assert "does not fit its type industry" in errors[0].reason


def test_excel_text_cells_are_read() -> None:
    records, errors = read_rows([{"标准号": '="GB/T 1.1-2020"', "中文标准名称": '="标准化工作导则"', "发布日期": '="2020-03-31"'}],
                                source="x.csv", rule=RULE)
    assert errors == [] and (records[0].number, records[0].title_zh, records[0].issued) == (
        "GB/T 1.1-2020", "标准化工作导则", "2020-03-31")


def test_the_rule_is_the_shapes_select() -> None:
    """No second copy: the rule is the sh:select text of shapes/standard.ttl."""
    store = pyoxigraph.Store()
    store.extend(SHAPES)
    select = next(iter(store.query(f"SELECT ?q WHERE {{ <{CONSTRAINT}> <http://www.w3.org/ns/shacl#select> ?q }}",
                                   use_default_graph_as_union=True)))["q"].value
    assert RULE.select == select
    assert guess_type("GB/T 1-2020") == "national-recommended" and RULE.accepts("GB/T 1-2020", "national-recommended")
    assert not RULE.accepts("GB/T 1-2020", "industry")


def test_the_validator_used_above_does_flag_a_bad_number() -> None:
    """So that the first test can fail: the same validator flags a wrong number written by hand."""
    s = pyoxigraph.NamedNode("https://w3id.org/nigraph/id/standard/XYZ_1-2020")
    nig = "https://w3id.org/nigraph/def/"
    quads = [pyoxigraph.Quad(s, pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                             pyoxigraph.NamedNode(nig + "Standard")),
             pyoxigraph.Quad(s, pyoxigraph.NamedNode(nig + "standardNumber"), pyoxigraph.Literal("XYZ 1-2020")),
             pyoxigraph.Quad(s, pyoxigraph.NamedNode(nig + "standardType"),
                             pyoxigraph.NamedNode("https://w3id.org/nigraph/id/standard-type/industry"))]
    assert _violations(quads) == {s.value}
