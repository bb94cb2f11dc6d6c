"""HTTP caching for a read-only store (RFC 9110 §8.8, §13, §14; RFC 9111 §5.2), apart from the server.

Everything ``nigraph serve`` answers is fixed once the store is built, so every 200 carries a
strong ``ETag``, ``Last-Modified`` (when the store, or the file served, was written) and
``Cache-Control``; a request whose ``If-None-Match`` or ``If-Modified-Since`` shows the client
has the answer already gets 304. A generated answer's tag is a hash of the store's build id, the
media type and the bytes sent, so two answers share a tag only when they are the same bytes (what a
strong validator promises); a file's tag is its build id, name, size and modification time, so
it is known before the file is read. Dumps also answer ``Range`` with 206.

>>> tag = etag_for("b1", "text/turtle", b"<a> <b> <c> .")
>>> not_modified("GET", {"If-None-Match": tag}, tag, 0.0), not_modified("GET", {"If-None-Match": '"x"'}, tag, 0.0)
(True, False)
>>> byte_range("bytes=0-3", 10), byte_range("bytes=-4", 10), byte_range("bytes=20-", 10)
((0, 3), (6, 9), 'unsatisfiable')
"""

from __future__ import annotations

import functools
import hashlib
import os
from email.utils import formatdate, parsedate_to_datetime

__all__ = ["MAX_AGE", "etag_for", "file_etag", "http_date", "not_modified", "byte_range"]

#: Seconds a client may reuse an answer without asking again; after that it revalidates with the
#: ETag (cheap: 304). Short, since a rebuilt store replaces the answers at the same URLs.
MAX_AGE = 300


def etag_for(build: str, media: str, body: bytes) -> str:
    """A strong entity tag for a generated answer."""
    h = hashlib.blake2b(digest_size=16)
    for part in (build.encode(), b"\0", media.encode(), b"\0", body):
        h.update(part)
    return f'"{h.hexdigest()}"'


def file_etag(build: str, name: str, stat: os.stat_result) -> str:
    """A strong entity tag for a file (changes when the file is rewritten)."""
    key = f"{build}\0{name}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ino}"
    return '"' + hashlib.blake2b(key.encode(), digest_size=16).hexdigest() + '"'


@functools.lru_cache(maxsize=256)
def http_date(timestamp: float) -> str:
    """An HTTP date (IMF-fixdate).

    >>> http_date(0)
    'Thu, 01 Jan 1970 00:00:00 GMT'
    """
    return formatdate(int(timestamp), usegmt=True)


def _tags(header: str) -> list[str]:
    return [t.strip().removeprefix("W/") for t in header.split(",") if t.strip()]


def not_modified(method: str, headers, etag: str, last_modified: float) -> bool:  # noqa: ANN001 - a mapping
    """Whether a GET/HEAD may be answered 304 (``If-None-Match`` first; ``If-Modified-Since`` only
    without it, RFC 9110 §13.2.2).

    :param method: the request method (other methods are never 304).
    :param headers: the request headers (``.get``).
    :param etag: the answer's tag.
    :param last_modified: the answer's modification time (seconds since the epoch).
    """
    if method not in ("GET", "HEAD"):
        return False
    inm = headers.get("If-None-Match")
    if inm is not None:
        tags = _tags(inm)  # weak comparison, as §13.1.2 asks for If-None-Match
        return "*" in tags or etag in tags
    ims = headers.get("If-Modified-Since")
    if ims:
        try:
            since = parsedate_to_datetime(ims).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
        return int(last_modified) <= since
    return False


def byte_range(header: str | None, size: int) -> tuple[int, int] | str | None:
    """The one byte range a ``Range`` header asks for.

    :returns: ``(first, last)`` inclusive; ``None`` to send the whole file (no header, a unit
        other than bytes, several ranges or a malformed one: RFC 9110 §14.2 lets a server ignore
        those); ``"unsatisfiable"`` for 416.
    """
    if not header:
        return None
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, dash, last = spec.strip().partition("-")
    if not dash:
        return None
    try:
        if first == "":
            n = int(last)
            if n <= 0:
                return "unsatisfiable"
            return (max(0, size - n), size - 1) if size else "unsatisfiable"
        start = int(first)
        end = int(last) if last else None
    except ValueError:
        return None
    if start < 0 or (end is not None and end < start):
        return None
    if start >= size:
        return "unsatisfiable"
    return start, size - 1 if end is None else min(end, size - 1)
