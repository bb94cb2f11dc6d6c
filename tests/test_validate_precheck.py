"""The compiled queries' prechecks (nigraph.validate.compiler: an ASK without the focus nodes that
is false only when the query has no row) never change a report: every manifest gives its expected
report with the prechecks asked of every shape, and a catalogue-sized shape gives the same results
with and without them, violations of every precheckable kind included (issue 18)."""

from __future__ import annotations

import pyoxigraph
import pytest

from nigraph.validate import compiler
from nigraph.validate.run import validate_quads

from shacl_conformance.harness import read_entries, run_entry
from shacl_conformance.test_manifests import FIXTURES

ENTRIES = read_entries(FIXTURES)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_every_manifest_with_the_prechecks_always_asked(entry, monkeypatch) -> None:
    monkeypatch.setattr(compiler, "_PRECHECK_FOCUS", 0)
    outcome = run_entry(entry, "fast")
    assert outcome.passed, outcome.detail


XSD = "http://www.w3.org/2001/XMLSchema#"
SHAPES = f"""
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix e: <http://e/> .
e:S a sh:NodeShape ; sh:targetClass e:C ;
  sh:property [ sh:path e:n ; sh:maxCount 1 ; sh:datatype <{XSD}string> ; sh:pattern "^N[0-9]+$" ] ,
    [ sh:path e:k ; sh:class e:K ; sh:maxCount 1 ; sh:in ( e:k1 e:k2 ) ] ,
    [ sh:path e:label ; sh:uniqueLang true ; sh:languageIn ( "en" "zh" ) ] ,
    [ sh:path e:d ; sh:datatype <{XSD}date> ; sh:maxCount 2 ; sh:nodeKind sh:Literal ] ,
    [ sh:path e:none ; sh:maxCount 0 ] ;
  sh:sparql [ sh:select "SELECT $this ?value WHERE {{ $this <http://e/n> ?value . FILTER(!STRSTARTS(STR(?value), 'N')) }}" ] ,
    [ sh:select "SELECT $this WHERE {{ FILTER NOT EXISTS {{ $this <http://e/label> 'x0'@en }} }}" ] .
"""


def _data(n: int, planted: bool) -> str:
    lines = [f"<http://e/k{i}> a <http://e/K> ." for i in (1, 2)]
    for i in range(n):
        x = f"<http://e/x{i}>"
        lines += [f"{x} a <http://e/C> .", f'{x} <http://e/n> "N{i}" .', f"{x} <http://e/k> <http://e/k{i % 2 + 1}> .",
                  f'{x} <http://e/label> "x{i}"@en .', f'{x} <http://e/d> "2020-01-01"^^<{XSD}date> .']
    # violations, on focus nodes and (to make the prechecks true without a focus node) on others
    for s in ("<http://e/x7>", "<http://e/other>") if planted else ():
        lines += [f'{s} <http://e/n> "bad" .', f'{s} <http://e/n> "N1"@en .', f"{s} <http://e/k> <http://e/k3> .",
                  f'{s} <http://e/label> "y"@en .', f'{s} <http://e/label> "z"@fr .', f"{s} <http://e/d> <http://e/d> .",
                  f'{s} <http://e/d> "2020-01-02" .', f"{s} <http://e/none> 1 ."]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("planted", [True, False])
def test_a_catalogue_sized_shape_gives_the_same_results_with_and_without_prechecks(planted: bool, monkeypatch) -> None:
    quads = list(pyoxigraph.parse(_data(1200, planted).encode(), format=pyoxigraph.RdfFormat.TURTLE))
    shapes = list(pyoxigraph.parse(SHAPES.encode(), format=pyoxigraph.RdfFormat.TURTLE))
    reports = []
    for threshold in (0, 10**9):
        monkeypatch.setattr(compiler, "_PRECHECK_FOCUS", threshold)
        reports.append(validate_quads(quads, shapes))
    assert reports[0] == reports[1]
    found = sorted((r.focus, r.component.rsplit("#", 1)[1]) for r in reports[0].results)
    if not planted:
        assert {c for _, c in found} == {"SPARQLConstraintComponent"} and len(found) == 1199
        return
    # the second SPARQL constraint (no precheck: $this is bound by no pattern) holds for x0 alone
    sparql = [f for f, c in found if c == "SPARQLConstraintComponent"]
    assert len(sparql) == 1200 and sparql.count("http://e/x7") == 2, len(sparql)
    assert {f for f, c in found if c != "SPARQLConstraintComponent"} == {"http://e/x7"}
    assert {c for _, c in found} == {"SPARQLConstraintComponent", "MaxCountConstraintComponent", "DatatypeConstraintComponent",
                                     "PatternConstraintComponent", "ClassConstraintComponent", "InConstraintComponent",
                                     "UniqueLangConstraintComponent", "LanguageInConstraintComponent",
                                     "NodeKindConstraintComponent"}, found


def test_which_queries_have_a_precheck() -> None:
    shapes = list(pyoxigraph.parse(SHAPES.encode(), format=pyoxigraph.RdfFormat.TURTLE))
    (shape,), handed = compiler.compile_shapes(shapes)
    assert not handed
    assert all(q.precheck for q in shape.queries if q.constraint is None)
    sparql = [compiler._sparql_precheck(q.text.replace("{{TARGET}}", "")) for q in shape.queries if q.constraint]
    assert sorted(p is None for p in sparql) == [False, True]  # the second: $this bound by no triple pattern


def test_the_prechecks_keep_no_reference_to_the_data(monkeypatch) -> None:
    """rdflib, which reads a SPARQL constraint for its precheck, leaves reference cycles through its
    callers' frames: the build's working store must still be freed when the build lets it go."""
    import gc
    import weakref

    class Data:  # stands for the store (a pyoxigraph.Store has no weak references)
        def __init__(self, store: pyoxigraph.Store) -> None:
            self.store = store

        def query(self, text: str):
            return self.store.query(text)

    shapes = list(pyoxigraph.parse(SHAPES.encode(), format=pyoxigraph.RdfFormat.TURTLE))
    store = pyoxigraph.Store()
    store.extend(pyoxigraph.parse(_data(1200, True).encode(), format=pyoxigraph.RdfFormat.TURTLE))
    monkeypatch.setattr(compiler, "_sparql_precheck", compiler._sparql_precheck.__wrapped__)  # no cache
    compiled, _ = compiler.compile_shapes(shapes)
    data = Data(store)
    alive = weakref.ref(data)
    gc.disable()
    try:
        assert compiler.run_compiled(compiled, data)[0]
        del data
        assert alive() is None
    finally:
        gc.enable()
