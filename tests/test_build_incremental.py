"""Incremental builds (nigraph.build.incremental): a rebuild after a change parses only the changed
files, replaces only their graphs in the store, says so, and writes the same bytes as a clean build."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyoxigraph
import pytest

from nigraph import build
from nigraph.build.incremental import STATE_FILE, previous_graphs
from nigraph.core.canonical import read_nquads
from nigraph.core.store import open_store

NIG = "https://w3id.org/nigraph/def/"
NID = "https://w3id.org/nigraph/id/"


def outputs(out: Path) -> dict[str, object]:
    """Every file of a build (bytes) and the store's quads (sorted text)."""
    found: dict[str, object] = {p.name: p.read_bytes() for p in out.iterdir()
                                if p.is_file() and not p.name.startswith(".")}
    store = open_store(out / "store")
    found["store"] = sorted(str(q) for q in store)
    del store
    return found


def clean(root: Path, tmp_path: Path) -> dict[str, object]:
    out = tmp_path / "clean"
    shutil.rmtree(out, ignore_errors=True)
    build(root, out)
    return outputs(out)


def append(path: Path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(text)


def test_a_changed_data_file_is_rebuilt_alone_with_the_bytes_of_a_clean_build(mini_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build(mini_project, out)
    assert first.plan.startswith("full build: no record of a previous build")
    append(mini_project / "data" / "goals.ttl",
           f"<{NID}goal/g1> a <{NIG}Goal> ; <http://www.w3.org/2000/01/rdf-schema#label> \"goal\"@en .\n")
    again = build(mini_project, out)
    assert again.plan.startswith("incremental: 1 of 4 files changed: data/goals.ttl;"), again.plan
    assert again.stage_seconds and "goal" in (out / "nigraph.nt").read_text(encoding="utf-8")
    append(mini_project / "data" / "industries.ttl",
           f"<{NID}industry/E01> <http://www.w3.org/2000/01/rdf-schema#comment> \"changed\"@en .\n")
    third = build(mini_project, out)
    assert third.plan.startswith("incremental: 1 of 4 files changed: data/industries.ttl;"), third.plan
    assert outputs(out) == clean(mini_project, tmp_path)


def test_nothing_changed_and_a_removed_file(mini_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (mini_project / "data" / "extra.ttl").write_text(
        f"<{NID}industry/F01> <{NIG}issued> \"2024-01-01\"^^<http://www.w3.org/2001/XMLSchema#date> .\n", encoding="utf-8")
    build(mini_project, out)
    assert build(mini_project, out).plan.startswith("incremental: 0 of 4 files changed;")
    (mini_project / "data" / "extra.ttl").unlink()
    summary = build(mini_project, out)
    assert summary.plan.startswith("incremental: 1 of 3 files changed: data/extra.ttl (removed);"), summary.plan
    assert outputs(out) == clean(mini_project, tmp_path)


def test_a_changed_ontology_or_shapes_file_redoes_what_depends_on_it(mini_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(mini_project, out)
    before = (out / "nigraph-inferred.ttl").read_bytes()
    # a new superclass: the inferred graph changes
    append(mini_project / "ontology" / "nigraph.ttl",
           f"<{NIG}Industry> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <{NIG}Thing> .\n")
    summary = build(mini_project, out)
    assert summary.plan.startswith("incremental: 1 of 3 files changed: ontology/nigraph.ttl;"), summary.plan
    assert (out / "nigraph-inferred.ttl").read_bytes() != before
    assert b"nig:Thing" in (out / "nigraph-inferred.ttl").read_bytes()
    assert outputs(out) == clean(mini_project, tmp_path)
    # a shape that the data violates: refused, nothing written, the record kept
    (mini_project / "shapes").mkdir()
    (mini_project / "shapes" / "task.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        f"<{NID}shape/T> a sh:NodeShape ; sh:targetClass <{NIG}MainTask> ; sh:property <{NID}shape/T-issued> .\n"
        f"<{NID}shape/T-issued> sh:path <{NIG}issued> ; sh:maxCount 0 .\n", encoding="utf-8")
    kept = outputs(out)
    refused = build(mini_project, out)
    assert refused.refused and refused.plan.startswith("incremental: 1 of 4 files changed: shapes/task.ttl;")
    assert outputs(out) == kept
    (mini_project / "shapes" / "task.ttl").write_text(
        (mini_project / "shapes" / "task.ttl").read_text(encoding="utf-8").replace("maxCount 0", "maxCount 1"),
        encoding="utf-8")
    fixed = build(mini_project, out)
    assert not fixed.refused and fixed.plan.startswith("incremental: 1 of 4 files changed: shapes/task.ttl;")
    assert outputs(out) == clean(mini_project, tmp_path)
    store = open_store(out / "store")
    assert any(g.value.endswith("/shapes/task.ttl") for g in store.named_graphs())
    del store


def test_literals_kept_by_value_in_the_store_survive_a_removed_line(mini_project: Path, tmp_path: Path) -> None:
    """"1" and "01" are one integer in the store: removing the line with "1" must keep the value."""
    out = tmp_path / "out"
    data = mini_project / "data" / "numbers.ttl"
    xsd = "http://www.w3.org/2001/XMLSchema#"
    data.write_text(f'<{NID}x> <{NIG}n> "1"^^<{xsd}integer>, "01"^^<{xsd}integer> .\n', encoding="utf-8")
    build(mini_project, out)
    data.write_text(f'<{NID}x> <{NIG}n> "01"^^<{xsd}integer> .\n', encoding="utf-8")
    summary = build(mini_project, out)
    assert summary.plan.startswith("incremental: 1 of 4 files changed: data/numbers.ttl;")
    store = open_store(out / "store")
    assert len(list(store.quads_for_pattern(pyoxigraph.NamedNode(f"{NID}x"), pyoxigraph.NamedNode(f"{NIG}n"),
                                            None, None))) == 1
    del store
    assert outputs(out) == clean(mini_project, tmp_path)


def test_full_builds_are_said_and_why(mini_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(mini_project, out)
    # a blank node in a changed file: every graph is canonicalised again, in a full build
    (mini_project / "data" / "blank.ttl").write_text(
        f"<{NID}industry/E01> <{NIG}note> [ <http://www.w3.org/2000/01/rdf-schema#label> \"b\" ] .\n", encoding="utf-8")
    summary = build(mini_project, out)
    assert summary.plan == "full build: a changed file has blank nodes (their labels are canonicalised over all graphs)"
    assert outputs(out) == clean(mini_project, tmp_path)
    # and once more when the file that had one changes
    append(mini_project / "data" / "blank.ttl", f"<{NID}industry/E01> <{NIG}note> \"c\" .\n")
    summary = build(mini_project, out)
    assert summary.plan.startswith("full build: a changed file had blank nodes"), summary.plan
    assert outputs(out) == clean(mini_project, tmp_path)
    # an output touched since: a full build
    os.utime(out / "nigraph.nq", ns=(0, 0))
    assert build(mini_project, out).plan == "full build: nigraph.nq changed since the previous build"
    # a record that does not parse: a full build
    (out / STATE_FILE).write_text("{", encoding="utf-8")
    assert build(mini_project, out).plan.startswith("full build: no record of a previous build")
    assert build(mini_project, out).plan.startswith("incremental: 0 of")


def test_graphs_are_read_back_from_the_canonical_nquads(mini_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(mini_project, out)
    graphs = read_nquads((out / "nigraph.nq").read_bytes())
    names = list(graphs) + ["https://w3id.org/nigraph/graph/data/absent.ttl", "https://w3id.org/nigraph/graph/"]
    back = previous_graphs(out / "nigraph.nq", names)
    assert {g: back[g] for g in graphs} == graphs
    assert back["https://w3id.org/nigraph/graph/data/absent.ttl"] == []
    assert back["https://w3id.org/nigraph/graph/"] == []
    assert len(graphs) >= 5


@pytest.mark.parametrize("quiet", [False, True])
def test_the_command_says_which_build_it_did(mini_project: Path, tmp_path: Path, quiet: bool) -> None:
    import subprocess
    import sys

    argv = [sys.executable, "-c", "from nigraph.cli import main; main()", "build", "--root", str(mini_project),
            "--out", str(tmp_path / "out")] + (["-q"] if quiet else [])
    subprocess.run(argv, capture_output=True, text=True, timeout=300, check=True)
    append(mini_project / "data" / "industries.ttl", f"<{NID}industry/E01> <{NIG}note> \"n\" .\n")
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=300, check=True)
    said = "incremental: 1 of 3 files changed: data/industries.ttl;" in proc.stderr
    assert said != quiet, proc.stderr
