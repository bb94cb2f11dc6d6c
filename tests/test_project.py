"""Which sources a command reads and where it writes by default (nigraph.core.project, ``--root``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import PROJECT_ROOT
from nigraph.cli import cli, main
from nigraph.core.project import find_project, packaged_root, resolve


def test_resolve_prefers_root_then_the_project_around_then_the_packaged_copy(tmp_path: Path, mini_project: Path) -> None:
    assert resolve(mini_project).root == mini_project and not resolve(mini_project).packaged
    inside = resolve(None, cwd=mini_project / "data")
    assert inside.root == mini_project and inside.dist == mini_project / "dist" and not inside.packaged
    assert resolve(None, cwd=mini_project).root == Path(".")  # relative, as the messages always were
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    fallback = resolve(None, cwd=elsewhere)
    assert fallback.packaged and fallback.root == packaged_root() and fallback.dist == elsewhere / "dist"
    assert find_project(elsewhere) is None


def test_packaged_copy_is_a_whole_project() -> None:
    root = packaged_root()
    assert root is not None
    for name in ("ontology/nigraph.ttl", "shapes/industry.ttl", "queries/main-tasks.rq", "data/industries.ttl"):
        assert (root / name).is_file(), name


def test_outside_a_project_commands_use_the_packaged_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    listed = CliRunner().invoke(cli, ["query", "--list"])
    assert listed.exit_code == 0 and "main-tasks" in listed.output and "packaged" in listed.output
    tasks = CliRunner().invoke(cli, ["query", "-q", "main-tasks", "--format", "csv"])
    assert tasks.exit_code == 0 and "https://w3id.org/nigraph/id/task/1," in tasks.output
    assert list(tmp_path.iterdir()) == []  # read only: no dist/ appears here


def test_project_files_win_over_the_packaged_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "mine"
    for sub in ("ontology", "data"):
        shutil.copytree(PROJECT_ROOT / sub, root / sub)
    (root / "queries").mkdir()
    (root / "queries" / "only-mine.rq").write_text(
        "#+ summary: Mine\n#+ summary_zh: 我的\n#+ description: d\n#+ description_zh: 描述\n#+ tags: [t]\n"
        "SELECT ?x WHERE { VALUES ?x { 1 } } ORDER BY ?x\n", encoding="utf-8")
    monkeypatch.chdir(root / "data")  # inside the project, one folder down
    listed = CliRunner().invoke(cli, ["query", "--list"])
    assert listed.exit_code == 0 and listed.output.split() == ["only-mine", "Mine"]


def test_list_says_why_when_there_is_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "ontology").mkdir()
    (tmp_path / "ontology" / "nigraph.ttl").write_text("")
    with pytest.raises(SystemExit) as exc:
        main(["query", "--root", str(tmp_path), "--list"])
    assert exc.value.code == 2
    assert "no canned queries" in capsys.readouterr().err


def test_any_select_file_runs_without_a_header(tmp_path: Path) -> None:
    rq = tmp_path / "Count Industries.rq"  # not a kebab-case id: fine for a file
    rq.write_text("PREFIX nig: <https://w3id.org/nigraph/def/>\n"
                  "SELECT (COUNT(?i) AS ?n) WHERE { ?i a nig:FutureIndustry }\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["query", "--root", str(PROJECT_ROOT), "-q", str(rq), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output == "n\n9\n"
    partial = tmp_path / "partial.rq"  # a header with some keys is read and checked
    partial.write_text("#+ summry: typo\nSELECT * WHERE {}\n", encoding="utf-8")
    bad = CliRunner().invoke(cli, ["query", "--root", str(PROJECT_ROOT), str(partial)])
    assert bad.exit_code != 0 and "unknown header key 'summry'" in str(bad.exception)


def test_ask_and_construct_files_run_on_the_store(tmp_path: Path) -> None:
    ask = tmp_path / "ask.rq"
    ask.write_text("ASK { <https://w3id.org/nigraph/id/industry/F03> a <https://w3id.org/nigraph/def/FutureIndustry> }\n")
    result = CliRunner().invoke(cli, ["query", "--root", str(PROJECT_ROOT), "-q", str(ask), "--format", "csv"])
    assert result.exit_code == 0 and result.output == "ask\ntrue\n", result.output
    construct = tmp_path / "construct.rq"
    construct.write_text("PREFIX nig: <https://w3id.org/nigraph/def/>\n"
                         "CONSTRUCT { ?d nig:directionOf ?i } WHERE { ?d nig:directionOf ?i "
                         "VALUES ?i { <https://w3id.org/nigraph/id/industry/F03> } }\n")
    result = CliRunner().invoke(cli, ["query", "--root", str(PROJECT_ROOT), "-q", str(construct), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["subject,predicate,object"] + [
        f"https://w3id.org/nigraph/id/direction/F03-{n},https://w3id.org/nigraph/def/directionOf,"
        "https://w3id.org/nigraph/id/industry/F03" for n in (1, 2, 3)]
