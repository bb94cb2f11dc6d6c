"""The canned queries ``queries/*.rq`` for the query page, read by :func:`nigraph.query.run.load_queries`.

If that strict loader refuses a file (a bad header), the page still lists every query it can,
read by this module's tolerant reader instead. A header line ``#+ key: value`` sets a key; a following ``#+   more`` line (indented, no key)
continues the previous value. Anything else ends the header. A file that cannot be read is
skipped: the query page lists what it can.

>>> q = parse_canned("demo", "#+ summary: Count things\\n#+ tags: [a]\\nSELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }\\n")
>>> (q.id, q.summary, q.header["tags"], q.text.splitlines()[-1])
('demo', 'Count things', '[a]', 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import NigraphError
from ..query.run import load_queries

__all__ = ["CannedQuery", "parse_canned", "load_canned"]

_KEY = re.compile(r"#\+\s*([A-Za-z_][\w-]*)\s*:\s?(.*)")
_MORE = re.compile(r"#\+\s+(\S.*)")


@dataclass(frozen=True)
class CannedQuery:
    """One canned query: its id (the file name without ``.rq``), header and full text."""

    id: str
    text: str
    header: dict[str, str] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        """The ``summary`` header, or ''."""
        return self.header.get("summary", "")


def parse_canned(qid: str, text: str) -> CannedQuery:
    """Parse a query file's text.

    :param qid: the query's id.
    :param text: the file's content.
    """
    header: dict[str, str] = {}
    last = None
    for line in text.splitlines():
        m = _KEY.match(line)
        if m:
            last = m.group(1)
            header[last] = m.group(2).strip()
            continue
        m = _MORE.match(line)
        if m and last:
            header[last] += " " + m.group(1).strip()
            continue
        if line.strip() and not line.startswith("#"):
            break
    return CannedQuery(qid, text, header)


def load_canned(directory: str | Path) -> list[CannedQuery]:
    """Every ``*.rq`` in ``directory``, sorted by id; ``[]`` if there is no such directory."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    try:
        return [CannedQuery(q.id, q.text, {"summary": q.title, "summary_zh": q.title_zh, "description": q.description})
                for q in load_queries(directory)]
    except NigraphError:
        pass
    out = []
    for path in sorted(directory.glob("*.rq")):
        try:
            out.append(parse_canned(path.stem, path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError):
            continue
    return out
