"""``nigraph export``: every format parses back, N-Quads/TriG keep one graph per file, output is
deterministic, checksums match, and writes leave no temporary files."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import needs_rapper
from click.testing import CliRunner

from nigraph.cli import cli
from nigraph.export.dumps import FORMATS, export
from nigraph.core.iri import GRAPH, INFERRED_GRAPH, PREFIXES, graph_for
from nigraph.core.canonical import canonical, to_nquads
from nigraph.core.load import project_files, read_ntriples
from nigraph.core.store import build_store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dump") / "store"
    parts = [(g.value, nt) for g, nt in (read_ntriples(p, ROOT) for p in project_files(ROOT))]
    inferred = ox.Triple(ox.NamedNode("https://w3id.org/nigraph/id/task/1"), ox.NamedNode(PREFIXES["rdf"] + "type"),
                         ox.NamedNode(PREFIXES["nig"] + "Task"))
    parts.append((INFERRED_GRAPH.value, f"{inferred} .\n".encode()))
    nquads = to_nquads(canonical(parts))
    (path.parent / "nigraph.nq").write_bytes(nquads)  # the canonical form, as `nigraph build` leaves it
    build_store(nquads, path)
    return path


def test_every_format_parses_back(store: Path, tmp_path: Path) -> None:
    written = export(store, tmp_path, list(FORMATS))
    assert written == sorted(list(FORMATS.values()) + ["nigraph-context.jsonld", "void.ttl", "SHA256SUMS"])
    parsed = {fmt: list(ox.parse(path=tmp_path / name, format=ox.RdfFormat.from_extension(name.rsplit(".", 1)[1])))
              for fmt, name in FORMATS.items()}
    merged = {len(parsed[f]) for f in ("ttl", "nt", "jsonld", "rdfxml")}
    assert len(merged) == 1  # the asserted graph, the same in the four formats
    asserted = merged.pop()
    assert len(parsed["nq"]) == len(parsed["trig"]) > asserted  # plus shapes and the inferred graph
    assert not list(tmp_path.glob(".*.tmp"))


def test_named_graphs_are_the_source_files(store: Path, tmp_path: Path) -> None:
    export(store, tmp_path, ["nq", "trig"])
    for name in ("nigraph.nq", "nigraph.trig"):
        graphs = {q.graph_name.value for q in ox.parse(path=tmp_path / name, format=ox.RdfFormat.from_extension(name.split(".")[1]))}
        assert graph_for("data/industries.ttl").value in graphs
        assert graph_for("ontology/nigraph.ttl").value in graphs
        assert INFERRED_GRAPH.value in graphs
        assert all(g.startswith(GRAPH) for g in graphs)


def test_deterministic_and_checksummed(store: Path, tmp_path: Path) -> None:
    export(store, tmp_path / "a", list(FORMATS))
    export(store, tmp_path / "b", list(FORMATS))
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    sums = (tmp_path / "a" / "SHA256SUMS").read_text().splitlines()
    assert len(sums) == len(names) - 1
    for line in sums:
        digest, name = line.split("  ")
        assert hashlib.sha256((tmp_path / "a" / name).read_bytes()).hexdigest() == digest
    if shutil.which("sha256sum"):
        assert subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=tmp_path / "a", capture_output=True).returncode == 0


def test_context_and_void(store: Path, tmp_path: Path) -> None:
    export(store, tmp_path, ["nt"])
    context = json.loads((tmp_path / "nigraph-context.jsonld").read_text())
    assert context["@context"]["nig"] == PREFIXES["nig"]
    void = list(ox.parse(path=tmp_path / "void.ttl", format=ox.RdfFormat.TURTLE))
    dumps = {t.object.value for t in void if t.predicate.value == PREFIXES["void"] + "dataDump"}
    assert dumps == {"https://w3id.org/nigraph/dumps/nigraph.nt"}
    triples = next(int(t.object.value) for t in void if t.predicate.value == PREFIXES["void"] + "triples")
    assert triples == len(list(ox.parse(path=tmp_path / "nigraph.nt", format=ox.RdfFormat.N_TRIPLES)))


def test_cli_export_and_missing_store(store: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "--store", str(store), "--out", str(tmp_path), "--format", "trig"])
    assert result.exit_code == 0, result.output
    assert "nigraph.trig" in result.output and (tmp_path / "nigraph.trig").is_file()
    assert not (tmp_path / "nigraph.nq").exists()
    from nigraph.cli import main
    (tmp_path / "store").mkdir()  # a store without the canonical N-Quads the build leaves beside it
    with pytest.raises(SystemExit) as exc:
        main(["export", "--store", str(tmp_path / "store"), "--out", str(tmp_path / "x")])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["export", "--store", str(tmp_path / "nope"), "--out", str(tmp_path)])
    assert exc.value.code == 2


@needs_rapper
@pytest.mark.parametrize(("name", "syntax"), [("nigraph.trig", "trig"), ("nigraph.rdf", "rdfxml"), ("nigraph.nq", "nquads")])
def test_an_independent_parser_reads_the_dumps(store: Path, tmp_path: Path, name: str, syntax: str) -> None:
    export(store, tmp_path, list(FORMATS))
    out = subprocess.run(["rapper", "-i", syntax, "-c", str(tmp_path / name)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_export_rewrites_builds_dumps_byte_for_byte(tmp_path: Path) -> None:
    """`make run` builds then exports into dist/: the export must not change what build wrote
    (it once did: the store keeps "60.0"^^xsd:decimal as "60")."""
    from conftest import PROJECT_ROOT
    from nigraph import build

    out = tmp_path / "dist"
    build(PROJECT_ROOT, out)
    built = {name: (out / name).read_bytes() for name in ("nigraph.ttl", "nigraph.nt", "nigraph.jsonld")}
    export(out / "store", out, ["ttl", "nt", "jsonld"])
    assert {name: (out / name).read_bytes() for name in built} == built
