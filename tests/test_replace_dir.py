"""replace_dir: a finished directory takes the place of the old one whole (the coverage report)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from nigraph.core import files as export
from nigraph.core.files import replace_dir


def _version(parent: Path, n: int) -> Path:
    d = parent / f".new.{n}.tmp"
    d.mkdir()
    (d / "index.html").write_text(f"version {n}")
    (d / "a.png").write_bytes(bytes([n % 256]) * 10)
    return d


def test_readers_always_find_a_whole_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "report"
    replace_dir(_version(tmp_path, 0), out)
    exchanged = []
    real = export._exchange
    monkeypatch.setattr(export, "_exchange", lambda a, b: exchanged.append(real(a, b)) or exchanged[-1])
    misses, stop = [], threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                text = (out / "index.html").read_text()
                assert text.startswith("version ")
            except FileNotFoundError as exc:
                misses.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for n in range(1, 300):
            replace_dir(_version(tmp_path, n), out)
    finally:
        stop.set()
        reader.join()
    assert exchanged and all(exchanged)  # Linux: renameat2(RENAME_EXCHANGE)
    assert misses == []
    assert (out / "index.html").read_text() == "version 299"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]  # every previous version removed


def test_without_exchange_two_renames_and_a_failure_puts_the_old_one_back(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "report"
    replace_dir(_version(tmp_path, 1), out)
    monkeypatch.setattr(export, "_exchange", lambda a, b: False)
    replace_dir(_version(tmp_path, 2), out)
    assert (out / "index.html").read_text() == "version 2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]

    real_rename, calls = os.rename, []

    def failing(src, dst):  # noqa: ANN001
        calls.append(dst)
        if len(calls) == 2:
            raise OSError("disk full")
        real_rename(src, dst)

    monkeypatch.setattr(export.os, "rename", failing)
    new = _version(tmp_path, 3)
    with pytest.raises(OSError, match="disk full"):
        replace_dir(new, out)
    assert (out / "index.html").read_text() == "version 2"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["report", new.name])


def test_a_missing_target_is_simply_created(tmp_path: Path) -> None:
    replace_dir(_version(tmp_path, 5), tmp_path / "report")
    assert (tmp_path / "report" / "index.html").read_text() == "version 5"
