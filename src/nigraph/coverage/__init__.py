"""``nigraph report``: where the plan stands against the catalogue — the figures (from SPARQL over
the store), the pictures and the HTML report.

Modules: :mod:`.figures` (the coverage figures), :mod:`.page` (pictures and ``index.html``).

May import: :mod:`nigraph.core`, :mod:`nigraph.query`.

Nothing is re-exported here, so that importing the figures does not load matplotlib.
"""
