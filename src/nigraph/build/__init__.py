"""``nigraph build``: load → reason → validate → store, the release files in ``dist/`` and the summary.

Modules: :mod:`.pipeline` (the build and its summary), :mod:`.landscape` (the summary's lines on the
standards landscape: documents, frameworks, catalogue standards).

The package re-exports nothing: ``nigraph.build`` is the function (see ``nigraph/__init__.py``);
import this package's modules as ``from nigraph.build import pipeline``.

May import: :mod:`nigraph.core`, :mod:`nigraph.reason`, :mod:`nigraph.validate`.
"""
