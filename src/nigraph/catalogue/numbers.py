"""The one rule for standard numbers: the shapes' own check, asked about every number an import reads.

``shapes/standard.ttl`` says, in the SHACL-SPARQL constraint ``StandardShape-number-matches-type``,
which numbers fit which standard type. The importer keeps no second copy of that rule (two copies
drift: the importer once accepted ``XYZ 123-2020`` that the shapes then rejected). It only guesses a
type from the number's prefix (:func:`guess_type`), then runs that very SELECT over the (number,
type) pairs of a whole file at once (:meth:`NumberRule.rejected`) and rejects the rows it flags.
A number whose prefix gives no type is rejected without asking: it fits no type of the shapes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph

from ..core.errors import InputError
from ..core.iri import NIG, SHAPES, mint

__all__ = ["NumberRule", "load_number_rule", "default_rule", "guess_type", "SHAPES_FILE", "CONSTRAINT"]

#: The file and the constraint that hold the rule.
SHAPES_FILE = "shapes/standard.ttl"
CONSTRAINT = SHAPES + "StandardShape-number-matches-type"
_SELECT = "http://www.w3.org/ns/shacl#select"

# A standard number's prefix → the one standard type it can have (first match wins). Only a
# guess: the shapes decide whether the whole number fits that type.
_GUESS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"GB/T "), "national-recommended"),
    (re.compile(r"GB/Z "), "national-guidance"),
    (re.compile(r"GB "), "national-mandatory"),
    (re.compile(r"DB[0-9]"), "local"),
    (re.compile(r"T/"), "group"),
    (re.compile(r"Q/"), "enterprise"),
    (re.compile(r"(?:ISO|IEC)[/ ]|ITU-T "), "international"),
    (re.compile(r"[A-Z]+(?:/[A-Z]+)? "), "industry"),
)


def guess_type(number: str) -> str | None:
    """The standard-type key a number's prefix points to, or ``None``.

    >>> guess_type("GB/T 1.1-2020"), guess_type("YD/T 3627-2019"), guess_type("ISO/IEC 27001:2022")
    ('national-recommended', 'industry', 'international')
    >>> guess_type("12345") is None
    True
    """
    for pattern, stype in _GUESS:
        if pattern.match(number):
            return stype
    return None


@dataclass(frozen=True)
class NumberRule:
    """The shapes' number check, ready to run on numbers that are not in a store yet.

    :param select: the constraint's ``sh:select`` (it binds ``$this`` to each offending standard).
    :param source: where it was read, for messages.
    """

    select: str
    source: str = SHAPES_FILE

    def rejected(self, pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        """The ``(number, standard-type key)`` pairs the shapes reject.

        Each pair becomes a throw-away resource with ``nig:standardNumber`` and ``nig:standardType``
        in a private in-memory store, and the constraint's SELECT runs once over all of them.
        """
        todo = sorted(set(pairs))
        quads = []
        for i, (number, stype) in enumerate(todo):
            s = pyoxigraph.NamedNode(f"urn:nigraph:number:{i}")
            quads.append(pyoxigraph.Quad(s, _NUMBER, pyoxigraph.Literal(number)))
            quads.append(pyoxigraph.Quad(s, _TYPE, mint("standard-type", stype)))
        store = pyoxigraph.Store()
        store.bulk_extend(quads)
        bad = set()
        for row in store.query(self.select):
            bad.add(todo[int(row["this"].value.rsplit(":", 1)[1])])
        return bad

    def accepts(self, number: str, stype: str) -> bool:
        """Whether the shapes accept one number as a standard of type ``stype``.

        >>> rule = default_rule()
        >>> rule.accepts("GB/T 1.1-2020", "national-recommended"), rule.accepts("XYZ 123-2020", "industry")
        (True, False)
        """
        return not self.rejected([(number, stype)])


_NUMBER = pyoxigraph.NamedNode(NIG + "standardNumber")
_TYPE = pyoxigraph.NamedNode(NIG + "standardType")


def load_number_rule(root: str | Path) -> NumberRule:
    """Read the rule from ``root``'s ``shapes/standard.ttl``.

    :raises InputError: if the file is missing, does not parse, or lacks the constraint.
    """
    path = Path(root) / SHAPES_FILE
    store = pyoxigraph.Store()
    try:
        store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    except OSError as exc:
        raise InputError(SHAPES_FILE, None, None, f"cannot read the standard-number rule: {exc.strerror}") from None
    except SyntaxError as exc:
        raise InputError(SHAPES_FILE, None, None, f"does not parse: {exc}") from None
    rows = list(store.query(f"SELECT ?q WHERE {{ <{CONSTRAINT}> <{_SELECT}> ?q }}"))
    if len(rows) != 1:
        raise InputError(SHAPES_FILE, None, None, f"has no single sh:select for <{CONSTRAINT}>, the standard-number rule")
    return NumberRule(rows[0]["q"].value, SHAPES_FILE)


_DEFAULT: list[NumberRule] = []


def default_rule() -> NumberRule:
    """The rule of the project this package is installed from (its ``shapes/standard.ttl``).

    :raises InputError: if there is none (an installed wheel has no shapes/): pass a rule from
        :func:`load_number_rule` then.
    """
    if not _DEFAULT:
        _DEFAULT.append(load_number_rule(Path(__file__).resolve().parents[3]))
    return _DEFAULT[0]
