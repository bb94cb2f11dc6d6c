"""Which industries and directions of the plan a standard serves: from its ICS codes and title keywords.

The rules are data, not code: ``data/ics.ttl`` links ICS classes to industries with
``skos:relatedMatch`` (each with an ``skos:editorialNote`` giving the reason), and
``data/industry-keywords.ttl`` holds nigraph's own ``nig:KeywordRule`` resources, each with the industry or
direction it ``nig:mapsTo`` and its ``nig:titleKeyword`` keywords.
A keyword of several words (separated by spaces) matches when every word occurs in a title;
English keywords match case-insensitively. A direction that matches also gives its industry.

>>> m = SectorMap(ics={"43.120": ("E05",)}, keywords=(("direction", "F04-1", ("人形机器人", "术语")),),
...               direction_industry={"F04-1": "F04"})
>>> m.classify(("43.120.10",), ["人形机器人 术语"])
(('E05', 'F04'), ('F04-1',), '43.120')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from ..core.errors import InputError
from ..core.iri import NID, NIG

__all__ = ["SectorMap", "load_sector_map", "ICS_FILE", "KEYWORDS_FILE", "INDUSTRIES_FILE"]

ICS_FILE = "data/ics.ttl"
KEYWORDS_FILE = "data/industry-keywords.ttl"
INDUSTRIES_FILE = "data/industries.ttl"

_SKOS = "http://www.w3.org/2004/02/skos/core#"
_RELATED_MATCH = _SKOS + "relatedMatch"
_NOTATION = _SKOS + "notation"
_MAPS_TO = NIG + "mapsTo"
_KEYWORD = NIG + "titleKeyword"
_DIRECTION_OF = NIG + "directionOf"
_ICS = NID + "ics/"
_INDUSTRY = NID + "industry/"
_DIRECTION = NID + "direction/"
_NODE = NID + "node/"


@dataclass(frozen=True)
class SectorMap:
    """The mapping rules, loaded from the project's data.

    :param ics: ICS notation → industry keys (only classes nigraph knows).
    :param keywords: ``(kind, key, words)`` with kind ``"industry"``, ``"direction"`` or ``"node"``
        (a node of a sector document's framework, ``data/sectors/``).
    :param direction_industry: direction key → its industry key.
    """

    ics: dict[str, tuple[str, ...]] = field(default_factory=dict)
    keywords: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    direction_industry: dict[str, str] = field(default_factory=dict)
    known_ics: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        rules = tuple((kind, key, frozenset(w.lower() for w in words)) for kind, key, words in self.keywords)
        object.__setattr__(self, "_rules", rules)
        object.__setattr__(self, "_words", frozenset(w for _, _, words in rules for w in words))

    def ics_class(self, code: str) -> str | None:
        """The most specific known ICS class of a code (``35.240.01`` → ``35.240`` → ``35``), or ``None``."""
        parts = code.split(".")
        known = self.known_ics or frozenset(self.ics)
        for n in range(len(parts), 0, -1):
            notation = ".".join(parts[:n])
            if notation in known:
                return notation
        return None

    def classify(self, ics_codes: Iterable[str], titles: Iterable[str | None]) -> tuple[tuple[str, ...], tuple[str, ...], str | None]:
        """Industries and directions a standard serves, and the ICS class of its first code.

        :param ics_codes: the standard's ICS codes.
        :param titles: its titles (any language; ``None`` is skipped).
        :returns: ``(industry keys, direction keys, ICS notation or None)``, keys sorted.
        """
        industries: set[str] = set()
        directions: set[str] = set()
        first_class = None
        for code in ics_codes:
            parts = code.split(".")
            for n in range(len(parts), 0, -1):  # every ancestor's mapping applies
                industries.update(self.ics.get(".".join(parts[:n]), ()))
            cls = self.ics_class(code)
            if first_class is None:
                first_class = cls
        lowered = [t.lower() for t in titles if t]
        present = {w for w in self._words for t in lowered if w in t}
        for kind, key, words in self._rules:
            if words <= present:
                if kind == "industry":
                    industries.add(key)
                elif kind == "direction":
                    directions.add(key)
                    if key in self.direction_industry:
                        industries.add(self.direction_industry[key])
        return tuple(sorted(industries)), tuple(sorted(directions)), first_class

    def nodes(self, titles: Iterable[str | None]) -> tuple[str, ...]:
        """Framework nodes a standard serves by its titles (rules of kind ``"node"``), keys sorted.

        >>> SectorMap(keywords=(("node", "g.1", ("人工智能", "管理")),)).nodes(["人工智能 管理体系"])
        ('g.1',)
        """
        lowered = [t.lower() for t in titles if t]
        present = {w for w in self._words for t in lowered if w in t}
        return tuple(sorted(key for kind, key, words in self._rules if kind == "node" and words <= present))


def _parse(path: Path, root: Path) -> list[pyoxigraph.Triple]:
    try:
        with open(path, "rb") as fh:
            return [q.triple for q in pyoxigraph.parse(fh, format=pyoxigraph.RdfFormat.TURTLE)]
    except OSError as exc:
        raise InputError(path.relative_to(root) if path.is_relative_to(root) else path, None, None,
                         f"cannot read mapping data: {exc.strerror}") from None
    except SyntaxError as exc:
        raise InputError(path, None, None, f"mapping data does not parse: {exc}") from None


def load_sector_map(root: str | Path) -> SectorMap:
    """Load the mapping rules from ``root``'s ``data/ics.ttl``, ``data/industry-keywords.ttl`` and
    ``data/industries.ttl``.

    :param root: the project directory.
    :raises InputError: if a file is missing or does not parse.
    """
    root = Path(root)
    ics: dict[str, set[str]] = {}
    notation_of: dict[str, str] = {}
    for t in _parse(root / ICS_FILE, root):
        s = t.subject.value
        if not s.startswith(_ICS):
            continue
        if t.predicate.value == _NOTATION:
            notation_of[s] = t.object.value
        elif t.predicate.value == _RELATED_MATCH and t.object.value.startswith(_INDUSTRY):
            ics.setdefault(s, set()).add(t.object.value[len(_INDUSTRY):])
    keywords = []
    rules = _parse(root / KEYWORDS_FILE, root)
    # each nig:KeywordRule names its target with nig:mapsTo and its keywords with nig:titleKeyword
    target_of = {t.subject.value: t.object.value for t in rules if t.predicate.value == _MAPS_TO}
    for t in rules:
        if t.predicate.value != _KEYWORD or t.subject.value not in target_of:
            continue
        s = target_of[t.subject.value]
        for kind, prefix in (("industry", _INDUSTRY), ("direction", _DIRECTION), ("node", _NODE)):
            if s.startswith(prefix):
                keywords.append((kind, s[len(prefix):], tuple(t.object.value.split())))
    direction_industry = {
        t.subject.value[len(_DIRECTION):]: t.object.value[len(_INDUSTRY):]
        for t in _parse(root / INDUSTRIES_FILE, root)
        if t.predicate.value == _DIRECTION_OF and t.subject.value.startswith(_DIRECTION)
    }
    return SectorMap(
        ics={notation_of.get(s, s[len(_ICS):]): tuple(sorted(v)) for s, v in ics.items()},
        keywords=tuple(sorted(keywords)),
        direction_industry=direction_industry,
        known_ics=frozenset(notation_of.values()),
    )
