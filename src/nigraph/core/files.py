"""Files written so that a reader sees the old content or the new, never a part.

:func:`atomic_write` writes one file through a temporary sibling and a rename; :func:`replace_dir`
swaps a finished directory into place; :func:`remove_stale_temps` clears what a killed writer left.
Every module that writes output goes through these. Imports nothing of nigraph.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

__all__ = ["atomic_write", "replace_dir", "remove_stale_temps"]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temps(path: str | Path) -> list[Path]:
    """Remove temporary siblings of ``path`` left by a process that died (e.g. killed mid-build).

    Temporaries are named ``.<name>.<pid>.<random>.tmp``; one whose process still runs is kept,
    so two builds at once do not remove each other's work.

    :param path: the output file or store directory.
    :returns: what was removed.
    """
    path = Path(path)
    removed = []
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        parts = tmp.name[len(path.name) + 2 :].split(".")
        if parts and parts[0].isdigit() and _pid_alive(int(parts[0])):
            continue
        if tmp.is_dir() and not tmp.is_symlink():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            tmp.unlink(missing_ok=True)
        removed.append(tmp)
    return removed


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(path: str | Path, data: str | bytes | Callable[[BinaryIO], object]) -> None:
    """Write a file so that readers see the old content or the new, never a part.

    The data goes to ``.<name>.<pid>.<random>.tmp`` in the same directory, is fsynced, then
    renamed over ``path``; the temporary file is removed if anything fails, and leftovers of a
    killed writer are removed by the next write (:func:`remove_stale_temps`).

    :param path: the file to write; its directory is created if needed.
    :param data: text (written as UTF-8), bytes, or a function that writes to the binary file it is
        given (so that a large document is streamed, never held whole in memory).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    remove_stale_temps(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            if callable(raw):
                raw(fh)
            else:
                fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step with Linux's renameat2(RENAME_EXCHANGE); False where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def replace_dir(new: str | Path, out: str | Path) -> None:
    """Put the finished directory ``new`` at ``out``, then remove the previous ``out``.

    On Linux the two are exchanged in one step, so a reader (``nigraph serve``'s /report/)
    always finds a whole directory, old or new. Elsewhere two renames leave ``out`` missing for
    an instant; a failure between them puts the previous directory back.

    :param new: a directory beside ``out`` (same file system).
    :param out: the directory to replace (need not exist).
    """
    new, out = Path(new), Path(out)
    if not out.exists():
        os.rename(new, out)
        return
    if _exchange(new, out):
        shutil.rmtree(new, ignore_errors=True)  # it now holds the previous version
        return
    old = out.with_name(f".{out.name}.{os.getpid()}.old.tmp")
    shutil.rmtree(old, ignore_errors=True)
    os.rename(out, old)
    try:
        os.rename(new, out)
    except BaseException:
        os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)
