"""`nigraph serve --engine`: the engine chosen is announced, and both engines give the same answers."""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

import pytest

from .serve_helpers import Server, request, start_server, stop_server

ROOT = Path(__file__).resolve().parents[2]
QUERIES = sorted((ROOT / "queries").glob("*.rq"))


def _csv(server: Server, query: str) -> list[str]:
    status, _, body = request(server.url + "sparql", data=urllib.parse.urlencode({"query": query}).encode(),
                              headers={"Accept": "text/csv", "Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200, body
    return sorted(body.decode().splitlines())


@pytest.fixture(scope="module")
def disk_server(served_data: tuple[Path, Path]):
    srv = start_server(*served_data, "--engine", "disk", "--cache-mb", "0")
    try:
        yield srv
    finally:
        stop_server(srv.process)


def test_the_engine_is_announced(server: Server, disk_server: Server) -> None:
    assert re.search(r"query engine: memory \(about [0-9.]+ GiB for 7 in-memory copies, [0-9.]+ GiB available\)",
                     server.log.read_text())
    assert re.search(r"loading [0-9,]+ triples into memory", server.log.read_text())
    assert "query engine: disk (chosen), 2 to 8 workers" in disk_server.log.read_text()


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_disk_and_memory_engines_answer_alike(server: Server, disk_server: Server, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert _csv(server, text) == _csv(disk_server, text)
