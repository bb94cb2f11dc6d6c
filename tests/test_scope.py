"""What HermiT sees (nigraph.reason.scope): catalogue individuals are left out unless a check
generated from the axioms picks them, and an inconsistency planted in catalogue data still fails
the build (issue 18)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import PROJECT_ROOT, needs_java

from nigraph import build
from nigraph.core.canonical import canonical
from nigraph.core.iri import INFERRED_GRAPH
from nigraph.reason.materialize import materialize_lines
from nigraph.reason.scope import hermit_scope
from nigraph.reason.tbox import read_tbox

NIG = "https://w3id.org/nigraph/def/"
NID = "https://w3id.org/nigraph/id/"
ONTOLOGY = """
@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix nig: <https://w3id.org/nigraph/def/> .
nig:Standard a owl:Class . nig:Industry a owl:Class . nig:Task a owl:Class ; owl:disjointWith nig:Industry .
nig:servesIndustry a owl:ObjectProperty ; rdfs:domain nig:Standard ; rdfs:range nig:Industry .
nig:standardNumber a owl:DatatypeProperty, owl:FunctionalProperty ; rdfs:range xsd:string .
"""


def _scope(data: str):
    g = "https://w3id.org/nigraph/graph/"
    onto = ox.serialize(ox.parse(ONTOLOGY.encode(), format=ox.RdfFormat.TURTLE), format=ox.RdfFormat.N_TRIPLES)
    parts = [(g + "ontology/nigraph.ttl", onto),
             (g + "data/cat.ttl", ox.serialize(ox.parse(("@prefix nig: <%s> . @prefix std: <%sstandard/> . @prefix ind: <%sindustry/> . @prefix tsk: <%stask/> .\n"
                                                        % (NIG, NID, NID, NID) + data).encode(),
                                                        format=ox.RdfFormat.TURTLE), format=ox.RdfFormat.N_TRIPLES))]
    graphs = canonical(parts)
    store = ox.Store()
    for lines in graphs.values():
        store.load(b"".join(lines), format=ox.RdfFormat.N_TRIPLES)
    tbox = read_tbox(store)
    graphs[INFERRED_GRAPH.value] = materialize_lines(b"".join(graphs[g + "data/cat.ttl"]).splitlines(keepends=True), tbox)
    tbox_triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(onto, format=ox.RdfFormat.N_TRIPLES)]
    return hermit_scope(graphs, tbox_triples, tbox)


CLEAN = "".join(f'std:S{i} a nig:Standard ; nig:standardNumber "S {i}" ; nig:servesIndustry ind:E01 .\n'
                for i in range(5)) + "ind:E01 a nig:Industry .\n"


def test_clean_standards_are_left_out_but_their_links_are_kept() -> None:
    scope = _scope(CLEAN)
    assert (scope.left_out, scope.chosen) == (5, 0)
    links = [t for t in scope.triples if f" <{NIG}servesIndustry> " in t]
    assert links == [f"<{NID}standard/S0> <{NIG}servesIndustry> <{NID}industry/E01> ."]  # one subject links for all
    assert not any('"S 3"' in t for t in scope.triples)


@pytest.mark.parametrize(("planted", "why"), [
    ('std:S3 nig:standardNumber "other" .', "two values of a functional property"),
    ('std:S3 nig:standardNumber "S 3"@en .', "a literal not of the declared datatype"),
    ('std:S3 nig:servesIndustry tsk:1 . tsk:1 a nig:Task .', "a plan individual typed into a disjoint class"),
    ("std:S3 a nig:Task, nig:Industry .", "a standard in two disjoint classes"),
    ('std:S3 nig:standardNumber "x"^^<http://www.w3.org/2001/XMLSchema#integer> .', "an ill-typed number"),
    ("std:S3 <http://www.w3.org/2002/07/owl#sameAs> std:S4 .", "the OWL vocabulary"),
])
def test_a_standard_that_can_matter_goes_to_hermit(planted: str, why: str) -> None:
    scope = _scope(CLEAN + planted + "\n")
    text = "\n".join(scope.triples)
    if "tsk:1 a" in planted and "S3 nig:servesIndustry" in planted:
        assert f"<{NID}task/1> <{NIG}servesIndustry>" not in text
        assert f"<{NIG}servesIndustry> <{NID}task/1>" in text, why  # the link that types task/1
    else:
        assert scope.chosen >= 1, why
        assert f"<{NID}standard/S3> <{NIG}standardNumber>" in text, why


def test_cube_observations_are_left_out_unless_they_can_matter() -> None:
    """The cube's observations are catalogue-scale too (qb:Observation is in CATALOGUE_CLASSES):
    left out, their links kept once, unless a check picks them."""
    qb = "http://purl.org/linked-data/cube#"
    obs = "".join(f"<{NID}cube/c.{i}> a <{qb}Observation> ; nig:refIndustry ind:E01 .\n" for i in range(3))
    scope = _scope(CLEAN + obs)
    assert (scope.left_out, scope.chosen) == (8, 0)
    assert scope.summary().endswith("5 standards and 3 cube observations by query, 0 chosen")
    assert not any(f"<{NID}cube/c.2>" in t for t in scope.triples)
    scope = _scope(CLEAN + obs + f'<{NID}cube/c.2> nig:standardNumber "S"@en .\n')
    assert (scope.left_out, scope.chosen) == (7, 1)
    assert f'<{NID}cube/c.2> <{NIG}standardNumber> "S"@en .' in scope.triples


def test_an_axiom_the_scope_does_not_know_sends_everything() -> None:
    global ONTOLOGY
    saved = ONTOLOGY
    ONTOLOGY += "nig:adopts a owl:ObjectProperty, owl:TransitiveProperty .\n"
    try:
        assert _scope(CLEAN) is None
    finally:
        ONTOLOGY = saved


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for sub in ("ontology", "data", "shapes"):
        shutil.copytree(PROJECT_ROOT / sub, root / sub)
    return root


@needs_java
def test_the_project_is_consistent_with_its_standards_left_to_the_check(tmp_path: Path) -> None:
    summary = build(_project(tmp_path), tmp_path / "out")
    assert summary.consistency.status == "consistent" and not summary.refused
    assert "0 chosen" in summary.hermit_input and " 0 standards" not in summary.hermit_input


@needs_java
def test_an_inconsistency_planted_in_catalogue_data_fails_the_build(tmp_path: Path) -> None:
    """SHACL lets this through (the pattern of an ICS code holds), OWL does not: nig:icsCode has
    rdfs:range xsd:string, and a language-tagged string is not an xsd:string."""
    root = _project(tmp_path)
    (root / "data" / "zz-planted.nt").write_text(
        f'<{NID}standard/GB-T_12643-2013> <{NIG}icsCode> "25.040.30"@en .\n', encoding="utf-8")
    summary = build(root, tmp_path / "out")
    assert summary.validation is not None and summary.validation.conforms
    assert summary.consistency.status == "inconsistent", summary.hermit_input
    assert "1 chosen" in summary.hermit_input
    assert summary.refused and not (tmp_path / "out").exists()
