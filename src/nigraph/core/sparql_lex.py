"""What a lexical look at SPARQL text needs: ``\\u`` escapes decoded, and the parts that are never
keywords (strings, IRIs, comments) found, so they can be blanked before words are read.

Shared by the endpoint's guard (``nigraph.serve.guard``) and the dataset reader
(``nigraph.query.dataset``), so the two agree on what is inside a string or an IRI.

>>> OPAQUE.sub(" ", unescape('SELECT * { ?s <http://e/from> "FROM" } # from'))
'SELECT * { ?s   }  '
"""

from __future__ import annotations

import re

__all__ = ["OPAQUE_PATTERN", "OPAQUE", "unescape"]

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
#: Long strings first, then short strings (with escapes), IRIs (no spaces inside, so "?a < ?b" is
#: not one), comments. Leftmost match wins.
OPAQUE_PATTERN = (
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n\r]*"
)
OPAQUE = re.compile(OPAQUE_PATTERN, re.S)


def unescape(text: str) -> str:
    """Decode SPARQL's ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes (done before parsing, SPARQL 1.1 §19.2)."""
    def one(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code < 0x110000 else m.group(0)

    return _ESCAPE.sub(one, text)
