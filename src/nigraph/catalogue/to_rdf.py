"""Catalogue records → RDF ``nig:Standard`` resources, and the whole import written atomically.

Each record gives ``nig:standardNumber``, ``dcterms:title`` and ``rdfs:label`` (``@zh``, ``@en``),
``nig:standardType``, ``nig:status``, ``dcterms:issued`` and ``nig:implementationDate``
(``xsd:date``), ``nig:icsCode``/``nig:icsClass``, ``nig:ccsCode``, ``nig:responsibleCommittee``,
``nig:adopts`` + ``nig:adoptionDegree``, ``nig:servesIndustry``/``nig:servesDirection`` (see
:mod:`nigraph.catalogue.sectors`), and, for a sample, ``nig:isSample true``. Each source address of a row becomes a
``nig:Source`` (``nid:source/web-<sha1 of the address>``) with ``nig:address`` that the standard is ``prov:wasDerivedFrom``.

>>> from nigraph.catalogue.parse import Record
>>> from nigraph.catalogue.sectors import SectorMap
>>> r = Record(line=2, number="GB/T 1.1-2020", stype="national-recommended", title_zh="标准化工作导则")
>>> sorted({q.predicate.value.rsplit("/", 1)[-1] for q in record_quads(r, SectorMap())})[:4]
['22-rdf-syntax-ns#type', 'rdf-schema#label', 'standardNumber', 'standardType']
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Triple, serialize

from .numbers import NumberRule
from .parse import Catalogue, Record, RowError, read_catalogue
from ..core.files import atomic_write
from ..core.iri import NIG, PREFIXES, mint, standard_key
from .sectors import SectorMap

__all__ = ["record_quads", "catalogue_quads", "ImportResult", "import_catalogue", "render_errors"]

_RDF_TYPE = NamedNode(PREFIXES["rdf"] + "type")
_LABEL = NamedNode(PREFIXES["rdfs"] + "label")
_TITLE = NamedNode(PREFIXES["dcterms"] + "title")
_ISSUED = NamedNode(PREFIXES["dcterms"] + "issued")
_DERIVED = NamedNode(PREFIXES["prov"] + "wasDerivedFrom")
_DATE = NamedNode(PREFIXES["xsd"] + "date")
_ANYURI = NamedNode(PREFIXES["xsd"] + "anyURI")
_BOOLEAN = NamedNode(PREFIXES["xsd"] + "boolean")


def _nig(local: str) -> NamedNode:
    return NamedNode(NIG + local)


_P = {name: _nig(name) for name in (
    "standardNumber", "standardType", "status", "implementationDate", "icsCode", "icsClass", "ccsCode",
    "responsibleCommittee", "adopts", "adoptionDegree", "servesIndustry", "servesDirection", "servesNode", "isSample",
    "address")}
_STANDARD = _nig("Standard")
_SOURCE = _nig("Source")


def record_quads(rec: Record, sectors: SectorMap, *, sample: bool = False,
                 described: frozenset[str] = frozenset()) -> list[Quad]:
    """The triples of one standard (in the default graph).

    :param rec: a checked record.
    :param sectors: the ICS and keyword rules.
    :param sample: add ``nig:isSample true``.
    :param described: numbers that have their own row in the catalogue: an adopted standard among
        them gets only the ``nig:adopts`` link here (its own row gives its labels; two would give it
        two ``@en`` labels, which the shapes reject).
    """
    s = mint("standard", rec.key)
    out = [Quad(s, _RDF_TYPE, _STANDARD), Quad(s, _P["standardNumber"], Literal(rec.number)),
           Quad(s, _P["standardType"], mint("standard-type", rec.stype))]
    if rec.title_zh:
        out += [Quad(s, _TITLE, Literal(rec.title_zh, language="zh")), Quad(s, _LABEL, Literal(rec.title_zh, language="zh"))]
    else:
        out.append(Quad(s, _LABEL, Literal(rec.number, language="zh")))
    if rec.title_en:
        out += [Quad(s, _TITLE, Literal(rec.title_en, language="en")),
                Quad(s, _LABEL, Literal(f"{rec.number} {rec.title_en}", language="en"))]
    else:
        out.append(Quad(s, _LABEL, Literal(rec.number, language="en")))
    if rec.status:
        out.append(Quad(s, _P["status"], mint("standard-status", rec.status)))
    if rec.issued:
        out.append(Quad(s, _ISSUED, Literal(rec.issued, datatype=_DATE)))
    if rec.implemented:
        out.append(Quad(s, _P["implementationDate"], Literal(rec.implemented, datatype=_DATE)))
    industries, directions, ics_class = sectors.classify(rec.ics, (rec.title_zh, rec.title_en))
    for code in rec.ics:
        out.append(Quad(s, _P["icsCode"], Literal(code)))
    for code in {c for c in (sectors.ics_class(c) for c in rec.ics) if c}:
        out.append(Quad(s, _P["icsClass"], mint("ics", code)))
    for code in rec.ccs:
        out.append(Quad(s, _P["ccsCode"], Literal(code)))
    if rec.committee:
        out.append(Quad(s, _P["responsibleCommittee"], Literal(rec.committee)))
    sources = [mint("source", "web-" + hashlib.sha1(a.encode("utf-8")).hexdigest()[:12]) for a in rec.sources]
    if rec.adopted and rec.adopted in described:
        adopted = mint("standard", standard_key(rec.adopted))
        out += [Quad(s, _P["adopts"], adopted), Quad(s, _P["adoptionDegree"], mint("adoption-degree", rec.degree or ""))]
    elif rec.adopted:
        adopted = mint("standard", standard_key(rec.adopted))
        out += [Quad(s, _P["adopts"], adopted), Quad(s, _P["adoptionDegree"], mint("adoption-degree", rec.degree or "")),
                Quad(adopted, _RDF_TYPE, _STANDARD), Quad(adopted, _P["standardNumber"], Literal(rec.adopted)),
                Quad(adopted, _P["standardType"], mint("standard-type", "international")),
                Quad(adopted, _LABEL, Literal(rec.adopted, language="en")),
                Quad(adopted, _LABEL, Literal(rec.adopted, language="zh"))]
        out += [Quad(adopted, _DERIVED, src) for src in sources]
    out += [Quad(s, _P["servesIndustry"], mint("industry", k)) for k in industries]
    out += [Quad(s, _P["servesDirection"], mint("direction", k)) for k in directions]
    out += [Quad(s, _P["servesNode"], mint("node", k)) for k in sectors.nodes((rec.title_zh, rec.title_en))]
    if sample:
        out.append(Quad(s, _P["isSample"], Literal("true", datatype=_BOOLEAN)))
    for address, src in zip(rec.sources, sources):
        out += [Quad(s, _DERIVED, src), Quad(src, _RDF_TYPE, _SOURCE),
                Quad(src, _P["address"], Literal(address, datatype=_ANYURI)),
                Quad(src, _LABEL, Literal("Public page a catalogue record was checked against", language="en")),
                Quad(src, _LABEL, Literal("核对标准目录记录所用的公开网页", language="zh"))]
    return out


def to_turtle(quads: Iterable[Quad]) -> str:
    """Deterministic Turtle of the standards: distinct triples sorted by subject, predicate and object,
    written by pyoxigraph's serializer (several times faster than :func:`nigraph.core.serialize.to_turtle`,
    which matters for catalogues of a million triples).

    >>> q = Quad(mint("standard", "GB_1-2020"), _P["standardNumber"], Literal("GB 1-2020"))
    >>> print(to_turtle([q, q]).splitlines()[-1])
    nid:standard\\/GB_1-2020 nig:standardNumber "GB 1-2020" .
    """
    return _serialize(_sorted_triples(quads))


def _sorted_triples(quads: Iterable[Quad]) -> list[Triple]:
    return sorted({Triple(q.subject, q.predicate, q.object) for q in quads},
                  key=lambda t: (t.subject.value, t.predicate.value, str(t.object)))


def _serialize(triples: list[Triple]) -> str:
    data = serialize(triples, format=RdfFormat.TURTLE, prefixes=dict(sorted(PREFIXES.items())))
    return data.decode("utf-8") if data else ""


def catalogue_quads(records: Iterable[Record], sectors: SectorMap, *, sample: bool = False) -> Iterator[Quad]:
    """The triples of many records, in order."""
    records = list(records)
    described = frozenset(r.number for r in records)
    for rec in records:
        yield from record_quads(rec, sectors, sample=sample, described=described)


@dataclass(frozen=True)
class ImportResult:
    """What an import did."""

    catalogue: Catalogue
    triples: int
    out: str | None

    @property
    def errors(self) -> list[RowError]:
        return self.catalogue.errors


def render_errors(cat: Catalogue, fmt: str = "text") -> str:
    """The error report: ``text`` (``file:line: reason``) or ``csv`` (file,line,number,reason).

    >>> c = Catalogue("a.csv", errors=[RowError(3, "no title", "GB 1-2020")])
    >>> render_errors(c)
    'a.csv:3: GB 1-2020: no title\\n'
    """
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["file", "line", "number", "reason"])
        for e in cat.errors:
            w.writerow([cat.path, e.line, e.number, e.reason])
        return buf.getvalue()
    return "".join(f"{cat.path}:{e.line}: " + (f"{e.number}: " if e.number else "") + f"{e.reason}\n" for e in cat.errors)


def import_catalogue(path: str | Path, sectors: SectorMap, *, out: str | Path | None = None,
                     errors_out: str | Path | None = None, mapping: dict[str, str] | None = None,
                     sample: bool = False,
                     progress: Callable[[Iterable[Record]], Iterable[Record]] | None = None,
                     display: str | None = None, rule: NumberRule | None = None) -> tuple[ImportResult, str]:
    """Read, check and convert a catalogue; write the Turtle (and the error report) atomically.

    :param path: the catalogue (``.csv`` or ``.json``).
    :param sectors: the mapping rules (:func:`nigraph.catalogue.sectors.load_sector_map`).
    :param out: the Turtle file; ``None`` returns the text instead of writing it.
    :param errors_out: where to write the error report (CSV if the name ends in ``.csv``, else text).
    :param progress: wraps the records to show progress (e.g. a click progress bar).
    :param rule: the standard-number rule (:func:`nigraph.catalogue.numbers.load_number_rule` of the project).
    :returns: the result and the Turtle text.
    :raises InputError: if the file cannot be used at all; nothing is written then.
    """
    cat = read_catalogue(path, mapping=mapping, display=display, rule=rule)
    records = progress(cat.records) if progress else cat.records
    triples = _sorted_triples(catalogue_quads(records, sectors, sample=sample))
    text = _serialize(triples)
    if errors_out is not None:
        fmt = "csv" if str(errors_out).lower().endswith(".csv") else "text"
        atomic_write(errors_out, render_errors(cat, fmt))
    if out is not None:
        atomic_write(out, text)
    return ImportResult(cat, len(triples), str(out) if out is not None else None), text

