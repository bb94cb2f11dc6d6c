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

from .build import build  # noqa: E402
from .query import run_query  # noqa: E402

# validate() and export() stay in their modules: a package attribute of the same name would hide
# the modules nigraph.validate and nigraph.export from `import nigraph.validate as v`.
__all__ = ["build", "run_query"]
