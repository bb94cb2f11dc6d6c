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
    for word in ("--format", "--report", "--engine", "--without-data", "Exit status", "file:line:column"):
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
