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
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import pyoxigraph

from .errors import NigraphError

from .files import remove_stale_temps
from .shared import record, shared_graphs

__all__ = ["StoreVersion", "build_store", "open_store", "open_memory_store", "shared_from_lines"]


class StoreVersion:
    """A new version of the on-disk store at ``path``, loaded in steps (possibly in a background
    thread, while the caller does other work), then published in one atomic step or discarded.

    ``path`` is a symbolic link to a version directory ``.<name>.<pid>.<random>.d`` beside it. The
    new version is loaded, flushed and optimized in its own directory; :meth:`publish` renames a new
    link over ``path`` (atomic on POSIX), and only then removes the previous version. A process
    killed at any point leaves either the old store or the new one at ``path``, never neither; its
    leftovers are removed by the next build (:func:`remove_stale_temps`).

    ``base``: start from a copy of that (closed) version directory instead of an empty store.

    :raises NigraphError: if ``path`` exists and is neither a store link nor a directory.
    """

    def __init__(self, path: str | Path, *, base: Path | None = None) -> None:
        path = Path(path)
        if path.exists() and not path.is_dir():
            raise NigraphError(f"{path}: exists and is not a store directory")
        self._created = [d for d in (path.parent, *path.parent.parents) if not d.exists()]
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(path)
        self.path = path
        self._dir = Path(tempfile.mkdtemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent))
        if base is not None:
            _copy_version(base, self._dir)
        self.store: pyoxigraph.Store | None = pyoxigraph.Store(str(self._dir))
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def load_in_background(self, job: Callable[[pyoxigraph.Store], None]) -> None:
        """Run ``job(store)`` in a thread (pyoxigraph's loaders release the GIL); :meth:`wait` joins it."""
        def run() -> None:
            try:
                job(self.store)
            except BaseException as exc:  # noqa: BLE001 - raised again by wait()
                self._error = exc
        self._thread = threading.Thread(target=run, name=f"load {self.path.name}", daemon=True)
        self._thread.start()

    def wait(self) -> pyoxigraph.Store:
        """The store, once the background job (if any) is done; its error, if it failed, is raised here."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        assert self.store is not None
        return self.store

    def publish(self, shared: frozenset[tuple[str, str]] | None = None) -> None:
        """Flush, optimize, record which graphs share a triple (:mod:`nigraph.core.shared`) and swap
        the new version in at ``path``.

        :param shared: the shared graphs when the caller knows them (:func:`shared_from_lines`);
            else they are found in the store (two full scans).
        """
        store = self.wait()
        version = self._dir
        try:
            store.flush()
            store.optimize()
            if shared is None:
                shared = shared_graphs(store)  # found once here rather than by every query
            self.store = None
            del store  # closes the database before it is published
            record(version, shared)
            mask = os.umask(0o022)
            os.umask(mask)
            os.chmod(version, 0o777 & ~mask)
            final = version.with_name(version.name[: -len(".tmp")] + ".d")
            os.rename(version, final)
            version = self._dir = final
            path = self.path
            previous = path.resolve() if path.is_symlink() else None
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

    def discard(self) -> None:
        """Remove the new version (the store at ``path`` stays as it was)."""
        try:
            self.wait()
        except BaseException:  # noqa: BLE001 - discarded anyway
            pass
        self.store = None
        shutil.rmtree(self._dir, ignore_errors=True)
        for d in self._created:  # directories made for the new version only, nearest first
            try:
                d.rmdir()
            except OSError:
                break


def shared_from_lines(graphs: Mapping[str, Sequence[bytes]]) -> frozenset[tuple[str, str]] | None:
    """What :func:`~nigraph.core.shared.shared_graphs` finds in a store holding exactly these
    named graphs (canonical N-Triples lines, as written by pyoxigraph), told from the lines alone
    when they can tell: no graphs share a triple if no line is in two graphs, and no typed literal
    sits under the same subject and predicate in two graphs.

    The lines are pyoxigraph's own serialization: an IRI, a blank node label, a string or a
    language-tagged string is written one way only, so two such triples are the same in the store
    exactly when their lines are the same bytes. A typed literal is kept by value (``"01"^^xsd:int``
    and ``"1"^^xsd:integer`` are one term in the store): lines that differ may still be one triple
    there, so a subject and predicate with a typed object in two graphs leaves it to the store.

    :param graphs: graph IRI -> its lines (``b"<s> <p> <o> .\\n"``), every graph of the store.
    :returns: the empty set when no graphs share a triple; ``None`` when the lines cannot tell (a
        line in two graphs, or the typed literals above): ask the store.
    """
    every: set[bytes] = set()
    n = 0
    for lines in graphs.values():
        every.update(lines)
        n += len(lines)
        if len(every) != n:  # a line in two graphs (lines are distinct within a graph)
            return None
    del every
    keys: set[bytes] = set()
    for lines in graphs.values():
        typed = {b" ".join(line.split(b" ", 2)[:2]) for line in lines if b'"^^<' in line}
        if not keys.isdisjoint(typed):
            return None
        keys |= typed
    return frozenset()


def _copy_version(base: Path, target: Path) -> None:
    """Copy a closed store version: its table files (``*.sst``, never changed once written) are
    hard-linked, the rest (manifest, logs, options) copied."""
    for entry in os.scandir(base):
        if entry.name == "LOCK" or not entry.is_file(follow_symlinks=False):
            continue
        if entry.name.endswith(".sst"):
            os.link(entry.path, target / entry.name)
        else:
            shutil.copy2(entry.path, target / entry.name)


def build_store(quads: Iterable[pyoxigraph.Quad] | bytes | Path, path: str | Path) -> None:
    """Write a new on-disk store at ``path``, replacing any store there in one atomic step
    (:class:`StoreVersion`).

    :param quads: the quads to load, or an N-Quads document or file (loaded natively, no Python objects).
    :param path: the store path, e.g. ``dist/store``.
    :raises NigraphError: if ``path`` exists and is neither a store link nor a directory.
    """
    version = StoreVersion(path)
    try:
        store = version.wait()
        if isinstance(quads, bytes):
            store.bulk_load(quads, format=pyoxigraph.RdfFormat.N_QUADS)
        elif isinstance(quads, Path):
            store.bulk_load(path=str(quads), format=pyoxigraph.RdfFormat.N_QUADS)
        else:
            store.bulk_extend(quads)
        del store
        version.publish()
    except BaseException:
        version.discard()
        raise


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
