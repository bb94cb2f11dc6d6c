"""Incremental builds: what changed since the last build in the same output directory, and the
previous build's graphs read back from its canonical form.

After writing its outputs, ``nigraph build`` records in ``<out>/.nigraph-build.json`` the SHA-256 of
every source file, the versions of nigraph and pyoxigraph, and the size and modification time of
``nigraph.nq`` and the store version it wrote. The next build compares: a source file whose hash is
unchanged is not parsed again, its graph is read back from ``nigraph.nq`` (already canonical), and
the store's version is copied (its immutable table files hard-linked) with only the changed graphs
replaced. Everything that reads the whole graph (validation, the coverage statistics,
materialisation, consistency, the dumps, which are merged documents) is redone in every build,
from the same canonical graphs as a clean build: so the outputs are the same bytes.

Anything the record cannot vouch for makes a full build, and :attr:`Plan.reason` says why: no
record, other versions, ``nigraph.nq`` or the store changed since, catalogues given on the command
line, or a blank node in a changed graph (blank node labels are canonicalised over the whole
dataset, so then every graph with one is canonicalised again, from its lines).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import mmap
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..core.files import atomic_write
from ..core.iri import graph_for

__all__ = ["STATE_FILE", "Plan", "plan", "previous_graphs", "save_state", "file_hashes"]

#: The record of the last build, in the output directory.
STATE_FILE = ".nigraph-build.json"
_FORMAT = 1


def _pyoxigraph_version() -> str:
    try:
        return importlib.metadata.version("pyoxigraph")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover
        return "unknown"


def file_hashes(root: Path, files: list[Path]) -> dict[str, str]:
    """SHA-256 of each source file, keyed by its path relative to ``root``."""
    out = {}
    for path in files:
        digest = hashlib.sha256()
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 22):
                digest.update(chunk)
        out[path.relative_to(root).as_posix()] = digest.hexdigest()
    return out


@dataclass
class Plan:
    """What this build re-does.

    :param full: a clean build (``reason`` says why).
    :param changed: the source files (relative paths) parsed again, added ones included.
    :param removed: source files of the last build that are gone.
    :param reuse: graph IRI → relative path of each unchanged file, read back from ``nigraph.nq``.
    :param store: the previous store version directory to copy (``None``: load the store afresh).
    """

    full: bool
    reason: str
    total: int
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    reuse: dict[str, str] = field(default_factory=dict)
    store: Path | None = None
    previous: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        """One line for people (``nigraph build`` prints it with ``-v``)."""
        if self.full:
            return f"full build: {self.reason}"
        names = self.changed + [f"{r} (removed)" for r in self.removed]
        shown = ", ".join(names[:5]) + (f", … {len(names) - 5} more" if len(names) > 5 else "")
        return (f"incremental: {len(self.changed) + len(self.removed)} of {self.total} files changed"
                + (f": {shown}" if names else "")
                + "; parsed again: only those; validation, statistics, materialisation, consistency and "
                  "dumps: the whole graph; store: their graphs replaced")


def _nq_stamp(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def _store_version(out: Path) -> str | None:
    link = out / "store"
    return os.readlink(link) if link.is_symlink() else None


def plan(root: Path, out: Path, hashes: dict[str, str], version: str, *, catalogues: bool) -> Plan:
    """Compare the source files with the record of the last build in ``out``.

    :param hashes: from :func:`file_hashes`, for this build's files.
    :param version: this build's nigraph version.
    :param catalogues: whether catalogues were given on the command line (then: a full build).
    """
    total = len(hashes)

    def full(reason: str) -> Plan:
        return Plan(full=True, reason=reason, total=total, changed=sorted(hashes))

    if catalogues:
        return full("catalogues given with --catalogue")
    try:
        state = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return full(f"no record of a previous build in {out}")
    if not isinstance(state, dict) or state.get("format") != _FORMAT:
        return full("the record of the previous build is of another format")
    if state.get("nigraph") != version or state.get("pyoxigraph") != _pyoxigraph_version():
        return full("the previous build was made by another version of nigraph or pyoxigraph")
    if state.get("nq") != _nq_stamp(out / "nigraph.nq"):
        return full("nigraph.nq changed since the previous build")
    store = _store_version(out)
    if store is None or store != state.get("store") or not (out / store).is_dir():
        return full("the store changed since the previous build")
    old: dict[str, str] = state.get("files", {})
    changed = sorted(rel for rel, h in hashes.items() if old.get(rel) != h)
    removed = sorted(rel for rel in old if rel not in hashes)
    if state.get("blank", {}) and any(state["blank"].get(r) for r in changed + removed):
        return full("a changed file had blank nodes (their labels are canonicalised over all graphs)")
    reuse = {graph_for(rel).value: rel for rel in hashes if rel not in changed}
    return Plan(full=False, reason="", total=total, changed=changed, removed=removed, reuse=reuse,
                store=out / store, previous=[graph_for(r).value for r in old])


def previous_graphs(nq: Path, names: list[str]) -> dict[str, list[bytes]]:
    """Read graphs back from a canonical ``nigraph.nq`` (sorted graph by graph): their N-Triples lines.

    Each graph's block is found by a binary search over the file (it is sorted by graph), so only
    the blocks asked for are read.

    :param names: graph IRIs; a graph that is not in the file comes back empty.
    """
    out: dict[str, list[bytes]] = {g: [] for g in names}
    if not names or not nq.stat().st_size:
        return out
    with open(nq, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
        size = len(data)

        def graph_at(x: int) -> tuple[str, int, int]:
            """The graph of the line holding byte ``x``, and the line's start and end."""
            start = data.rfind(b"\n", 0, x) + 1
            end = data.find(b"\n", x)
            end = size if end < 0 else end + 1
            line = data[start:end]
            return line[line.rindex(b" <") + 2:line.rindex(b">")].decode(), start, end

        def first_offset(graph: str) -> int:
            """The start of the first line whose graph is not before ``graph`` (lines sorted by graph)."""
            lo, hi = 0, size
            while lo < hi:
                mid = (lo + hi) // 2
                g, start, end = graph_at(mid)
                if g < graph:
                    lo = end
                else:
                    hi = start
            return lo

        for graph in names:
            start = first_offset(graph)
            if start >= size or graph_at(start)[0] != graph:
                continue
            end = first_offset(graph + "\0")  # the next graph's first line, IRIs compared as strings
            suffix = f" <{graph}> .\n".encode()
            out[graph] = data[start:end].replace(suffix, b" .\n").splitlines(keepends=True)
    return out


def save_state(out: Path, hashes: dict[str, str], blank: dict[str, bool], version: str) -> None:
    """Record this build (after its outputs are written)."""
    state = {"format": _FORMAT, "nigraph": version, "pyoxigraph": _pyoxigraph_version(),
             "files": hashes, "blank": {r: True for r, b in sorted(blank.items()) if b},
             "nq": _nq_stamp(out / "nigraph.nq"), "store": _store_version(out)}
    text = json.dumps(state, indent=1, sort_keys=True) + "\n"
    atomic_write(out / STATE_FILE, lambda fh: fh.write(text.encode()))


def forget(out: Path) -> None:
    """Remove the record (a build that is not recorded, e.g. with catalogues)."""
    (out / STATE_FILE).unlink(missing_ok=True)
