"""``nigraph release``: versioned, citable releases of the built graph in ``dist/releases/<version>/``,
each with its dumps, DCAT distributions and checksums, and a change log against the previous one.

Modules: :mod:`.make` (writing a release), :mod:`.changes` (the change log between two releases, in
Markdown and RDF), :mod:`.versions` (version numbers: validity, order, the previous and latest release).

May import: :mod:`nigraph.core`, :mod:`nigraph.export`.
"""

from .changes import Changes, compare
from .make import Release, make_release, release_files
from .versions import check_version, latest_release, previous_release, releases_in

__all__ = ["Changes", "Release", "check_version", "compare", "latest_release", "make_release", "previous_release",
           "release_files", "releases_in"]
