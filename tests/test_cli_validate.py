"""``nigraph validate`` and the build's refusal to write dist/, through the command line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import needs_java
from click.testing import CliRunner

from nigraph import build
from nigraph.cli import cli

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
NIGRAPH = Path(sys.executable).parent / "nigraph"
BAD_STANDARD = FIXTURES / "shapes" / "standard" / "invalid-implementation-before-issue.ttl"


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    exe = [str(NIGRAPH)] if NIGRAPH.exists() else [sys.executable, "-c", "from nigraph.cli import main; main()"]
    return subprocess.run(exe + list(args), capture_output=True, text=True, cwd=cwd, timeout=300)


def test_help_documents_options_and_exit_status() -> None:
    result = CliRunner().invoke(cli, ["validate", "--help"])
    assert result.exit_code == 0
    for word in ("--format", "--report", "--engine", "--without-data", "Exit status", "file:line:column",
                 "--fail-on", "Warning", "MINUS, VALUES, SERVICE"):
        assert word in result.output


def test_project_data_conforms() -> None:
    result = CliRunner().invoke(cli, ["validate", "--root", str(ROOT)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "conforms: no violations."
    quiet = CliRunner().invoke(cli, ["validate", "-q", "--root", str(ROOT)])
    assert quiet.exit_code == 0 and quiet.output == ""


def test_violations_exit_1_grouped_by_resource() -> None:
    result = CliRunner().invoke(cli, ["validate", "--root", str(ROOT), str(BAD_STANDARD),
                                      str(FIXTURES / "shapes" / "goal" / "invalid-year-outside-period.ttl")])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "nid:goal/fx" and "nid:standard/GB-T_1.1-2020" in lines
    assert "    value: nid:milestone/2040" in lines
    assert lines[-1] == "2 violations on 2 resources; does not conform."


@pytest.mark.parametrize("fmt", ["json", "turtle"])
def test_machine_reports(fmt: str) -> None:
    result = CliRunner().invoke(cli, ["validate", "--root", str(ROOT), "--report", fmt, str(BAD_STANDARD)])
    assert result.exit_code == 1
    if fmt == "json":
        assert json.loads(result.output)["results"][0]["value"] == '"2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date>'
    else:
        assert "sh:ValidationReport" in result.output and "sh:conforms false" in result.output


def test_pyshacl_engine_from_the_command_line() -> None:
    result = CliRunner().invoke(cli, ["validate", "--root", str(ROOT), "--engine", "pyshacl", "--report", "json",
                                      str(BAD_STANDARD)])
    assert result.exit_code == 1
    assert json.loads(result.output)["engine"] == "pyshacl"


def test_format_option_and_jsonld(tmp_path: Path) -> None:
    doc = tmp_path / "standard.data"
    doc.write_text(json.dumps({
        "@id": "https://w3id.org/nigraph/id/org/fx", "@type": "http://www.w3.org/ns/org#Organization",
        "http://www.w3.org/2000/01/rdf-schema#label": [{"@value": "Fixture", "@language": "en"}]}), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--root", str(ROOT), "--format", "jsonld", str(doc)])
    assert result.exit_code == 1
    assert "OrganizationShape-label" in result.output


@pytest.mark.parametrize("make, expected", [
    (lambda d: d / "missing.ttl", "missing.ttl: no such file"),
    (lambda d: d, "is a directory, not an RDF file"),
    (lambda d: (d / "empty.ttl").write_text("") and d / "empty.ttl" or d / "empty.ttl", "empty.ttl: file is empty"),
    (lambda d: (d / "x.csv").write_text("a\n") and d / "x.csv", "x.csv: unknown file extension '.csv'"),
    (lambda d: shutil.copy(FIXTURES / "broken-line-4.ttl", d / "b.ttl") and d / "b.ttl",
     "b.ttl:4:27: The prefix undeclared: has not been declared"),
])
def test_bad_input_is_one_line_exit_2(tmp_path: Path, make, expected: str) -> None:
    path = make(tmp_path)
    run = _run("validate", str(path))
    assert run.returncode == 2, run.stderr
    assert run.stdout == ""
    assert len(run.stderr.strip().splitlines()) == 1 and expected in run.stderr and "Traceback" not in run.stderr


def test_unknown_format_option_is_one_line_exit_2() -> None:
    run = _run("validate", "--format", "xml", str(BAD_STANDARD))
    assert run.returncode == 2
    assert run.stderr.strip() == "error: unknown --format 'xml' (known: ttl, nt, jsonld)"


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for sub in ("ontology", "data", "shapes"):
        shutil.copytree(ROOT / sub, root / sub)
    return root


def test_build_refuses_non_conforming_data_and_leaves_dist_alone(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "dist").mkdir()
    (root / "dist" / "nigraph.ttl").write_text("previous build\n", encoding="utf-8")
    shutil.copy(BAD_STANDARD, root / "data" / "zz-standard.ttl")
    run = _run("build", "--root", str(root))
    assert run.returncode == 1
    assert "StandardShape-implementation-not-before-issue" in run.stderr
    assert "nothing written" in run.stderr and "does not conform" in run.stderr
    assert sorted(p.name for p in (root / "dist").iterdir()) == ["nigraph.ttl"]
    assert (root / "dist" / "nigraph.ttl").read_text(encoding="utf-8") == "previous build\n"


def test_build_summary_says_why_it_refused(tmp_path: Path) -> None:
    root = _project(tmp_path)
    shutil.copy(BAD_STANDARD, root / "data" / "zz.ttl")
    summary = build(root, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert summary.outputs == ()
    assert summary.refused == ("the data does not conform to shapes/ (1 violation)",)
    assert summary.industries == {"emerging": 8, "future": 9}
    assert "none written" in summary.render()


@needs_java
def test_build_refuses_inconsistent_ontology_and_leaves_dist_alone(mini_project: Path, fixtures: Path) -> None:
    out = mini_project / "dist"
    out.mkdir()
    (out / "keep.txt").write_text("x", encoding="utf-8")
    shutil.copy(fixtures / "inconsistent-data.ttl", mini_project / "data" / "both.ttl")
    run = _run("build", "--root", str(mini_project))
    assert run.returncode == 1
    assert "inconsistent" in run.stderr and "nothing written" in run.stderr
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


_SH = "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/t#> .\n"


def _shapes_project(tmp_path: Path, shapes: str, checks: dict[str, str] | None = None) -> Path:
    """A project with the real ontology, no data/, and the given shapes (and checks)."""
    root = tmp_path / "p"
    shutil.copytree(ROOT / "ontology", root / "ontology")
    (root / "shapes" / "checks").mkdir(parents=True)
    (root / "shapes" / "extra.ttl").write_text(_SH + shapes, encoding="utf-8")
    for name, text in (checks or {}).items():
        (root / "shapes" / "checks" / name).write_text(text, encoding="utf-8")
    return root


def test_warnings_only_does_not_conform_but_exits_0_unless_fail_on_warning(tmp_path: Path) -> None:
    root = _shapes_project(tmp_path, "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:nodeKind sh:Literal ; "
                                     "sh:severity sh:Warning .\n")
    data = tmp_path / "d.ttl"
    data.write_text("<http://example.org/t#a> <http://example.org/t#p> 1 .\n", encoding="utf-8")
    default = CliRunner().invoke(cli, ["validate", "--root", str(root), "--without-data", str(data)])
    assert default.exit_code == 0, default.output
    assert default.output.splitlines()[-1] == "1 warning on 1 resource; does not conform."
    assert "[Warning]" in default.output
    strict = CliRunner().invoke(cli, ["validate", "--root", str(root), "--without-data", "--fail-on", "warning",
                                      "--report", "json", str(data)])
    assert strict.exit_code == 1
    doc = json.loads(strict.output)
    assert doc["conforms"] is False and doc["results"][0]["severity"] == "Warning"


def test_verbose_says_which_shapes_went_which_way(tmp_path: Path) -> None:
    root = _shapes_project(tmp_path, "ex:Fast a sh:NodeShape ; sh:targetNode ex:a ; sh:nodeKind sh:IRI .\n"
                                     "ex:Slow a sh:NodeShape ; sh:targetNode ex:a ; sh:closed true .\n")
    run = _run("validate", "-v", "--root", str(root), "--without-data")
    assert run.returncode == 0, run.stderr
    assert "compiled http://example.org/t#Fast" in run.stderr.splitlines()
    assert "pySHACL  http://example.org/t#Slow: uses sh:closed" in run.stderr.splitlines()


@pytest.mark.parametrize("query, word", [
    ("SELECT $this WHERE { $this ?p ?o MINUS { $this ?p 1 } }", "MINUS"),
    ("SELECT $this WHERE { VALUES ?o { 1 } $this ?p ?o }", "VALUES"),
    ("SELECT $this WHERE { BIND(<http://example.org/t#a> AS $this) }", "AS $this"),
])
def test_forbidden_sparql_is_one_line_exit_2(tmp_path: Path, query: str, word: str) -> None:
    root = _shapes_project(tmp_path, f'ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql [ sh:select "{query}" ] .\n')
    for engine in ("fast", "pyshacl"):
        run = _run("validate", "--root", str(root), "--without-data", "--engine", engine)
        assert run.returncode == 2 and run.stdout == ""
        [line] = run.stderr.strip().splitlines()
        assert line.startswith("error: shapes/extra.ttl: ") and word in line and "nothing was run" in line


def test_service_never_reaches_the_network(tmp_path: Path) -> None:
    """A SERVICE in a constraint or in a check is refused before anything runs: the listener sees nobody."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    service = f"SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }}"
    constraint = _shapes_project(tmp_path / "c", "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql [ sh:select "
                                                 f'"SELECT $this WHERE {{ $this ?x ?y . {service} }}" ] .\n')
    check = _shapes_project(tmp_path / "k", "", {"remote-violation.rq": f"# Remote.\nSELECT ?focus WHERE {{ {service} }}\n"})
    try:
        for root, where in ((constraint, "shapes/extra.ttl"), (check, "shapes/checks/remote-violation.rq")):
            for engine in ("fast", "pyshacl"):
                run = _run("validate", "--root", str(root), "--without-data", "--engine", engine)
                assert run.returncode == 2, run.stderr
                assert where in run.stderr and "SERVICE" in run.stderr
        with pytest.raises(socket.timeout):
            listener.accept()
    finally:
        listener.close()
