"""``nigraph import``: catalogues of standards (CSV, JSON) → ``nig:Standard`` resources.

Modules: :mod:`.parse` (rows → checked records: numbers, dates, codes), :mod:`.sectors` (which
industries a standard serves, by ICS code and keyword rules from ``data/``), :mod:`.to_rdf`
(records → RDF, the import written whole or not at all).

May import: :mod:`nigraph.core`.
"""

from .parse import Catalogue, Record, RowError, load_mapping, read_catalogue
from .sectors import SectorMap, load_sector_map
from .to_rdf import import_catalogue, render_errors

__all__ = ["Catalogue", "Record", "RowError", "SectorMap", "import_catalogue", "load_mapping",
           "load_sector_map", "read_catalogue", "render_errors"]
