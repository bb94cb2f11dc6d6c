"""nigraph: a knowledge graph of China's New Industry Standardization Leading Project (2023-2035).

>>> import nigraph
>>> nigraph.__all__
['build', 'export', 'run_query', 'validate']
"""

from __future__ import annotations

import importlib.metadata

try:
    __version__ = importlib.metadata.version("nigraph")
except importlib.metadata.PackageNotFoundError:  # pragma: no cover - bare checkout
    __version__ = "0.0.0"

from .build import build  # noqa: E402
from .dump import export  # noqa: E402
from .query import run_query  # noqa: E402
from .validate import validate  # noqa: E402

__all__ = ["build", "export", "run_query", "validate"]
