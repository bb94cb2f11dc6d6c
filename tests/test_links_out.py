"""Links out (data/links-out.ttl): every match of an ICS class to an outside IRI rests on the passages
that show that IRI with the same notation, and nothing else is matched (issue 14, item 5)."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph
import pytest

from nigraph.core.load import load_files, project_files

ROOT = Path(__file__).resolve().parent.parent
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
MATCHES = (SKOS + "exactMatch", SKOS + "closeMatch", SKOS + "relatedMatch", "http://www.w3.org/2002/07/owl#sameAs")
NID = "https://w3id.org/nigraph/id/"


@pytest.fixture(scope="module")
def graph() -> pyoxigraph.Store:
    s = pyoxigraph.Store()
    s.extend(load_files(project_files(ROOT), ROOT))
    return s


def _links(store: pyoxigraph.Store) -> list[tuple[str, str, str]]:
    """(subject, property, object) of every match of an ICS class to an IRI outside nigraph's namespace."""
    return sorted({(q.subject.value, q.predicate.value, q.object.value) for p in MATCHES
                   for q in store.quads_for_pattern(None, pyoxigraph.NamedNode(p), None)
                   if isinstance(q.object, pyoxigraph.NamedNode) and not q.object.value.startswith(NID)
                   and q.subject.value.startswith(NID + "ics/")})


def _one(store: pyoxigraph.Store, s: str, p: str) -> list[str]:
    return [q.object.value for q in store.quads_for_pattern(pyoxigraph.NamedNode(s), pyoxigraph.NamedNode(p), None)]


def test_every_link_out_is_shown_by_a_cited_passage(graph) -> None:
    links = _links(graph)
    assert len(links) == 18  # the 18 ICS classes data/ics.ttl had when the links were checked
    for s, p, o in links:
        assert o.startswith("https://data.nen.nl/ics/"), (s, o)
        notation = _one(graph, s, SKOS + "notation")
        assert notation == [o.rsplit("/", 1)[1]], (s, o)  # the same class: the IRI's notation is ours
        texts = [v for d in _one(graph, s, PROV + "wasDerivedFrom") for v in _one(graph, d, PROV + "value")]
        assert "@prefix ics: <https://data.nen.nl/ics/> ." in texts  # the page shows the IRI's namespace ...
        assert f"ics:{notation[0]} a skos:Concept,\n        ics:Class ;" in texts  # ... the class's IRI ...
        assert any(re.match(r'skos:notation "' + re.escape(notation[0]) + r'" ;\n', t) for t in texts)  # ... and notation


def test_close_where_the_editions_titles_differ(graph) -> None:
    close = [s.rsplit("/", 1)[1] for s, p, _ in _links(graph) if p == SKOS + "closeMatch"]
    assert close == ["27.180", "35.040"]
