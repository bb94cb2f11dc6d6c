from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

from conftest import needs_rapper, rdflib_term
from nigraph.core.files import atomic_write
from nigraph.core.serialize import to_jsonld, to_ntriples, to_turtle
from nigraph.core.iri import PREFIXES
from nigraph.core.load import load_files

def _rdflib_graph(quads) -> rdflib.Graph:
    g = rdflib.Graph()
    for q in quads:
        g.add((rdflib_term(q.subject), rdflib_term(q.predicate), rdflib_term(q.object)))
    return g


@pytest.fixture
def quads(fixtures: Path) -> list[pyoxigraph.Quad]:
    return load_files([fixtures / "mini-ontology.ttl", fixtures / "mini-data.ttl",
                       fixtures / "tricky-literals.ttl"], fixtures)


WRITERS = {
    "turtle": lambda q: to_turtle(q, PREFIXES),
    "nt": to_ntriples,
    "json-ld": lambda q: to_jsonld(q, PREFIXES),
}


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_byte_identical_whatever_the_order(quads, fmt: str) -> None:
    write = WRITERS[fmt]
    first = write(quads)
    shuffled = list(quads)
    random.Random(7).shuffle(shuffled)
    assert write(shuffled) == first
    assert write(shuffled + shuffled[:5]) == first, "duplicates changed the output"


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_round_trip_with_rdflib(quads, fmt: str) -> None:
    text = WRITERS[fmt](quads)
    parsed = rdflib.Graph().parse(data=text, format=fmt)
    expected = _rdflib_graph(quads)
    assert len(parsed) == len(expected)
    assert isomorphic(parsed, expected)


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_round_trip_with_pyoxigraph(quads, fmt: str) -> None:
    text = WRITERS[fmt](quads)
    oxfmt = {"turtle": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES,
             "json-ld": pyoxigraph.RdfFormat.JSON_LD}[fmt]
    back = {str(pyoxigraph.Triple(q.subject, q.predicate, q.object))
            for q in pyoxigraph.parse(text, format=oxfmt)}
    assert back == {str(pyoxigraph.Triple(q.subject, q.predicate, q.object)) for q in quads}


def test_turtle_layout(quads) -> None:
    text = to_turtle(quads, PREFIXES)
    prefix_lines = [ln for ln in text.splitlines() if ln.startswith("@prefix")]
    assert prefix_lines == sorted(prefix_lines) and len(prefix_lines) == len(PREFIXES)
    assert "nig:EmergingIndustry a owl:Class ;\n    rdfs:label" in text
    assert '"2023-08-22"^^xsd:date' in text
    assert '"新兴产业"@zh' in text and '"新兴产业"@zh-hans' in text
    assert '"she said \\"标准\\""' in text and '"C:\\\\path\\\\to"' in text
    assert '"line one\\nline two\\r\\ttab"' in text
    assert "<https://example.org/x.>" in text  # never a prefixed name ending in a dot
    assert "<https://example.org/dt#weird.>" in text
    assert "<https://w3id.org/nigraph/id/industry/E01> a nig:EmergingIndustry ;" in text
    subjects = [ln.split(" ", 1)[0] for ln in text.split("\n\n")[1:]]
    assert len(subjects) == len(set(subjects))


def test_jsonld_shape(quads) -> None:
    doc = json.loads(to_jsonld(quads, PREFIXES))
    assert doc["@context"] == PREFIXES
    def expand(i: str) -> str:
        prefix, _, local = i.partition(":")
        return PREFIXES[prefix] + local if prefix in PREFIXES else i

    ids = [expand(n["@id"]) for n in doc["@graph"]]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    node = next(n for n in doc["@graph"] if n["@id"] == "https://example.org/s")
    assert {"@value": "2023-08-22", "@type": "xsd:date"} in node["https://example.org/date"]
    assert {"@value": "新兴产业", "@language": "zh"} in node["https://example.org/zh"]


def test_blank_nodes_are_labelled_canonically() -> None:
    def graph(label: str):
        b = pyoxigraph.BlankNode(label)
        return [pyoxigraph.Quad(pyoxigraph.NamedNode("http://e/s"), pyoxigraph.NamedNode("http://e/p"), b),
                pyoxigraph.Quad(b, pyoxigraph.NamedNode("http://e/q"), pyoxigraph.Literal("x"))]

    assert to_turtle(graph("abc"), PREFIXES) == to_turtle(graph("zzz"), PREFIXES)
    assert to_ntriples(graph("abc")) == to_ntriples(graph("zzz"))
    assert "_:c14n0" in to_ntriples(graph("abc"))


@needs_rapper
def test_rapper_parses_written_turtle(quads, tmp_path: Path) -> None:
    path = tmp_path / "out.ttl"
    atomic_write(path, to_turtle(quads, PREFIXES))
    run = subprocess.run(["rapper", "-i", "turtle", "-c", str(path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    expected = len({str(pyoxigraph.Triple(q.subject, q.predicate, q.object)) for q in quads})
    assert f"returned {expected} triples" in run.stderr


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=150, deadline=None)
@given(value=_text, lang=st.sampled_from([None, "zh", "en", "zh-Hans"]))
def test_any_string_literal_round_trips(value: str, lang: str | None) -> None:
    lit = pyoxigraph.Literal(value, language=lang) if lang else pyoxigraph.Literal(value)
    q = [pyoxigraph.Quad(pyoxigraph.NamedNode("https://w3id.org/nigraph/id/task/1"),
                         pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), lit)]
    for text, fmt in ((to_turtle(q, PREFIXES), pyoxigraph.RdfFormat.TURTLE),
                      (to_ntriples(q), pyoxigraph.RdfFormat.N_TRIPLES),
                      (to_jsonld(q, PREFIXES), pyoxigraph.RdfFormat.JSON_LD)):
        (back,) = list(pyoxigraph.parse(text, format=fmt))
        assert back.object == lit
    (triple,) = rdflib.Graph().parse(data=to_turtle(q, PREFIXES), format="turtle")
    assert str(triple[2]) == value


def test_atomic_write_replaces_and_cleans_up(tmp_path: Path) -> None:
    target = tmp_path / "out" / "a.ttl"
    atomic_write(target, "one\n")
    atomic_write(target, b"two\n")
    assert target.read_bytes() == b"two\n"
    assert [p.name for p in target.parent.iterdir()] == ["a.ttl"]
    with pytest.raises(TypeError):
        atomic_write(target, 42)  # type: ignore[arg-type]
    assert target.read_bytes() == b"two\n"
    assert [p.name for p in target.parent.iterdir()] == ["a.ttl"]
