"""Which graphs share a triple: recorded once by build_store, read back by `nigraph query`, never
used when stale (issue 13: `nigraph query` scanned the whole store twice on every call)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from nigraph.cli import cli
from nigraph.core import shared
from nigraph.core.store import build_store, open_store

E = "http://example.org/"


def _q(s: str, g: str) -> ox.Quad:
    return ox.Quad(ox.NamedNode(E + s), ox.NamedNode(E + "p"), ox.NamedNode(E + "o"), ox.NamedNode(E + g))


# a is in g1 and g2; b only in g2; c only in g3
QUADS = [_q("a", "g1"), _q("a", "g2"), _q("b", "g2"), _q("c", "g3")]
PAIRS = frozenset({(E + "g1", E + "g2")})


def _no_scans(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the scans shared_graphs_of falls back to."""
    calls: list[int] = []
    real = shared.shared_graphs

    def counting(store: ox.Store) -> frozenset:
        calls.append(1)
        return real(store)

    monkeypatch.setattr(shared, "shared_graphs", counting)
    return calls


def test_the_build_records_the_pairs_and_they_are_read_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_store(QUADS, tmp_path / "store")
    record = json.loads((Path(os.path.realpath(tmp_path / "store")) / shared.FILE).read_text(encoding="utf-8"))
    assert record["shared"] == [[E + "g1", E + "g2"]] and record["files"]
    calls = _no_scans(monkeypatch)
    assert shared.shared_graphs_of(open_store(tmp_path / "store"), tmp_path / "store") == PAIRS
    assert calls == []  # read, not scanned
    assert shared.shared_graphs_of(open_store(tmp_path / "store")) == PAIRS and calls == [1]  # no path: scanned


def test_a_store_written_after_its_build_is_scanned_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_store(QUADS, tmp_path / "store")
    store = open_store(tmp_path / "store", read_only=False)
    store.add(_q("c", "g4"))  # now g3 and g4 share c: the record no longer says the truth
    del store
    calls = _no_scans(monkeypatch)
    assert shared.shared_graphs_of(open_store(tmp_path / "store"), tmp_path / "store") == PAIRS | {(E + "g3", E + "g4")}
    assert calls == [1]


@pytest.mark.parametrize("text", ["", "{", '{"version": 1, "files": {}, "shared": []}', "[1, 2]",
                                  '{"version": 2, "files": FILES, "shared": []}',
                                  '{"version": 1, "files": FILES, "shared": [["a"]]}',
                                  '{"version": 1, "files": FILES, "shared": "ab"}'])
def test_a_bad_record_is_not_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    build_store(QUADS, tmp_path / "store")
    path = Path(os.path.realpath(tmp_path / "store")) / shared.FILE
    files = json.dumps(json.loads(path.read_text(encoding="utf-8"))["files"])
    path.write_text(text.replace("FILES", files), encoding="utf-8")
    calls = _no_scans(monkeypatch)
    assert shared.shared_graphs_of(open_store(tmp_path / "store"), tmp_path / "store") == PAIRS and calls == [1]


def test_a_store_without_a_record_is_scanned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_store(QUADS, tmp_path / "store")
    (Path(os.path.realpath(tmp_path / "store")) / shared.FILE).unlink()
    calls = _no_scans(monkeypatch)
    assert shared.shared_graphs_of(open_store(tmp_path / "store"), tmp_path / "store") == PAIRS and calls == [1]


@pytest.mark.parametrize("record", [True, False], ids=["recorded", "scanned"])
def test_nigraph_query_answers_the_same_with_or_without_the_record(tmp_path: Path, record: bool) -> None:
    build_store(QUADS, tmp_path / "store")
    if not record:
        (Path(os.path.realpath(tmp_path / "store")) / shared.FILE).unlink()
    rq = tmp_path / "q.rq"
    run = lambda query: CliRunner().invoke(cli, ["query", "--store", str(tmp_path / "store"), str(rq), "--format", "csv"])  # noqa: E731
    # the union holds a once (a set), though g1 and g2 both have it
    rq.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }\n", encoding="utf-8")
    result = run(rq)
    assert result.exit_code == 0 and result.output.splitlines() == ["n", "3"], result.output
    # merging g1 and g2 with two FROM would count a twice: refused
    rq.write_text(f"SELECT (COUNT(*) AS ?n) FROM <{E}g1> FROM <{E}g2> WHERE {{ ?s ?p ?o }}\n", encoding="utf-8")
    result = run(rq)
    assert result.exit_code != 0 and "count twice" in str(result.exception)
