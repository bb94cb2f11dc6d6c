"""``nigraph build``: load → reason → validate → store and the release files in ``dist/``.

Modules: :mod:`.pipeline` (the stages in order and the summary), :mod:`.landscape` (the summary's
lines on the standards landscape: documents, frameworks, catalogue standards), :mod:`.cube` (the
coverage statistics as an RDF Data Cube, in their own named graph), :mod:`.incremental` (what
changed since the last build, and its graphs read back), :mod:`.progress` (the progress bar on a
terminal).

May import: :mod:`nigraph.core`, :mod:`nigraph.reason`, :mod:`nigraph.validate`.

Note: ``nigraph.build`` as an attribute of the top-level package is the function
:func:`nigraph.build.pipeline.build` (the public API); import this package's modules with
``from nigraph.build import pipeline``.
"""

from .pipeline import BuildSummary, build

__all__ = ["BuildSummary", "build"]
