"""Crash safety of `nigraph import` (issue 8, item 4): SIGKILL at several points of a run.

After each kill the previous output and error report are intact and byte-identical (or, if the
kill came after the rename, exactly the new complete ones), and the only other files left are
hidden temporary files (``.<name>.<pid>.<random>.tmp``) that no one takes for output, and the
next complete run removes them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")


def _catalogue(path: Path, rows: int, title: str) -> None:
    lines = ["标准号,中文标准名称,英文标准名称,标准状态,发布日期,实施日期,ICS"]
    lines += [f"GB/T {i}-2024,{title}{i} 储能电池 安全要求,Energy storage battery {i},现行,2024-01-0{1 + i % 9},2024-06-01,27.180"
              for i in range(1, rows + 1)]
    lines.append("XX 1,坏行,,现行,2024-02-30,,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _start(src: Path, out: Path, errors: Path) -> subprocess.Popen:
    code = "from nigraph.cli import main; main()"
    return subprocess.Popen([sys.executable, "-c", code, "import", "--root", str(ROOT), str(src), "--out", str(out),
                             "--errors", str(errors), "-q"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_sigkill_leaves_previous_output_intact(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    src, out, errors = tmp_path / "cat.csv", work / "standards.ttl", work / "errors.csv"
    _catalogue(src, 1500, "旧")
    assert _start(src, out, errors).wait(timeout=300) == 1
    old_out, old_errors = out.read_bytes(), errors.read_bytes()
    _catalogue(src, 1500, "新")
    began = time.monotonic()
    assert _start(src, out, errors).wait(timeout=300) == 1
    duration = time.monotonic() - began
    new_out, new_errors = out.read_bytes(), errors.read_bytes()
    assert new_out != old_out
    outcomes = set()
    for fraction in (0.05, 0.3, 0.6, 0.85, 0.95, 0.99):
        out.write_bytes(old_out)
        errors.write_bytes(old_errors)
        proc = _start(src, out, errors)
        time.sleep(duration * fraction)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        got = out.read_bytes()
        assert got in (old_out, new_out), f"partial output after a kill at {fraction:.0%}"
        assert errors.read_bytes() in (old_errors, new_errors)
        outcomes.add("old" if got == old_out else "new")
        for leftover in work.iterdir():
            if leftover.name not in ("standards.ttl", "errors.csv"):
                assert leftover.name.startswith(".") and leftover.name.endswith(".tmp"), leftover.name
    assert "old" in outcomes  # at least one kill landed before the rename
    # the next complete run removes what killed runs left behind
    assert _start(src, out, errors).wait(timeout=300) == 1
    assert sorted(p.name for p in work.iterdir()) == ["errors.csv", "standards.ttl"]
    assert out.read_bytes() == new_out
