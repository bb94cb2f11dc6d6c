"""``nigraph query``: canned ``.rq`` files (their ``#+`` headers), parameters bound as terms, and
running a query on the embedded store or a remote SPARQL 1.1 endpoint.

Modules: :mod:`.run` (canned queries, running them), :mod:`.dataset` (the exact dataset of a query),
:mod:`.cube_guard` (refusing a cube query where the cube is missing).

May import: :mod:`nigraph.core`.
"""

from .dataset import Dataset, DatasetError
from .run import (
    FORMATS, CannedQuery, Param, QueryResult, bind, find_query, format_result, load_queries, parse_query,
    run_query, term_for,
)

__all__ = ["FORMATS", "CannedQuery", "Dataset", "DatasetError", "Param", "QueryResult", "bind", "find_query", "format_result",
           "load_queries", "parse_query", "run_query", "term_for"]
