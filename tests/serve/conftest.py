"""Fixtures: a running ``nigraph serve`` (2 s query timeout) over the project's data, shared by this folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from .serve_helpers import Server, build_test_store, start_server, stop_server

from nigraph.export.dumps import export


@pytest.fixture(scope="session")
def served_data(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(store, dumps directory) built once for the session."""
    base = tmp_path_factory.mktemp("served")
    build_test_store(base / "store")
    export(base / "store", base / "dumps", ["nt", "ttl"])
    return base / "store", base / "dumps"


@pytest.fixture(scope="session")
def server(served_data: tuple[Path, Path]) -> Iterator[Server]:
    """A server with a 2 s query timeout, shared by the tests of this folder."""
    store, dumps = served_data
    srv = start_server(store, dumps, "--timeout", "2", "--workers", "2", "--max-workers", "6", "--max-body", "65536")
    try:
        yield srv
    finally:
        stop_server(srv.process)


