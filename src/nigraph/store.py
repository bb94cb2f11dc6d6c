"""The pyoxigraph store: built on disk in one go, opened read-only to serve.

>>> from pyoxigraph import NamedNode as N, Quad
>>> s = open_memory_store([Quad(N("http://e/s"), N("http://e/p"), N("http://e/o"))])
>>> len(s)
1
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph

from .errors import NigraphError

__all__ = ["build_store", "open_store", "open_memory_store"]


def build_store(quads: Iterable[pyoxigraph.Quad], path: str | Path) -> None:
    """Write a new on-disk store at ``path``, replacing any store there only once the new one is complete.

    The store is built in a temporary directory next to ``path`` (``.<name>.*.tmp``), bulk loaded,
    flushed and optimized, then renamed into place; the old store is removed afterwards. If
    anything fails, the old store is left as it was.

    :param quads: the quads to load.
    :param path: the store directory, e.g. ``dist/store``.
    :raises NigraphError: if ``path`` exists and is not a directory.
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise NigraphError(f"{path}: exists and is not a store directory")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    old: Path | None = None
    try:
        store = pyoxigraph.Store(str(tmp))
        store.bulk_extend(quads)
        store.flush()
        store.optimize()
        del store  # closes the database before it is moved
        mask = os.umask(0o022)
        os.umask(mask)
        os.chmod(tmp, 0o777 & ~mask)
        if path.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}.old.", suffix=".tmp", dir=path.parent))
            os.rmdir(old)
            os.rename(path, old)
        try:
            os.rename(tmp, path)
        except BaseException:
            if old is not None:
                os.rename(old, path)
                old = None
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def open_store(path: str | Path, *, read_only: bool = True) -> pyoxigraph.Store:
    """Open a store built by :func:`build_store`.

    :param path: the store directory.
    :param read_only: open with :meth:`pyoxigraph.Store.read_only` (the default, for serving and queries).
    :returns: the store.
    :raises NigraphError: if there is no store at ``path``.
    """
    path = Path(path)
    if not path.is_dir():
        raise NigraphError(f"{path}: no store here; run `nigraph build` first")
    try:
        return pyoxigraph.Store.read_only(str(path)) if read_only else pyoxigraph.Store(str(path))
    except OSError as exc:
        raise NigraphError(f"{path}: cannot open store: {exc}") from None


def open_memory_store(quads: Iterable[pyoxigraph.Quad]) -> pyoxigraph.Store:
    """Load quads into a new in-memory store (for tests and small jobs).

    :param quads: the quads to load.
    :returns: the store.
    """
    store = pyoxigraph.Store()
    store.extend(quads)
    return store
