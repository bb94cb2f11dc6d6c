"""Reasoning, the stage after loading: the OWL consistency check (HermiT) and materialisation.

May import: :mod:`nigraph.core`.
"""

from .owl import Consistency, check_consistency, hermit_triples, materialize

__all__ = ["Consistency", "check_consistency", "hermit_triples", "materialize"]
