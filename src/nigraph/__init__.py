"""nigraph: a knowledge graph of China's New Industry Standardization Leading Project (2023-2035).

>>> import nigraph
>>> nigraph.__all__
['build']
"""

from __future__ import annotations

import importlib.metadata

try:
    __version__ = importlib.metadata.version("nigraph")
except importlib.metadata.PackageNotFoundError:  # pragma: no cover - bare checkout
    __version__ = "0.0.0"

from .build import build  # noqa: E402

__all__ = ["build"]
