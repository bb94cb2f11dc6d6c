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

from .files import remove_stale_temps
from .shared import record, shared_graphs

__all__ = ["build_store", "open_store", "open_memory_store"]


def build_store(quads: Iterable[pyoxigraph.Quad] | bytes | Path, path: str | Path) -> None:
    """Write a new on-disk store at ``path``, replacing any store there in one atomic step.

    ``path`` is a symbolic link to a version directory ``.<name>.<pid>.<random>.d`` beside it. The
    new version is bulk loaded, flushed and optimized in its own directory; then a new link is
    renamed over ``path`` (atomic on POSIX), and only then is the previous version removed. The
    version directory also records which graphs share a triple (:mod:`nigraph.core.shared`). A
    process killed at any point leaves either the old store or the new one at ``path``, never
    neither; its leftovers are removed by the next build (:func:`remove_stale_temps`).

    :param quads: the quads to load, or an N-Quads document or file (loaded natively, no Python objects).
    :param path: the store path, e.g. ``dist/store``.
    :raises NigraphError: if ``path`` exists and is neither a store link nor a directory.
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise NigraphError(f"{path}: exists and is not a store directory")
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(path)
    previous = path.resolve() if path.is_symlink() else None
    version = Path(tempfile.mkdtemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent))
    try:
        store = pyoxigraph.Store(str(version))
        if isinstance(quads, bytes):
            store.bulk_load(quads, format=pyoxigraph.RdfFormat.N_QUADS)
        elif isinstance(quads, Path):
            store.bulk_load(path=str(quads), format=pyoxigraph.RdfFormat.N_QUADS)
        else:
            store.bulk_extend(quads)
        store.flush()
        store.optimize()
        shared = shared_graphs(store)  # found once here rather than by every query (two full scans)
        del store  # closes the database before it is published
        record(version, shared)
        mask = os.umask(0o022)
        os.umask(mask)
        os.chmod(version, 0o777 & ~mask)
        final = version.with_name(version.name[: -len(".tmp")] + ".d")
        os.rename(version, final)
        version = final
        link = path.with_name(f".{path.name}.{os.getpid()}.link.tmp")
        link.unlink(missing_ok=True)
        os.symlink(final.name, link)
        if path.is_dir() and not path.is_symlink():
            # A store from before versioned directories: move it aside first (not atomic, once).
            legacy = path.with_name(f".{path.name}.{os.getpid()}.legacy.tmp")
            os.rename(path, legacy)
        os.replace(link, path)
    except BaseException:
        shutil.rmtree(version, ignore_errors=True)
        raise
    if previous is not None and previous != version and previous.parent == path.parent.resolve():
        shutil.rmtree(previous, ignore_errors=True)
    for stale in path.parent.glob(f".{path.name}.*.legacy.tmp"):
        shutil.rmtree(stale, ignore_errors=True)


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
