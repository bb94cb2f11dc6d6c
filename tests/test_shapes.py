"""Every shape has a conforming and a violating fixture; each violating fixture states, in its
``# expect:`` lines, the exact focus node, constraint component, shape, constraint and value reported."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph
import pytest

from nigraph.core.iri import NIG, PREFIXES, SHAPES
from nigraph.validate.results import SH
from nigraph.validate.run import validate

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "shapes"
SHAPE_FILES = sorted((ROOT / "shapes").glob("*.ttl"))
FIXTURE_FILES = sorted(FIXTURES.glob("*/*.ttl"))


def _blank(text: str | None) -> str | None:
    return "_:" if text is not None and text.startswith("_:") else text


def expected(path: Path) -> set[tuple]:
    """The ``# expect: focus | component | shape | constraint | value`` lines of a fixture."""
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect: "):
            focus, comp, shape, constraint, value = (p.strip() for p in line[len("# expect: "):].split(" | "))
            out.add((focus, SH + comp, SHAPES + shape, None if constraint == "-" else SHAPES + constraint,
                     None if value == "-" else value))
    return out


def found(report) -> set[tuple]:
    return {(_blank(r.focus), r.component, r.shape, r.constraint, _blank(r.value)) for r in report.results}


def _shapes_graph() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    for path in SHAPE_FILES:
        store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    return store


def test_project_data_conforms() -> None:
    report = validate(ROOT)
    assert report.conforms, report.render("text")
    assert report.results == ()


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixture_reports_exactly_what_it_expects(fixture: Path) -> None:
    want = expected(fixture)
    assert fixture.stem.startswith("valid-") == (not want), "valid-* fixtures expect nothing, invalid-* something"
    report = validate(ROOT, [fixture], checks=False)
    assert found(report) == want, report.render("text")
    assert report.conforms == (not want)


@pytest.mark.parametrize("shape_file", SHAPE_FILES, ids=lambda p: p.stem)
def test_every_shape_file_has_both_fixtures(shape_file: Path) -> None:
    folder = FIXTURES / shape_file.stem
    assert list(folder.glob("valid-*.ttl")), f"no valid fixture for {shape_file.name}"
    invalid = list(folder.glob("invalid-*.ttl"))
    assert invalid, f"no invalid fixture for {shape_file.name}"
    node_shapes = {r["s"].value for r in _shapes_graph().query(
        f"SELECT ?s WHERE {{ GRAPH ?g {{ ?s <{SH}targetClass> ?c }} }}")} if False else None
    del node_shapes
    shape_iri = SHAPES + re.sub(r"(^|-)([a-z])", lambda m: m.group(2).upper(), shape_file.stem) + "Shape"
    assert any(e[2].startswith(shape_iri) for f in invalid for e in expected(f)), \
        f"no invalid fixture of {shape_file.name} reports {shape_iri}"


def test_every_class_of_the_ontology_has_a_shape() -> None:
    onto = pyoxigraph.Store()
    onto.load(path=str(ROOT / "ontology" / "nigraph.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    classes = {r["c"].value for r in onto.query(
        f"SELECT ?c WHERE {{ ?c a <{PREFIXES['owl']}Class> FILTER(isIRI(?c) && STRSTARTS(STR(?c), '{NIG}')) }}")}
    assert len(classes) == 28  # 26 + FrameworkNode, KeywordRule (issue 14)
    reused = {PREFIXES["org"] + "Organization", PREFIXES["skos"] + "ConceptScheme", PREFIXES["time"] + "Instant",
              PREFIXES["time"] + "ProperInterval"}
    targets = {r["c"].value for r in _shapes_graph().query(f"SELECT ?c WHERE {{ ?s <{SH}targetClass> ?c }}")}
    assert classes | reused <= targets, sorted((classes | reused) - targets)
    for cls in targets:
        local = cls.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        kebab = re.sub(r"(?<!^)([A-Z])", r"-\1", local).lower()
        assert (ROOT / "shapes" / f"{kebab}.ttl").is_file(), f"shapes/{kebab}.ttl for {cls}"


def test_every_shape_says_what_to_change_in_english_and_chinese() -> None:
    store = _shapes_graph()
    rows = store.query(f"""SELECT ?s WHERE {{
        {{ ?s a <{SH}NodeShape> }} UNION {{ ?s a <{SH}PropertyShape> }} UNION {{ ?s a <{SH}SPARQLConstraint> }} }}""")
    shapes = sorted(r["s"].value for r in rows)
    assert len(shapes) > 100
    for s in shapes:
        assert s.startswith(SHAPES), s
        langs = sorted(q.object.language for q in store.quads_for_pattern(
            pyoxigraph.NamedNode(s), pyoxigraph.NamedNode(SH + "message"), None))
        assert langs == ["en", "zh"], (s, langs)
