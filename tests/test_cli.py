from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import needs_java
from click.testing import CliRunner

from nigraph import __version__
from nigraph.cli import COMMANDS, cli, main

NIGRAPH = Path(sys.executable).parent / "nigraph"


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    exe = [str(NIGRAPH)] if NIGRAPH.exists() else [sys.executable, "-c", "from nigraph.cli import main; main()"]
    return subprocess.run(exe + list(args), capture_output=True, text=True, cwd=cwd, timeout=300)


def test_group_help_lists_commands() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "knowledge graph" in result.output
    for command in COMMANDS:
        assert command.name in result.output


@pytest.mark.parametrize("name", [c.name for c in COMMANDS])
def test_every_command_has_help(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert f"Usage: cli {name}" in result.output or f"Usage: nigraph {name}" in result.output
    assert "--verbose" in result.output and "--quiet" in result.output and "--root" in result.output


def test_build_help_documents_exit_status() -> None:
    result = CliRunner().invoke(cli, ["build", "--help"])
    assert "--out" in result.output and "Exit status" in result.output
    assert "path:line:column" in result.output


def test_python_dash_m_runs_the_command() -> None:
    result = subprocess.run([sys.executable, "-m", "nigraph", "--version"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == f"nigraph, version {__version__}", result
    result = subprocess.run([sys.executable, "-m", "nigraph", "no-such-command"], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 2 and "Usage: nigraph" in result.stderr and "Traceback" not in result.stderr


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_build_prints_summary(mini_project: Path) -> None:
    result = CliRunner().invoke(cli, ["build", "--root", str(mini_project)])
    assert result.exit_code == 0, result.output
    assert "industries" in result.output and "1 emerging, 1 future" in result.output
    assert (mini_project / "dist" / "nigraph.ttl").is_file()


def test_quiet_build_prints_nothing(mini_project: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", "-q", "--root", str(mini_project), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0
    assert result.stdout == ""


def test_broken_file_exits_2_with_position_and_no_traceback(mini_project: Path, fixtures: Path) -> None:
    shutil.copy(fixtures / "broken-line-4.ttl", mini_project / "data" / "broken.ttl")
    run = _run("build", "--root", str(mini_project))
    assert run.returncode == 2
    assert "data/broken.ttl:4:27: " in run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert run.stdout == ""


@needs_java
def test_inconsistent_exits_1(mini_project: Path, fixtures: Path) -> None:
    shutil.copy(fixtures / "inconsistent-data.ttl", mini_project / "data" / "both.ttl")
    run = _run("build", "--root", str(mini_project))
    assert run.returncode == 1
    assert "inconsistent" in run.stderr
    assert "java" not in run.stdout.lower() + run.stderr.lower().replace("java not", "")


def test_unexpected_error_is_one_line_unless_verbose(mini_project: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    import nigraph.cli.build as cmd

    def boom(*args, **kwargs):
        raise RuntimeError("kaboom\nsecond line")

    monkeypatch.setattr(cmd, "build", boom)
    with pytest.raises(SystemExit) as info:
        main(["build", "--root", str(mini_project)])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "error: RuntimeError: kaboom" in err and "-v" in err
    assert "Traceback" not in err and "second line" not in err
    with pytest.raises(SystemExit):
        main(["build", "-v", "--root", str(mini_project)])
    assert "Traceback" in capsys.readouterr().err


def test_missing_root_is_a_usage_error(tmp_path: Path) -> None:
    run = _run("build", "--root", str(tmp_path / "nope"))
    assert run.returncode == 2
    assert "does not exist" in run.stderr and "Traceback" not in run.stderr


def test_cli_module_is_thin() -> None:
    # Each command module only parses options and calls one library function.
    src = Path(__file__).resolve().parent.parent / "src" / "nigraph" / "cli"
    for path in src.glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) < 120, path
    assert os.path.exists(src / "options.py")
