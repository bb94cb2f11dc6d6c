"""The built wheel works from any folder: installed into a new virtual environment, every command runs
on the sources it carries, from an empty temporary folder (issue 15).

Slow (a wheel build and a ``pip install``, about a minute with pip's cache); it is part of
``make test`` because nothing else proves that ``pip install nigraph`` gives a working command.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT, needs_java

#: Top-level folders a clone does not have (the venv, outputs, caches); src/nigraph/build/ is kept.
_TOP = {".git", ".venv", "dist", "build", "site", ".pytest_cache", ".hypothesis"}


def _skip(folder: str, names: list[str]) -> set[str]:
    top = Path(folder).resolve() == PROJECT_ROOT
    return {n for n in names if (top and n in _TOP) or n == "__pycache__" or n.endswith((".egg-info", ".tmp"))}


def _run(cmd: list[str], cwd: Path, timeout: float = 600, ok: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    if ok:
        assert out.returncode == 0, f"{' '.join(cmd)} -> {out.returncode}\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    return out


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``nigraph`` command of a new virtual environment holding only the built wheel and its dependencies."""
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"
    shutil.copytree(PROJECT_ROOT, src, ignore=_skip)
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(base / "wheels"), str(src)], base)
    wheels = list((base / "wheels").glob("nigraph-*.whl"))
    assert len(wheels) == 1
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], base)
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheels[0])], base)
    return venv / "bin" / "nigraph"


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    folder = tmp_path / "empty"
    folder.mkdir()
    return folder


def test_the_wheel_carries_the_sources(installed: Path) -> None:
    site = installed.parent.parent / "lib"
    carried = {p.relative_to(next(site.glob("python3*/site-packages/nigraph/_project"))).as_posix()
               for p in site.glob("python3*/site-packages/nigraph/_project/**/*") if p.is_file()}
    for name in ("ontology/nigraph.ttl", "ontology/imports/prov_import.ttl", "shapes/industry.ttl",
                 "queries/main-tasks.rq", "data/industries.ttl", "data/sample-catalogue.csv"):
        assert name in carried
    assert any(n.startswith("shapes/checks/") for n in carried)
    theirs = {p.relative_to(PROJECT_ROOT).as_posix() for d in ("ontology", "shapes", "queries", "data")
              for p in (PROJECT_ROOT / d).rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert theirs <= carried


def test_query_and_validate_from_an_empty_folder(installed: Path, empty: Path) -> None:
    listed = _run([str(installed), "query", "--list"], empty)
    assert re.search(r"^main-tasks\s+\S", listed.stdout, re.M), listed.stdout
    tasks = _run([str(installed), "query", "main-tasks", "--format", "csv"], empty)
    assert "https://w3id.org/nigraph/id/task/1," in tasks.stdout
    assert "packaged" in tasks.stderr  # it says which files it used
    rq = empty / "count.rq"
    rq.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?i a <https://w3id.org/nigraph/def/EmergingIndustry> }\n")
    counted = _run([str(installed), "query", str(rq), "--format", "csv"], empty)
    assert counted.stdout == "n\n8\n"
    valid = _run([str(installed), "validate"], empty)
    assert "conforms" in (valid.stdout + valid.stderr).lower()
    assert sorted(p.name for p in empty.iterdir()) == ["count.rq"]  # nothing written here


@needs_java
def test_build_export_report_serve_from_an_empty_folder(installed: Path, empty: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _run([str(installed), "build", "--out", str(out)], empty)
    assert (out / "nigraph.ttl").is_file() and (out / "store").is_dir()
    _run([str(installed), "export", "--store", str(out / "store"), "--out", str(out)], empty)
    assert (out / "SHA256SUMS").is_file() and (out / "nigraph.trig").is_file()
    _run([str(installed), "report", "--store", str(out / "store"), "--out", str(out / "report")], empty)
    assert (out / "report" / "index.html").is_file()
    _run([str(installed), "release", "0.1.0", "--issued", "2026-12-01", "--store", str(out / "store"),
          "--out", str(out / "releases")], empty)
    assert (out / "releases" / "0.1.0" / "SHA256SUMS").is_file()
    assert list(empty.iterdir()) == []
    server = subprocess.Popen([str(installed), "serve", "--store", str(out / "store"), "--dumps", str(out),
                               "--port", "0", "--workers", "1", "--max-workers", "2"],
                              cwd=empty, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              start_new_session=True)
    try:
        url = None
        deadline = time.monotonic() + 120
        while url is None and time.monotonic() < deadline:
            line = server.stdout.readline()  # type: ignore[union-attr]
            if not line and server.poll() is not None:
                break
            m = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
            url = m[1] if m else None
        assert url, "the server did not say where it listens"
        with urllib.request.urlopen(url + "id/industry/E01.html", timeout=60) as page:
            assert page.status == 200 and "New generation information technology" in page.read().decode()
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=60)
    assert server.returncode is not None
