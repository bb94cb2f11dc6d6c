"""``nigraph validate``: SHACL shapes and SPARQL checks against the data → a :class:`Report`.

Modules: :mod:`.run` (what is validated, engine choice, the pySHACL hand-over, the checks in
``shapes/checks/``), :mod:`.compiler` (the fast engine: shapes compiled to SPARQL, or handed over),
:mod:`.sparql_text` (what SHACL forbids in a SPARQL constraint, and which queries the fast engine may
join), :mod:`.literals` (literals as written, and what the store rewrites), :mod:`.results` (the report
model and its renderings).

May import: :mod:`nigraph.core`.
"""

from .results import Report, Result
from .run import ENGINES, FORMAT_NAMES, Check, load_checks, validate, validate_quads

__all__ = ["ENGINES", "FORMAT_NAMES", "Check", "Report", "Result", "load_checks", "validate", "validate_quads"]
