"""nigraph: a knowledge graph of China's New Industry Standardization Leading Project (2023-2035).

>>> import nigraph
>>> nigraph.__all__
['build', 'run_query']
"""

from __future__ import annotations

import importlib.metadata

try:
    __version__ = importlib.metadata.version("nigraph")
except importlib.metadata.PackageNotFoundError:  # pragma: no cover - bare checkout
    __version__ = "0.0.0"

from .build.pipeline import build  # noqa: E402
from .query.run import run_query  # noqa: E402

# The public API: build() and run_query(). The attribute nigraph.build is the function, not the
# package of the same name: import that package's modules as `from nigraph.build import pipeline`.
__all__ = ["build", "run_query"]
