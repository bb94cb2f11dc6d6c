"""Reasoning, the stage after loading: the OWL consistency check (HermiT) and materialisation.

Modules: :mod:`.owl` (HermiT, and the rules as SPARQL), :mod:`.tbox` (the axioms as lookup
tables), :mod:`.materialize` (the rules over the build's sorted lines), :mod:`.scope` (what of a
catalogue HermiT must see).

May import: :mod:`nigraph.core`.
"""

from .owl import Consistency, check_consistency, hermit_triples, materialize

__all__ = ["Consistency", "check_consistency", "hermit_triples", "materialize"]
