"""``nigraph export``: the dumps users download (every format, JSON-LD context, checksums) and the
VoID/DCAT description of the built graph.

Modules: :mod:`.dumps` (writing the dump files), :mod:`.void` (the VoID/DCAT description and the
names of the dump files, which ``nigraph serve`` also uses).

May import: :mod:`nigraph.core`.
"""

from .dumps import FORMATS, export

__all__ = ["FORMATS", "export"]
