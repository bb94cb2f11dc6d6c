"""``nigraph publish``: upload the built store to a remote SPARQL 1.1 store (Graph Store Protocol,
staging graphs swapped in at the end, counts checked).

Modules: :mod:`.graph_store` (the upload and swap, HTTP through httpx), :mod:`.login` (Basic or Digest,
whichever the store asks for).

May import: :mod:`nigraph.core`.
"""

from .graph_store import CountMismatch, PublishError, Remote, publish

__all__ = ["CountMismatch", "PublishError", "Remote", "publish"]
