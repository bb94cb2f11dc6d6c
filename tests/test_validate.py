"""The validation API: checks, the two engines agree, the pySHACL fallback, reports, bad input."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
import rdflib

from nigraph.core.errors import InputError
from nigraph.core.iri import SHAPES
from nigraph.validate.results import SH
from nigraph.validate.run import load_checks, validate

ROOT = Path(__file__).resolve().parent.parent
CHECK_FIXTURES = sorted((ROOT / "tests" / "fixtures" / "checks").glob("*.ttl"))
SHAPE_FIXTURES = sorted((ROOT / "tests" / "fixtures" / "shapes").glob("*/*.ttl"))
sys.path.insert(0, str(ROOT / "benchmarks"))
import catalogue  # noqa: E402


def _norm(keys: set[tuple]) -> set[tuple]:
    """Blank-node labels differ between engines; compare them as one anonymous node."""
    return {tuple("_:" if isinstance(x, str) and x.startswith("_:") else x for x in k) for k in keys}


def _check_expect(path: Path) -> set[tuple]:
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect: "):
            name, focus, value = (p.strip() for p in line[len("# expect: "):].split(" | "))
            out.add((SHAPES + "checks/" + name, focus, None if value == "-" else value))
    return out


def test_checks_have_a_rule_in_english_and_chinese() -> None:
    checks = load_checks(ROOT)
    assert {c.name for c in checks} >= {"emerging-industry-count-violation", "future-industry-count-violation",
                                         "iri-pattern-violation"}
    for c in checks:
        assert c.name.endswith("-violation")
        assert [lang for lang, _ in c.messages] == ["en", "zh"], c.name
        assert "ORDER BY" in c.query, f"{c.name}: order the rows so the report is stable"


def test_iri_check_knows_every_kind() -> None:
    from nigraph.core.iri import KINDS

    text = (ROOT / "shapes" / "checks" / "iri-pattern-violation.rq").read_text(encoding="utf-8")
    kinds = text.split("/id/(", 1)[1].split(")/", 1)[0].split("|")
    assert sorted(kinds) == sorted(KINDS)


@pytest.mark.parametrize("fixture", CHECK_FIXTURES, ids=lambda p: p.stem)
def test_check_fixture(fixture: Path) -> None:
    report = validate(ROOT, [fixture])
    got = {(r.shape, r.focus, r.value) for r in report.results if r.shape.startswith(SHAPES + "checks/")}
    assert got == _check_expect(fixture)
    assert not report.conforms


def test_engines_agree_on_all_fixtures() -> None:
    """The fast path and pySHACL report the identical set of results on every fixture at once."""
    files = SHAPE_FIXTURES + CHECK_FIXTURES
    fast = validate(ROOT, files, engine="fast")
    ref = validate(ROOT, files, engine="pyshacl")
    assert len(fast.results) > 80
    assert _norm(fast.keys()) == _norm(ref.keys())
    messages = {r.key(): r.messages for r in ref.results if not r.focus.startswith("_:")}
    assert all(messages[r.key()] == r.messages for r in fast.results if r.key() in messages)


def test_engines_agree_on_a_generated_catalogue(tmp_path: Path) -> None:
    """Without the project's data every reference to a vocabulary breaks sh:class too: many results.

    (pySHACL parses each SPARQL constraint again for every focus node, so this stays small.)
    """
    path = tmp_path / "catalogue.nt"
    catalogue.write_ntriples(path, n_triples=300, violations=4)
    fast = validate(ROOT, [path], engine="fast", with_data=False)
    ref = validate(ROOT, [path], engine="pyshacl", with_data=False)
    assert fast.keys() == ref.keys()
    assert len(fast.results) > 40
    seeded = {SHAPES + s for s in ("StandardShape-implementation-not-before-issue",
                                   "StandardShape-label", "StandardShape-number-matches-type",
                                   "StandardShape-adopts-international")}
    assert seeded <= {r.constraint or r.shape for r in fast.results}
    assert SH + "ClassConstraintComponent" in {r.component for r in fast.results}


def test_unsupported_shape_falls_back_to_pyshacl(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(ROOT / "ontology", root / "ontology")
    (root / "shapes").mkdir()
    (root / "shapes" / "task.ttl").write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> .
<https://w3id.org/nigraph/shapes/TaskShape> a sh:NodeShape ;
    sh:targetClass <https://w3id.org/nigraph/def/Task> ;
    sh:property <https://w3id.org/nigraph/shapes/TaskShape-label> .
<https://w3id.org/nigraph/shapes/TaskShape-label> sh:path <http://www.w3.org/2000/01/rdf-schema#label> ;
    sh:minLength 5 ; sh:message "Write a label of at least five characters."@en .
""", encoding="utf-8")
    data = tmp_path / "d.ttl"
    data.write_text('<https://w3id.org/nigraph/id/task/1> a <https://w3id.org/nigraph/def/MainTask> ;'
                    ' <http://www.w3.org/2000/01/rdf-schema#label> "建体系"@zh .\n', encoding="utf-8")
    fast = validate(root, [data], engine="fast", with_data=False)
    ref = validate(root, [data], engine="pyshacl", with_data=False)
    assert fast.keys() == ref.keys() == {("https://w3id.org/nigraph/id/task/1", rdflib.RDFS.label.toPython(),
                                          SH + "MinLengthConstraintComponent", SHAPES + "TaskShape-label",
                                          '"建体系"@zh', None, "Violation")}
    assert (SHAPES + "TaskShape", "pyshacl", "uses sh:minLength") in fast.routes


def test_reports_in_three_forms() -> None:
    fixture = ROOT / "tests/fixtures/shapes/standard/invalid-implementation-before-issue.ttl"
    report = validate(ROOT, [fixture])
    text = report.render("text")
    assert text.splitlines()[0] == "nid:standard/GB-T_1.1-2020"
    assert "StandardShape-implementation-not-before-issue" in text and '"2020-01-01"' in text
    assert "implementation date is before the issue date" in text and "实施日期早于发布日期" in text
    assert text.endswith("1 violation on 1 resource; does not conform.")
    doc = json.loads(report.render("json"))
    assert doc["conforms"] is False and doc["results"][0]["focus"].endswith("GB-T_1.1-2020")
    assert set(doc["results"][0]["messages"]) == {"en", "zh"}
    g = rdflib.Graph().parse(data=report.render("turtle"), format="turtle")
    sh = rdflib.Namespace(SH)
    assert (None, sh.conforms, rdflib.Literal(False)) in g
    [result] = list(g.objects(None, sh.result))
    assert g.value(result, sh.sourceConstraintComponent) == sh.SPARQLConstraintComponent
    assert str(g.value(result, sh.focusNode)).endswith("GB-T_1.1-2020")
    assert len(list(g.objects(result, sh.resultMessage))) == 2


def test_conforming_report_graph() -> None:
    g = rdflib.Graph().parse(data=validate(ROOT).render("turtle"), format="turtle")
    assert (None, rdflib.Namespace(SH).conforms, rdflib.Literal(True)) in g
    assert len(g) == 2


@pytest.mark.parametrize("name, content, message", [
    ("missing.ttl", None, "missing.ttl: no such file"),
    ("empty.ttl", "  \n", "empty.ttl: file is empty"),
    ("data.csv", "a,b\n", "data.csv: unknown file extension '.csv'"),
    ("broken.ttl", "@prefix ex: <http://e/> .\nex:a ex:b .\n", "broken.ttl:2:"),
    ("broken.jsonld", '{"@id": ', "broken.jsonld:1:"),
])
def test_bad_input(tmp_path: Path, name: str, content: str | None, message: str, ) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    for engine in ("fast", "pyshacl"):
        with pytest.raises(InputError) as info:
            validate(ROOT, [path], engine=engine)
        assert str(info.value).startswith(str(tmp_path / message)), str(info.value)


def test_explicit_format_overrides_extension(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.txt"
    path.write_text('<https://w3id.org/nigraph/id/task/1> <http://www.w3.org/2000/01/rdf-schema#label> "x"@en .\n',
                    encoding="utf-8")
    report = validate(ROOT, [path], fmt="nt")
    assert {r.shape for r in report.results} == {SHAPES + "TaskShape-label"}


def test_named_graphs_of_a_trig_file_are_validated(tmp_path: Path) -> None:
    path = tmp_path / "data.trig"
    path.write_text('<https://w3id.org/nigraph/id/g> { <https://w3id.org/nigraph/id/task/1> '
                    '<http://www.w3.org/2000/01/rdf-schema#label> "x"@en . }\n', encoding="utf-8")
    for engine in ("fast", "pyshacl"):
        report = validate(ROOT, [path], engine=engine, checks=False)
        assert {r.shape for r in report.results} == {SHAPES + "TaskShape-label"}, engine


def test_turtle_report_keeps_paths_severities_and_every_result() -> None:
    """sh:resultPath is the path itself, a custom severity its IRI, a literal focus node a literal; equal
    results stay two results (SHACL: one result per failure)."""
    from nigraph.validate.results import Report, Result

    inverse = Result(focus="http://e/a", path="[ sh:inversePath <http://e/partOf> ]",
                     component=SH + "MinCountConstraintComponent", shape="http://e/S-p", severity="http://e/Minor")
    literal = Result(focus='"12"', path=None, component=SH + "ClassConstraintComponent", shape="http://e/S",
                     value='"12"', severity="Info")
    report = Report(conforms=False, results=(inverse, literal, literal))
    g = rdflib.Graph().parse(data=report.render("turtle"), format="turtle")
    sh = rdflib.Namespace(SH)
    results = list(g.objects(None, sh.result))
    assert len(results) == 3
    [path] = {g.value(r, sh.resultPath) for r in results} - {None}
    assert g.value(path, sh.inversePath) == rdflib.URIRef("http://e/partOf")
    assert {g.value(r, sh.resultSeverity) for r in results} == {rdflib.URIRef("http://e/Minor"), sh.Info}
    assert rdflib.Literal("12") in {g.value(r, sh.focusNode) for r in results}
    assert json.loads(report.render("json"))["results"][0]["path"] == "[ sh:inversePath <http://e/partOf> ]"
    assert report.fails("violation") and not Report(conforms=False, results=(literal,)).fails("warning")
    assert report.render("text").splitlines()[-1] == "1 http://e/Minor, 2 info on 2 resources; does not conform."
