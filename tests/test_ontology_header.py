"""One ontology header (issue 13, item 2): the import modules carry none, so the merged release
holds only <https://w3id.org/nigraph/def>, and owlready2 names the ontology after it whatever the
order of the triples."""

from __future__ import annotations

from pathlib import Path

import owlready2
import pyoxigraph as ox
import pytest

from nigraph.core.iri import GRAPH, ONTOLOGY, PREFIXES
from nigraph.core.load import load_files, project_files
from nigraph.core.serialize import to_ntriples, to_rdfxml

ROOT = Path(__file__).resolve().parents[1]
OWL_ONTOLOGY = ox.NamedNode(PREFIXES["owl"] + "Ontology")
RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")


def test_import_modules_have_no_header() -> None:
    for path in sorted((ROOT / "ontology" / "imports").glob("*_import.ttl")):
        triples = list(ox.parse(path=path, format=ox.RdfFormat.TURTLE))
        assert triples, path
        assert not [t for t in triples if t.predicate == RDF_TYPE and t.object == OWL_ONTOLOGY], path


@pytest.mark.parametrize(("writer", "name"), [(to_ntriples, "nigraph.nt"), (lambda q: to_rdfxml(q, PREFIXES), "nigraph.rdf")])
def test_the_merged_release_has_one_header_and_owlready2_names_it_def(tmp_path: Path, writer, name: str) -> None:  # noqa: ANN001
    quads = [q for q in load_files(project_files(ROOT), ROOT) if not q.graph_name.value.startswith(GRAPH + "shapes/")]
    headers = {q.subject for q in quads if q.predicate == RDF_TYPE and q.object == OWL_ONTOLOGY}
    assert headers == {ox.NamedNode(ONTOLOGY)}
    (tmp_path / name).write_text(writer(quads), encoding="utf-8")
    world = owlready2.World()
    onto = world.get_ontology((tmp_path / name).as_uri()).load()
    assert onto.base_iri == ONTOLOGY + "/"
