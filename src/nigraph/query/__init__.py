"""``nigraph query``: canned ``.rq`` files (their ``#+`` headers), parameters bound as terms, and
running a query on the embedded store or a remote SPARQL 1.1 endpoint.

Modules: :mod:`.run`.

May import: :mod:`nigraph.core`.
"""

from .run import (
    FORMATS, CannedQuery, Param, QueryResult, bind, find_query, format_result, load_queries, parse_query,
    run_query, term_for,
)

__all__ = ["FORMATS", "CannedQuery", "Param", "QueryResult", "bind", "find_query", "format_result",
           "load_queries", "parse_query", "run_query", "term_for"]
