from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from nigraph.core.errors import NigraphError
from nigraph.core.store import build_store, open_memory_store, open_store

N = pyoxigraph.NamedNode
G = N("https://w3id.org/nigraph/graph/data/a.ttl")


def _quad(i: int) -> pyoxigraph.Quad:
    return pyoxigraph.Quad(N(f"http://e/s{i}"), N("http://e/p"), pyoxigraph.Literal(str(i)), G)


def test_build_then_open_read_only(tmp_path: Path) -> None:
    build_store([_quad(1), _quad(2)], tmp_path / "store")
    store = open_store(tmp_path / "store")
    assert len(store) == 2
    assert list(store.named_graphs()) == [G]
    del store
    _assert_one_store(tmp_path), "temporary directories left behind"


def test_rebuild_replaces_old_store(tmp_path: Path) -> None:
    build_store([_quad(1)], tmp_path / "store")
    build_store([_quad(2), _quad(3)], tmp_path / "store")
    store = open_store(tmp_path / "store")
    assert sorted(q.object.value for q in store) == ["2", "3"]
    del store
    _assert_one_store(tmp_path)


def test_failed_build_keeps_old_store(tmp_path: Path) -> None:
    build_store([_quad(1)], tmp_path / "store")

    def broken():
        yield _quad(2)
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        build_store(broken(), tmp_path / "store")
    store = open_store(tmp_path / "store")
    assert [q.object.value for q in store] == ["1"]
    del store
    _assert_one_store(tmp_path)


def _assert_one_store(folder: Path) -> None:
    """Only ``store`` is visible; it links to the one version directory; no temporaries remain."""
    names = sorted(p.name for p in folder.iterdir())
    assert [n for n in names if not n.startswith(".")] == ["store"]
    hidden = [n for n in names if n.startswith(".")]
    assert len(hidden) == 1 and hidden[0].endswith(".d"), hidden
    assert (folder / "store").is_symlink() and (folder / "store").resolve() == (folder / hidden[0]).resolve()


def test_open_missing_store(tmp_path: Path) -> None:
    with pytest.raises(NigraphError, match="nigraph build"):
        open_store(tmp_path / "nope")


def test_memory_store() -> None:
    assert len(open_memory_store([_quad(1), _quad(1), _quad(2)])) == 2


_S, _P = "<http://e/s>", "<http://e/p>"
_INT, _INTEGER = "<http://www.w3.org/2001/XMLSchema#int>", "<http://www.w3.org/2001/XMLSchema#integer>"


@pytest.mark.parametrize(("graphs", "told"), [
    # no line in two graphs, no typed literal under one subject and predicate in two: told, none shared
    ({"http://e/g1": [f'{_S} {_P} "a" .\n', f'{_S} {_P} "01"^^{_INT} .\n'],
      "http://e/g2": [f'{_S} {_P} "b"@en .\n', f'<http://e/t> {_P} "1"^^{_INTEGER} .\n']}, True),
    # the same line in two graphs: left to the store
    ({"http://e/g1": [f"{_S} {_P} <http://e/o> .\n"], "http://e/g2": [f"{_S} {_P} <http://e/o> .\n"]}, False),
    # different lines, one value in the store ("01"^^xsd:int is "1"^^xsd:integer there): left to the store
    ({"http://e/g1": [f'{_S} {_P} "01"^^{_INT} .\n'], "http://e/g2": [f'{_S} {_P} "1"^^{_INTEGER} .\n']}, False),
    # typed literals of different values under one subject and predicate: left to the store too
    ({"http://e/g1": [f'{_S} {_P} "2"^^{_INT} .\n'], "http://e/g2": [f'{_S} {_P} "1"^^{_INTEGER} .\n']}, False),
])
def test_shared_from_lines_agrees_with_the_store(graphs: dict[str, list[str]], told: bool) -> None:
    from nigraph.core.shared import shared_graphs
    from nigraph.core.store import shared_from_lines

    lines = {g: sorted(line.encode() for line in ls) for g, ls in graphs.items()}
    store = pyoxigraph.Store()
    for g, ls in lines.items():
        store.load(b"".join(ls), format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=pyoxigraph.NamedNode(g))
    found = shared_from_lines(lines)
    assert (found is not None) == told
    if found is not None:
        assert found == shared_graphs(store)
