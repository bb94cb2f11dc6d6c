"""The fast engine's rewritten queries (issue 18: validation of a 1M-triple catalogue) give the
reports they gave before: a violation is still reported with the same focus node, path, message and
severity, by the fast engine with the prechecks always asked and never asked, and by pySHACL.

Rewrites covered:

* sh:class, when the class has no more instances than the shape has focus nodes: the precheck is an
  anti-join (MINUS) with the instances, not a property-path lookup per distinct value;
* sh:uniqueLang: the precheck compares, per language tag, the number of tagged values with the number of
  subjects that have one (a group per tag, not per subject and tag);
* sh:minCount 1 and 2: a shape with many focus nodes first asks one ASK for all of them (does any focus
  node miss the pattern of any of them?) and runs none when it is false;
* ``shapes/checks/iri-pattern-violation.rq``: each subject once (GROUP BY), then the string tests.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
import rdflib

from nigraph.core.iri import SHAPES as SHAPES_NS
from nigraph.validate import compiler
from nigraph.validate.results import SH
from nigraph.validate.run import Check, load_checks, validate_quads

ROOT = Path(__file__).resolve().parent.parent
TTL = pyoxigraph.RdfFormat.TURTLE

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix e: <http://e/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
e:S a sh:NodeShape ; sh:targetClass e:C ;
  sh:property e:S-k , e:S-label , e:S-big , e:S-n , e:S-two .
e:S-k sh:path e:k ; sh:class e:K ; sh:severity sh:Warning ;
  sh:message "Point e:k to an e:K."@en , "e:k 须指向 e:K。"@zh .
e:S-label sh:path e:label ; sh:uniqueLang true ; sh:severity sh:Info ;
  sh:message "One label per language."@en , "每种语言一个标签。"@zh .
e:S-big sh:path e:big ; sh:class e:Big ;
  sh:message "Point e:big to an e:Big."@en .
e:S-n sh:path e:n ; sh:minCount 1 ; sh:severity sh:Warning ; sh:message "Give an e:n."@en , "请给出 e:n。"@zh .
e:S-two sh:path e:label ; sh:minCount 2 ; sh:message "Give two labels."@en .
"""

FOCUS = 40


def _data(planted: bool) -> str:
    lines = ["<http://e/Sub> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <http://e/K> .",
             "<http://e/k1> a <http://e/K> .", "<http://e/k2> a <http://e/Sub> ."]
    # more instances of e:Big than focus nodes: its sh:class keeps the lookup per value
    lines += [f"<http://e/b{i}> a <http://e/Big> ." for i in range(FOCUS + 10)]
    for i in range(FOCUS):
        x = f"<http://e/x{i}>"
        lines += [f"{x} a <http://e/C> .", f"{x} <http://e/k> <http://e/k{i % 2 + 1}> .",
                  f'{x} <http://e/label> "x{i}"@en .', f"{x} <http://e/big> <http://e/b{i}> ."]
        if not (planted and i == 9):  # sh:minCount 1 broken
            lines.append(f"{x} <http://e/n> {i} .")
        if not (planted and i == 10):  # sh:minCount 2 broken
            lines.append(f'{x} <http://e/label> "x{i}"@zh .')
    # a violation on a node that is no focus node: the prechecks are true, the queries find nothing
    lines += ["<http://e/other> <http://e/k> <http://e/k3> .", '<http://e/other> <http://e/label> "o1"@en .',
              '<http://e/other> <http://e/label> "o2"@en .', "<http://e/other> <http://e/big> <http://e/k1> ."]
    if planted:
        lines += ["<http://e/x3> <http://e/k> <http://e/k3> .", '<http://e/x4> <http://e/k> "k1" .',
                  "<http://e/x5> <http://e/k> _:b .", '<http://e/x6> <http://e/label> "y"@en .',
                  '<http://e/x6> <http://e/label> "z"@EN .', "<http://e/x7> <http://e/big> <http://e/k1> .",
                  '<http://e/x8> <http://e/label> "q"@en-GB .']
    return "\n".join(lines) + "\n"


def _quads(text: str) -> list[pyoxigraph.Quad]:
    return list(pyoxigraph.parse(text.encode(), format=TTL))


def _fields(report) -> list[tuple]:
    """What a reader sees of each result; blank nodes as one anonymous node (labels differ by engine)."""
    def bare(x):
        return "_:" if isinstance(x, str) and x.startswith("_:") else x
    return sorted((bare(r.focus), r.path, r.component, bare(r.shape), bare(r.value), r.severity, r.messages)
                  for r in report.results)


answers: list[bool] = []


def _run(planted: bool, threshold: int, monkeypatch) -> tuple[object, list[str]]:
    answers.clear()
    asked: list[str] = []
    has_row = compiler._has_row

    def spy(data, query):
        asked.append(query)
        answers.append(has_row(data, query))
        return answers[-1]

    monkeypatch.setattr(compiler, "_PRECHECK_FOCUS", threshold)
    monkeypatch.setattr(compiler, "_has_row", spy)
    return validate_quads(_quads(_data(planted)), _quads(SHAPES)), asked


def test_the_rewritten_prechecks_are_the_ones_asked(monkeypatch) -> None:
    _, asked = _run(True, 0, monkeypatch)
    k_class = ("ASK { { ?this <http://e/k> ?v . } MINUS { ?v <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/"
               "<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <http://e/K> } }")
    assert k_class in asked
    big_class = [q for q in asked if "<http://e/big>" in q]  # 50 instances > 40 focus nodes: the old precheck
    assert len(big_class) == 1 and "SELECT DISTINCT ?v WHERE" in big_class[0] and "MINUS" not in big_class[0]
    unique = [q for q in asked if "<http://e/label>" in q and "?lang" in q]
    assert unique == ['ASK { { SELECT ?lang (COUNT(*) AS ?n) (COUNT(DISTINCT ?this) AS ?m) WHERE { '
                      '?this <http://e/label> ?v FILTER(isLiteral(?v) && LANG(?v) != "") BIND(LCASE(LANG(?v)) AS ?lang) } '
                      'GROUP BY ?lang } FILTER(?n != ?m) }']


@pytest.mark.parametrize("planted", [True, False])
def test_one_ask_for_the_min_counts_of_a_shape(planted: bool, monkeypatch) -> None:
    _, asked = _run(planted, 0, monkeypatch)
    combined = [(q, a) for q, a in zip(asked, answers) if q.startswith("ASK { VALUES")]
    assert [q for q, _ in combined] == [
        "ASK { VALUES ?nigraphTargetClass { <http://e/C> } ?this <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "?nigraphTargetClass . FILTER(NOT EXISTS { ?this <http://e/n> ?v } || NOT EXISTS { ?this <http://e/label> ?v1 . "
        "?this <http://e/label> ?v2 . FILTER(!sameTerm(?v1, ?v2)) }) }"]
    assert combined[0][1] is planted


@pytest.mark.parametrize("planted", [True, False])
def test_a_violation_is_reported_as_before(planted: bool, monkeypatch) -> None:
    always, asked = _run(planted, 0, monkeypatch)
    assert asked
    never, asked = _run(planted, 10**9, monkeypatch)
    assert not asked
    monkeypatch.undo()
    reference = validate_quads(_quads(_data(planted)), _quads(SHAPES), engine="pyshacl")
    assert _fields(always) == _fields(never) == _fields(reference)
    if not planted:
        assert always.conforms
        return
    k = (("en", "Point e:k to an e:K."), ("zh", "e:k 须指向 e:K。"))
    label = (("en", "One label per language."), ("zh", "每种语言一个标签。"))
    big = (("en", "Point e:big to an e:Big."),)
    n = (("en", "Give an e:n."), ("zh", "请给出 e:n。"))
    two = (("en", "Give two labels."),)
    assert _fields(always) == [
        ("http://e/x10", "http://e/label", SH + "MinCountConstraintComponent", "http://e/S-two", None, "Violation", two),
        ("http://e/x3", "http://e/k", SH + "ClassConstraintComponent", "http://e/S-k", "<http://e/k3>", "Warning", k),
        ("http://e/x4", "http://e/k", SH + "ClassConstraintComponent", "http://e/S-k", '"k1"', "Warning", k),
        ("http://e/x5", "http://e/k", SH + "ClassConstraintComponent", "http://e/S-k", "_:", "Warning", k),
        ("http://e/x6", "http://e/label", SH + "UniqueLangConstraintComponent", "http://e/S-label", None, "Info", label),
        ("http://e/x7", "http://e/big", SH + "ClassConstraintComponent", "http://e/S-big", "<http://e/k1>", "Violation",
         big),
        ("http://e/x9", "http://e/n", SH + "MinCountConstraintComponent", "http://e/S-n", None, "Warning", n),
    ]


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


@pytest.mark.parametrize("labels, duplicated", [
    ([], False),
    (['"a"@en', '"b"@zh', '"c"'], False),
    (['"a"@en', '"a"@en-gb', '"a"@zh'], False),
    (['"a"@en', '"b"@EN'], True),
    (['"a"@en', '"b"@en', '"c"@zh'], True),
    (['"a"@zh-hans', '"b"@zh-Hans', "<http://e/iri>"], True),
])
def test_the_unique_lang_precheck_answers_as_the_grouping_by_subject(labels: list[str], duplicated: bool) -> None:
    """The precheck by counts per tag is true exactly when a subject has two values with one tag."""
    before = ('ASK { { SELECT ?this ?lang WHERE { { SELECT DISTINCT ?this ?v (LCASE(LANG(?v)) AS ?lang) WHERE { '
              '?this <http://e/label> ?v FILTER(isLiteral(?v) && LANG(?v) != "") } } } GROUP BY ?this ?lang '
              'HAVING (COUNT(?v) > 1) } }')
    shapes = _quads(SHAPES)
    (shape,), _ = compiler.compile_shapes(shapes)
    (query,) = [q for q in shape.queries if q.component == SH + "UniqueLangConstraintComponent"]
    store = pyoxigraph.Store()
    lines = [f"<http://e/s> <http://e/label> {v} ." for v in labels]
    lines += [f'<http://e/t{i}> <http://e/label> "t"@en .' for i in range(3)]  # one each: no duplicate
    store.extend(_quads("\n".join(lines)))
    assert bool(store.query(query.precheck)) == bool(store.query(before)) == duplicated


_TARGETS = {
    # a node typed with the class and a subclass is one focus node twice in the target pattern
    "class": "sh:targetClass e:C",
    "subjects": "sh:targetSubjectsOf e:k",
    # literal focus nodes: they have no e:n, no two e:label
    "objects": "sh:targetObjectsOf e:o",
    "nodes": "sh:targetNode e:x0 , e:x1 , e:x2 , e:x9 , e:x10 , e:nothing",
    "several": "sh:targetClass e:C ; sh:targetObjectsOf e:o",
}


@pytest.mark.parametrize("target", sorted(_TARGETS))
@pytest.mark.parametrize("planted", [True, False])
def test_the_min_count_ask_with_every_kind_of_target(target: str, planted: bool, monkeypatch) -> None:
    shapes = f"""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix e: <http://e/> .
    e:T a sh:NodeShape ; {_TARGETS[target]} ; sh:property e:T-n , e:T-two , e:T-three .
    e:T-n sh:path e:n ; sh:minCount 1 ; sh:message "Give an e:n."@en .
    e:T-two sh:path e:label ; sh:minCount 2 ; sh:severity sh:Info ; sh:message "Two labels."@en .
    e:T-three sh:path e:label ; sh:minCount 1 ; sh:severity sh:Warning ; sh:message "A label."@en .
    """
    data = _data(planted) + "<http://e/Sub> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <http://e/C> .\n" \
        + "<http://e/x1> a <http://e/Sub> .\n"
    if planted:
        data += '<http://e/x2> <http://e/o> "a literal" .\n<http://e/x2> <http://e/o> <http://e/x10> .\n'
    (shape,), _ = compiler.compile_shapes(_quads(shapes))
    assert sum(q.missing is not None for q in shape.queries) == 3  # with threshold 0: one ASK for the three
    reports = []
    for threshold in (0, 10**9):
        monkeypatch.setattr(compiler, "_PRECHECK_FOCUS", threshold)
        reports.append(validate_quads(_quads(data), _quads(shapes)))
    monkeypatch.undo()
    reports.append(validate_quads(_quads(data), _quads(shapes), engine="pyshacl"))
    assert _fields(reports[0]) == _fields(reports[1]) == _fields(reports[2])
    assert [r for r in reports[0].routes if r[1] == "pyshacl"] == []
    if planted and target != "subjects":
        assert reports[0].results
