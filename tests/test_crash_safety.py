"""SIGKILL ``nigraph build`` at several points: the previous outputs stay intact (issue 8, item 4).

Outputs are deterministic, so after a killed rebuild of the same input every output file must be
byte-identical to the first build's, the store must open and hold the same number of quads, and
no temporary file may be left after the next build. The kill points are spread over the build by
time, from just after start to near its end (measured in the same run).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT
from nigraph.core.store import open_store

OUTPUTS = ("nigraph.ttl", "nigraph.nt", "nigraph.nq", "nigraph.jsonld", "nigraph-inferred.ttl", "nigraph-cube.ttl")


def _project_copy(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for name in ("ontology", "data", "shapes", "pyproject.toml"):
        src = PROJECT_ROOT / name
        if src.is_dir():
            shutil.copytree(src, root / name)
        elif src.exists():
            root.mkdir(exist_ok=True)
            shutil.copy(src, root / name)
    return root


def _build_cmd(root: Path) -> list[str]:
    return [sys.executable, "-c", "from nigraph.cli import main; main()", "build", "--root", str(root)]


def _snapshot(dist: Path) -> dict[str, bytes]:
    return {name: (dist / name).read_bytes() for name in OUTPUTS}


def _quads(dist: Path) -> int:
    store = open_store(dist / "store")
    try:
        return len(store)
    finally:
        del store


def test_killed_builds_leave_previous_outputs_intact(tmp_path: Path) -> None:
    root = _project_copy(tmp_path)
    dist = root / "dist"
    started = time.monotonic()
    subprocess.run(_build_cmd(root), check=True, capture_output=True, timeout=300)
    duration = time.monotonic() - started
    before, quads = _snapshot(dist), _quads(dist)

    for fraction in (0.05, 0.3, 0.55, 0.75, 0.9, 0.97):
        proc = subprocess.Popen(_build_cmd(root), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * fraction)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert _snapshot(dist) == before, f"an output changed after a kill at {fraction:.0%} of the build"
        assert _quads(dist) == quads, f"the store changed after a kill at {fraction:.0%} of the build"
        visible = sorted(p.name for p in dist.iterdir() if not p.name.startswith("."))
        assert visible == sorted(OUTPUTS + ("store",)), visible

    subprocess.run(_build_cmd(root), check=True, capture_output=True, timeout=300)
    assert _snapshot(dist) == before
    leftovers = sorted(p.name for p in dist.iterdir() if p.name.endswith(".tmp"))
    assert leftovers == [], f"temporary files left after a clean build: {leftovers}"
    versions = [p for p in dist.iterdir() if p.name.startswith(".store.") and p.name.endswith(".d")]
    assert len(versions) == 1 and (dist / "store").resolve() == versions[0].resolve()


def test_stale_temp_of_live_process_is_kept(tmp_path: Path) -> None:
    from nigraph.core.files import remove_stale_temps

    target = tmp_path / "out.ttl"
    mine = tmp_path / f".out.ttl.{os.getpid()}.abc.tmp"
    dead = tmp_path / ".out.ttl.999999999.abc.tmp"
    mine.write_text("x")
    dead.write_text("y")
    removed = remove_stale_temps(target)
    assert removed == [dead] and mine.exists() and not dead.exists()


def test_killed_exports_leave_previous_dumps_intact(tmp_path: Path) -> None:
    """The same for `nigraph export`: every dump is the previous one, byte for byte, after a kill."""
    root = _project_copy(tmp_path)
    dist = root / "dist"
    subprocess.run(_build_cmd(root), check=True, capture_output=True, timeout=300)
    export_cmd = [sys.executable, "-c", "from nigraph.cli import main; main()", "export", "--root", str(root)]
    started = time.monotonic()
    subprocess.run(export_cmd, check=True, capture_output=True, timeout=300)
    duration = time.monotonic() - started
    dumps = sorted(p.name for p in dist.iterdir() if p.is_file() and not p.name.startswith("."))
    assert "SHA256SUMS" in dumps and "nigraph.nq" in dumps, dumps
    before = {name: (dist / name).read_bytes() for name in dumps}

    for fraction in (0.1, 0.4, 0.7, 0.9):
        proc = subprocess.Popen(export_cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * fraction)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        after = {name: (dist / name).read_bytes() for name in dumps}
        assert after == before, f"a dump changed after a kill at {fraction:.0%} of the export"
        visible = sorted(p.name for p in dist.iterdir() if p.is_file() and not p.name.startswith("."))
        assert visible == dumps

    subprocess.run(export_cmd, check=True, capture_output=True, timeout=300)
    assert sorted(p.name for p in dist.iterdir() if p.name.endswith(".tmp")) == []
