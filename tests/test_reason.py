from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from conftest import needs_java

from nigraph.reason import owl as reason
from nigraph.core.iri import INFERRED_GRAPH
from nigraph.core.load import load_files

NIG = "https://w3id.org/nigraph/def/"
NID = "https://w3id.org/nigraph/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"



def _load(fixtures: Path, *names: str) -> list[pyoxigraph.Quad]:
    return load_files([fixtures / n for n in names], fixtures)


@needs_java
def test_consistent_fixture(fixtures: Path, capfd: pytest.CaptureFixture[str]) -> None:
    result = reason.check_consistency(_load(fixtures, "mini-ontology.ttl", "mini-data.ttl"))
    assert result.status == "consistent", result.detail
    out, err = capfd.readouterr()
    assert "java" not in (out + err).lower() and "hermit" not in (out + err).lower()


@needs_java
def test_disjoint_classes_are_inconsistent(fixtures: Path, capfd: pytest.CaptureFixture[str]) -> None:
    result = reason.check_consistency(_load(fixtures, "mini-ontology.ttl", "inconsistent-data.ttl"))
    assert result.status == "inconsistent"
    assert "disjoint" in result.detail
    out, err = capfd.readouterr()
    assert "-Xmx" not in out + err and "org.semanticweb" not in out + err


def test_no_java_means_skipped(fixtures: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    result = reason.check_consistency(_load(fixtures, "mini-ontology.ttl"))
    assert result.status == "skipped"
    assert "java" in result.detail


def test_non_owl2_datatypes_become_strings() -> None:
    xsd = "http://www.w3.org/2001/XMLSchema#"
    s, p = pyoxigraph.NamedNode("http://e/s"), pyoxigraph.NamedNode("http://e/p")
    lits = [pyoxigraph.Literal("2025", datatype=pyoxigraph.NamedNode(xsd + "gYear")),
            pyoxigraph.Literal("2025-01", datatype=pyoxigraph.NamedNode(xsd + "gYearMonth")),
            pyoxigraph.Literal("3", datatype=pyoxigraph.NamedNode(xsd + "integer")),
            pyoxigraph.Literal("标准", language="zh")]
    out = reason.hermit_triples([pyoxigraph.Quad(s, p, o) for o in lits])
    by_value = {t.object.value: t.object for t in out}
    assert by_value["2025"].datatype.value == xsd + "string"
    assert by_value["2025-01"].datatype.value == xsd + "string"
    assert by_value["3"].datatype.value == xsd + "integer"
    assert by_value["标准"].language == "zh"
    assert xsd + "date" not in reason.OWL2_DATATYPES and xsd + "dateTime" in reason.OWL2_DATATYPES


def test_materialize_subclass_inverse_domain_range(fixtures: Path) -> None:
    quads = _load(fixtures, "mini-ontology.ttl", "mini-data.ttl")
    before = [str(q) for q in quads]
    inferred = reason.materialize(quads)
    assert [str(q) for q in quads] == before, "input was mutated"
    got = {(q.subject.value, q.predicate.value, q.object.value) for q in inferred}
    assert (NID + "industry/E01", RDF_TYPE, NIG + "Industry") in got            # subClassOf
    assert (NID + "task/1.1", NIG + "subTaskOf", NID + "task/1") in got         # inverseOf
    assert (NID + "task/1.1", RDF_TYPE, NIG + "SubTask") in got                 # range
    assert (NID + "task/1.1", RDF_TYPE, NIG + "Task") in got                    # range, then subClassOf
    assert all(q.graph_name == INFERRED_GRAPH for q in inferred)
    asserted = {(q.subject.value, q.predicate.value, q.object.value) for q in quads}
    assert not got & asserted, "materialize returned asserted triples"
    assert [str(q) for q in inferred] == [str(q) for q in reason.materialize(list(reversed(quads)))]


def test_materialize_inverse_other_direction_and_subproperty() -> None:
    N = pyoxigraph.NamedNode
    owl, rdfs = "http://www.w3.org/2002/07/owl#", "http://www.w3.org/2000/01/rdf-schema#"
    quads = [pyoxigraph.Quad(N(NIG + "hasPart"), N(owl + "inverseOf"), N(NIG + "partOf")),
             pyoxigraph.Quad(N(NID + "task/1.2"), N(NIG + "partOf"), N(NID + "task/1")),
             pyoxigraph.Quad(N(NIG + "leads"), N(rdfs + "subPropertyOf"), N(NIG + "involves")),
             pyoxigraph.Quad(N(NID + "org/SAC"), N(NIG + "leads"), N(NID + "task/1"))]
    got = {(q.subject.value, q.predicate.value, q.object.value) for q in reason.materialize(quads)}
    assert got == {(NID + "task/1", NIG + "hasPart", NID + "task/1.2"),
                   (NID + "org/SAC", NIG + "involves", NID + "task/1")}


def test_materialize_lines_gives_what_the_sparql_rules_give() -> None:
    """The build's line-based materialization and the SPARQL rules agree on the whole project."""
    from conftest import PROJECT_ROOT

    from nigraph.core.load import project_files
    from nigraph.reason.materialize import materialize_lines
    from nigraph.reason.tbox import read_tbox

    files = [p for p in project_files(PROJECT_ROOT) if p.relative_to(PROJECT_ROOT).parts[0] != "shapes"]
    quads = load_files(files, PROJECT_ROOT)
    lines = sorted({f"{q.subject} {q.predicate} {q.object} .\n".encode() for q in quads})
    store = pyoxigraph.Store()
    store.load(b"".join(lines), format=pyoxigraph.RdfFormat.N_TRIPLES)
    got = materialize_lines(lines, read_tbox(store))
    want = sorted(f"{q.subject} {q.predicate} {q.object} .\n".encode() for q in reason.materialize(quads))
    assert len(got) > 400 and got == want


def test_materialize_lines_keeps_literals_as_written() -> None:
    from nigraph.reason.materialize import materialize_lines
    from nigraph.reason.tbox import read_tbox

    nt = (b"<https://e.org/p> <http://www.w3.org/2000/01/rdf-schema#subPropertyOf> <https://e.org/q> .\n"
          b'<https://e.org/s> <https://e.org/p> "01"^^<http://www.w3.org/2001/XMLSchema#int> .\n')
    store = pyoxigraph.Store()
    store.load(nt, format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert materialize_lines(nt.splitlines(keepends=True), read_tbox(store)) == [
        b'<https://e.org/s> <https://e.org/q> "01"^^<http://www.w3.org/2001/XMLSchema#int> .\n']
