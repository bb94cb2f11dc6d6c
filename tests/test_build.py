from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import needs_java
import rdflib

from nigraph import build
from nigraph.core.errors import InputError
from nigraph.core.store import open_store



def test_build_writes_every_output(mini_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    summary = build(mini_project, out)
    names = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert names == ["nigraph-cube.ttl", "nigraph-inferred.ttl", "nigraph.jsonld", "nigraph.nq", "nigraph.nt", "nigraph.ttl", "store"]
    assert summary.industries == {"emerging": 1, "future": 1}
    assert (summary.main_tasks, summary.sub_tasks, summary.goals, summary.targets) == (1, 1, 0, 0)
    assert summary.classes == 10
    assert summary.provenance == (2, 4)
    assert summary.provenance_text == "2/4 (50.0%)"
    assert summary.triples_inferred > 0
    g = rdflib.Graph().parse(out / "nigraph.ttl", format="turtle")
    assert len(g) == summary.triples_asserted
    nt = rdflib.Graph().parse(out / "nigraph.nt", format="nt")
    assert len(nt) == summary.triples_asserted


def test_version_header_from_package_metadata(mini_project: Path, tmp_path: Path) -> None:
    import importlib.metadata

    version = importlib.metadata.version("nigraph")
    summary = build(mini_project, tmp_path / "out")
    text = (tmp_path / "out" / "nigraph.ttl").read_text(encoding="utf-8")
    assert f'owl:versionInfo "{version}"' in text
    assert f"owl:versionIRI <https://w3id.org/nigraph/releases/{version}/nigraph.ttl>" in text
    assert summary.version == version
    assert not summary.warnings or all("java" in w for w in summary.warnings)


def test_store_has_file_graphs_and_inferred_graph(mini_project: Path, tmp_path: Path) -> None:
    build(mini_project, tmp_path / "out")
    store = open_store(tmp_path / "out" / "store")
    graphs = sorted(g.value for g in store.named_graphs())
    del store
    base = "https://w3id.org/nigraph/graph/"
    assert graphs == [base + "cube", base + "data/industries.ttl", base + "inferred",
                      base + "ontology/imports/prov_import.ttl", base + "ontology/nigraph.ttl"]


def test_store_holds_the_quads_of_nigraph_nq_with_their_blank_node_labels(mini_project: Path, tmp_path: Path) -> None:
    """The store is bulk-loaded natively except for the lines with a blank node (the bulk loader
    renames them; an incremental build edits graphs by their canonical labels)."""
    import pyoxigraph

    from conftest import PROJECT_ROOT

    (mini_project / "shapes").mkdir()  # SHACL lists: sh:languageIn ( "en" "zh" ), sh:in ( ... )
    shutil.copy(PROJECT_ROOT / "shapes" / "adoption-degree.ttl", mini_project / "shapes" / "adoption-degree.ttl")
    (mini_project / "data" / "blank.ttl").write_text(
        "<https://w3id.org/nigraph/id/industry/E01> <https://example.org/tags> ( \"a\" \"b\" ) ;\n"
        "  <https://example.org/note> [ <https://example.org/text> \"not a label: _:b0\" ] .\n", encoding="utf-8")
    build(mini_project, tmp_path / "out")
    nq = (tmp_path / "out" / "nigraph.nq").read_bytes()
    # the quads of nigraph.nq as any pyoxigraph store keeps them (typed literals by value), labels included
    expected = pyoxigraph.Store()
    expected.extend(pyoxigraph.parse(nq, format=pyoxigraph.RdfFormat.N_QUADS))
    store = open_store(tmp_path / "out" / "store")
    found = set(store)
    del store
    assert found == set(expected)
    labels = {t.value for q in found for t in (q.subject, q.object) if isinstance(t, pyoxigraph.BlankNode)}
    assert len(labels) >= 6 and all(f"_:{label} ".encode() in nq for label in labels)


def test_two_builds_are_byte_identical(mini_project: Path, tmp_path: Path) -> None:
    build(mini_project, tmp_path / "a")
    build(mini_project, tmp_path / "b")
    for name in ("nigraph.ttl", "nigraph.nt", "nigraph.jsonld", "nigraph-inferred.ttl", "nigraph-cube.ttl"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_default_out_is_dist(mini_project: Path) -> None:
    build(mini_project)
    assert (mini_project / "dist" / "nigraph.ttl").is_file()


def test_failed_build_keeps_previous_outputs(mini_project: Path, fixtures: Path) -> None:
    build(mini_project)
    before = (mini_project / "dist" / "nigraph.ttl").read_bytes()
    shutil.copy(fixtures / "broken-line-4.ttl", mini_project / "data" / "zz-broken.ttl")
    with pytest.raises(InputError) as info:
        build(mini_project)
    assert str(info.value).startswith("data/zz-broken.ttl:4:27:")
    assert (mini_project / "dist" / "nigraph.ttl").read_bytes() == before
    assert len(open_store(mini_project / "dist" / "store")) > 0


@needs_java
def test_inconsistent_project(mini_project: Path, fixtures: Path, tmp_path: Path) -> None:
    shutil.copy(fixtures / "inconsistent-data.ttl", mini_project / "data" / "both.ttl")
    summary = build(mini_project, tmp_path / "out")
    assert summary.consistency.status == "inconsistent"
    assert "inconsistent" in summary.render()


def test_shapes_go_to_the_store_not_the_dumps(mini_project: Path, tmp_path: Path) -> None:
    (mini_project / "shapes").mkdir()
    (mini_project / "shapes" / "goal.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<https://w3id.org/nigraph/shapes/GoalShape> a sh:NodeShape ;\n"
        "    sh:targetClass <https://w3id.org/nigraph/def/Goal> .\n", encoding="utf-8")
    build(mini_project, tmp_path / "out")
    assert "GoalShape" not in (tmp_path / "out" / "nigraph.ttl").read_text(encoding="utf-8")
    store = open_store(tmp_path / "out" / "store")
    assert any(g.value.endswith("/shapes/goal.ttl") for g in store.named_graphs())
    del store


def test_render_is_aligned(mini_project: Path, tmp_path: Path) -> None:
    lines = build(mini_project, tmp_path / "out").render().splitlines()
    assert lines[0].startswith("version")
    columns = {len(ln) - len(ln.split("  ", 1)[1].lstrip()) for ln in lines if "  " in ln}
    assert len(columns) == 1, lines
    assert any(ln.startswith("provenance") and "2/4 (50.0%)" in ln for ln in lines)


def test_verbose_build_names_each_stage_its_size_and_time(mini_project: Path, tmp_path: Path) -> None:
    import re
    import subprocess
    import sys

    (mini_project / "data" / "README.md").write_text("what the data files are\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", "from nigraph.cli import main; main()", "build", "-v", "-q",
                           "--root", str(mini_project), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    stages = re.findall(r"nigraph\.build: (\w+) .* ([0-9.]+) s$", proc.stderr, re.M)
    assert [name for name, _ in stages] == ["parse", "canonical", "load", "cube", "materialize", "validate", "consistency",
                                            "write", "store"], proc.stderr
    assert "skipped      data/README.md (documentation)" in proc.stderr
    assert re.search(r"load +\d+ asserted triples", proc.stderr)


def test_a_catalogue_in_ntriples_is_built_not_ignored(mini_project: Path, tmp_path: Path) -> None:
    """Issue 18: data/cat.nt was skipped in silence (build read only *.ttl)."""
    before = build(mini_project, tmp_path / "a").triples_asserted
    (mini_project / "data" / "cat.nt").write_text(
        "<https://w3id.org/nigraph/id/task/9> <http://www.w3.org/2000/01/rdf-schema#label> \"task 9\"@en .\n",
        encoding="utf-8")
    after = build(mini_project, tmp_path / "b")
    assert after.triples_asserted == before + 1 and "data/cat.nt" in after.files
    (mini_project / "data" / "cat.xlsx").write_bytes(b"PK")
    with pytest.raises(InputError, match="data/cat.xlsx: not an RDF file"):
        build(mini_project, tmp_path / "c")


def test_build_and_export_write_the_same_bytes(mini_project: Path, tmp_path: Path) -> None:
    from nigraph.export.dumps import export

    build(mini_project, tmp_path / "out")
    export(tmp_path / "out" / "store", tmp_path / "exp", ["nq", "nt", "ttl", "jsonld"])
    for name in ("nigraph.nq", "nigraph.nt", "nigraph.ttl", "nigraph.jsonld"):
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "exp" / name).read_bytes(), name
