"""Read a catalogue of standards (CSV or JSON) into checked records, one per valid row.

A catalogue has one row per standard. Its columns are found by their header, in Chinese or
English (:data:`HEADERS`), or through a mapping file (``{"my header": "number", ...}``, the
values being :data:`FIELDS`). Each row becomes a :class:`Record` or a :class:`RowError` with
its line number and reason; a broken row never stops the others. Text is read as UTF-8 (with
or without BOM), UTF-16 with BOM, or GB18030 (a superset of GBK), in that order.

Numbers, codes, dates and statuses are NFKC-normalised first, so full-width ``ＧＢ／Ｔ　１``
reads as ``GB/T 1``; titles are kept as written.

>>> recs, errs = read_rows([{"标准号": "GB/T 1.1-2020", "中文标准名称": "标准化工作导则", "发布日期": "2020-03-31",
...                          "实施日期": "2020-10-01", "标准状态": "现行"}], source="x.json")
>>> recs[0].number, recs[0].stype, recs[0].status, recs[0].implemented, errs
('GB/T 1.1-2020', 'national-recommended', 'in-force', '2020-10-01', [])
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import InputError
from ..core.iri import mint, standard_key
from .numbers import NumberRule, default_rule, guess_type

__all__ = ["FIELDS", "HEADERS", "Record", "RowError", "Catalogue", "read_catalogue", "read_rows",
           "parse_number", "normalize_number", "excel_text", "parse_date", "load_mapping", "decode"]

#: The fields a row can have; ``number`` is required.
FIELDS: tuple[str, ...] = ("number", "title_zh", "title_en", "nature", "status", "issued", "implemented",
                           "ics", "ccs", "committee", "adopted", "degree", "source")

#: Header → field. Headers are compared after NFKC, trimming and lower-casing.
HEADERS: dict[str, str] = {
    "标准号": "number", "标准编号": "number", "number": "number", "standard number": "number",
    "standard no.": "number", "standard no": "number", "standard id": "number",
    "中文标准名称": "title_zh", "标准名称": "title_zh", "中文名称": "title_zh", "chinese title": "title_zh",
    "title (zh)": "title_zh", "title_zh": "title_zh",
    "英文标准名称": "title_en", "英文名称": "title_en", "english title": "title_en", "title": "title_en",
    "title (en)": "title_en", "title_en": "title_en",
    "标准性质": "nature", "nature": "nature",
    "标准状态": "status", "状态": "status", "status": "status",
    "发布日期": "issued", "issue date": "issued", "date of issue": "issued", "issued": "issued",
    "实施日期": "implemented", "implementation date": "implemented", "date of implementation": "implemented",
    "implemented": "implemented",
    "ics": "ics", "国际标准分类号": "ics", "ics code": "ics",
    "ccs": "ccs", "中国标准分类号": "ccs", "ccs code": "ccs",
    "归口单位": "committee", "技术归口": "committee", "responsible committee": "committee", "committee": "committee",
    "采用国际标准": "adopted", "adopted international standard": "adopted", "adopted": "adopted",
    "采标程度": "degree", "degree of adoption": "degree", "adoption degree": "degree", "degree": "degree",
    "来源": "source", "source": "source",
}

_PREFIX_SPACE = re.compile(r"^(GB/T|GB/Z|GB|DB\d{2}/T|DB\d{2}|T/[A-Z][A-Z0-9]+|Q/[A-Za-z0-9]+|"
                           r"ISO/IEC|ISO|IEC|ITU-T|[A-Z]{2,3}/T|[A-Z]{2,3}/Z|[A-Z]{2,3})\s*(?=[A-Z]?\d)")
_NATURE = {"强制性": "mandatory", "强制": "mandatory", "mandatory": "mandatory",
           "推荐性": "recommended", "推荐": "recommended", "recommended": "recommended",
           "指导性": "guidance", "指导性技术文件": "guidance", "guidance": "guidance"}
_NATURE_OF_TYPE = {"national-mandatory": "mandatory", "national-recommended": "recommended",
                   "national-guidance": "guidance"}
_STATUS = {"现行": "in-force", "现行有效": "in-force", "有效": "in-force", "in force": "in-force", "current": "in-force",
           "valid": "in-force", "active": "in-force",
           "即将实施": "upcoming", "upcoming": "upcoming", "to be implemented": "upcoming", "not yet in force": "upcoming",
           "废止": "withdrawn", "作废": "withdrawn", "被代替": "withdrawn", "withdrawn": "withdrawn",
           "abolished": "withdrawn", "obsolete": "withdrawn", "superseded": "withdrawn", "replaced": "withdrawn"}
_DEGREE = {"IDT": "IDT", "MOD": "MOD", "NEQ": "NEQ", "等同": "IDT", "等同采用": "IDT", "修改": "MOD",
           "修改采用": "MOD", "非等效": "NEQ", "非等效采用": "NEQ"}
_DATE_FORMS = (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
               re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"), re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"),
               re.compile(r"(\d{4})(\d{2})(\d{2})"))
_ICS = re.compile(r"\d{2}(?:\.\d{3}(?:\.\d{2})?)?")
_CCS = re.compile(r"[A-Z]\d{2}")
_SPLIT = re.compile(r"[;,、\s]+")
_BAD_CHAR = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# Excel writes a cell it must keep as text (so that "GB/T 1.1-2020" is not read as a date) as
# the formula ="GB/T 1.1-2020", with inner quotes doubled.
_EXCEL_TEXT = re.compile(r'\s*="((?:[^"]|"")*)"\s*', re.S)
#: What a number of each type looks like, for messages (the rule itself is the shapes').
_FORM_HINT = {
    "national-mandatory": "GB nnnn-yyyy", "national-recommended": "GB/T nnnn-yyyy",
    "national-guidance": "GB/Z nnnn-yyyy",
    "industry": "a two-letter sector code with /T, e.g. YD/T 3627-2019",
    "local": "DBnn or DBnn/T nnnn-yyyy", "group": "T/<group code> nnnn-yyyy", "enterprise": "Q/<code> nnnn-yyyy",
    "international": "ISO, IEC or ISO/IEC nnnn[:yyyy], ISO/TR …, or ITU-T X.nnn",
}
_ADDRESS = re.compile(r"https?://[^\s<>\"{}|\\^`]+")


@dataclass(frozen=True)
class Record:
    """One valid catalogue row, normalised.

    :param line: the row's line in the file (CSV) or its 1-based position (JSON).
    :param stype: standard-type key, e.g. ``"national-recommended"`` (follows from the number).
    :param status: ``"in-force"``, ``"upcoming"``, ``"withdrawn"`` or ``None``.
    :param issued: ISO date or ``None``; likewise ``implemented``.
    """

    line: int
    number: str
    stype: str
    title_zh: str | None = None
    title_en: str | None = None
    status: str | None = None
    issued: str | None = None
    implemented: str | None = None
    ics: tuple[str, ...] = ()
    ccs: tuple[str, ...] = ()
    committee: str | None = None
    adopted: str | None = None
    degree: str | None = None
    sources: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The IRI key, :func:`nigraph.core.iri.standard_key` of the number."""
        return standard_key(self.number)


@dataclass(frozen=True)
class RowError:
    """A row that was left out, and why."""

    line: int
    reason: str
    number: str = ""


@dataclass
class Catalogue:
    """What :func:`read_catalogue` found: the valid records and the rejected rows."""

    path: str
    records: list[Record] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    unmapped_headers: list[str] = field(default_factory=list)


class _RowProblem(ValueError):
    pass


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _safe(text: str) -> str:
    """Text that can be written as UTF-8: unpaired surrogates (from JSON escapes) become ``\\udxxx``."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _header_key(text: str) -> str:
    return _norm(text.lstrip("\ufeff")).lower()


def normalize_number(text: str) -> str:
    """A standard number as nigraph writes it: NFKC, single spaces, ASCII hyphens, a space after the prefix.

    >>> normalize_number("ＧＢ／Ｔ３２９６０．１－２０１６"), normalize_number("GB/T35273—2020")
    ('GB/T 32960.1-2016', 'GB/T 35273-2020')
    """
    number = _norm(text).replace("—", "-").replace("–", "-").replace("－", "-")
    return _PREFIX_SPACE.sub(lambda m: m.group(1) + " ", number, count=1)


def parse_number(text: str) -> tuple[str, str]:
    """Normalise a standard number and guess its type from its prefix.

    Only a guess: whether the whole number fits that type is for the shapes to say
    (:class:`nigraph.catalogue.numbers.NumberRule`), which :func:`read_rows` asks for every row.

    :param text: the number as found, e.g. ``"ＧＢ／Ｔ３２９６０．１－２０１６"``.
    :returns: ``(number, standard-type key)``.
    :raises ValueError: if no type has a number of that prefix.

    >>> parse_number("ＧＢ／Ｔ３２９６０．１－２０１６")
    ('GB/T 32960.1-2016', 'national-recommended')
    >>> parse_number("YD/T 3627-2019")[1], parse_number("T/CSAE 53-2020")[1], parse_number("ISO/IEC 27001:2022")[1]
    ('industry', 'group', 'international')
    >>> parse_number("12")
    Traceback (most recent call last):
    ...
    ValueError: standard number '12' has no known form (e.g. GB/T 1.1-2020, YD/T 3627-2019, T/CSAE 53-2020, ISO 8373:2021)
    """
    number = normalize_number(text)
    stype = guess_type(number)
    if stype is None:
        raise ValueError(f"standard number {number!r} has no known form "
                         "(e.g. GB/T 1.1-2020, YD/T 3627-2019, T/CSAE 53-2020, ISO 8373:2021)")
    mint("standard", standard_key(number))  # the IRI policy has the last word
    return number, stype


def parse_date(text: str, what: str) -> str:
    """Read a date in one of the forms catalogues use; return it as ``YYYY-MM-DD``.

    :raises ValueError: for an unknown form or an impossible date.

    >>> parse_date("2020年3月6日", "issue date"), parse_date("2020/10/01", "x"), parse_date("20201001", "x")
    ('2020-03-06', '2020-10-01', '2020-10-01')
    >>> parse_date("2023-02-30", "issue date")
    Traceback (most recent call last):
    ...
    ValueError: issue date '2023-02-30' is not a real date (day is out of range for month)
    """
    value = _norm(text)
    for form in _DATE_FORMS:
        m = form.fullmatch(value)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
            except ValueError as exc:
                raise ValueError(f"{what} {value!r} is not a real date ({exc})") from None
    raise ValueError(f"{what} {value!r} is not a date (use YYYY-MM-DD)")


def excel_text(value: str) -> str:
    """The text of an Excel text formula cell (``="GB/T 1.1-2020"``); any other value unchanged.

    >>> excel_text('="GB/T 1.1-2020"'), excel_text('="a""b"'), excel_text("GB 1-2020")
    ('GB/T 1.1-2020', 'a"b', 'GB 1-2020')
    """
    m = _EXCEL_TEXT.fullmatch(value)
    return m[1].replace('""', '"') if m else value


def _text(value: str, what: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    bad = _BAD_CHAR.search(value)
    if bad:
        raise _RowProblem(f"{what} contains the control character U+{ord(bad.group()):04X}")
    return value


def _codes(value: str, pattern: re.Pattern[str], what: str) -> tuple[str, ...]:
    out = []
    for code in _SPLIT.split(_norm(value)):
        if not code:
            continue
        if not pattern.fullmatch(code):
            raise _RowProblem(f"{what} {code!r} is not a code of the form {pattern.pattern}")
        if code not in out:
            out.append(code)
    return tuple(out)


def _adoption(adopted: str, degree: str) -> tuple[str | None, str | None]:
    adopted, degree = _norm(adopted), _norm(degree).upper() if degree.isascii() else _norm(degree)
    if adopted and not degree:  # "ISO 8373:2012, IDT" in one cell
        m = re.fullmatch(r"(.+?)[,,;\s]+(IDT|MOD|NEQ)", adopted, flags=re.IGNORECASE)
        if m:
            adopted, degree = m[1].strip(), m[2].upper()
    if not adopted and not degree:
        return None, None
    if not adopted:
        raise _RowProblem(f"degree of adoption {degree!r} is given but no adopted international standard")
    try:
        number, stype = parse_number(adopted)
    except ValueError as exc:
        raise _RowProblem(f"adopted standard: {exc}") from None
    if stype != "international":
        raise _RowProblem(f"adopted standard {number!r} is not an international standard (ISO, IEC, ITU-T)")
    if not degree:
        raise _RowProblem(f"adopted standard {number!r} has no degree of adoption (IDT, MOD or NEQ)")
    if degree not in _DEGREE:
        raise _RowProblem(f"degree of adoption {degree!r} is not IDT, MOD or NEQ")
    return number, _DEGREE[degree]


def _record(line: int, row: Mapping[str, str]) -> Record:
    raw_number = row.get("number", "").strip()
    if not raw_number:
        raise _RowProblem("no standard number")
    try:
        number, stype = parse_number(raw_number)
    except ValueError as exc:
        raise _RowProblem(str(exc)) from None
    nature = _norm(row.get("nature", "")).lower()
    if nature:
        if nature not in _NATURE:
            raise _RowProblem(f"nature {nature!r} is not mandatory, recommended or guidance (强制性/推荐性/指导性)")
        expected = _NATURE_OF_TYPE.get(stype)
        if expected and expected != _NATURE[nature]:
            raise _RowProblem(f"nature {nature!r} contradicts the number {number!r} (which is {expected})")
    status = _norm(row.get("status", "")).lower()
    if status and status not in _STATUS:
        raise _RowProblem(f"status {status!r} is not 现行/即将实施/废止 (in force/upcoming/withdrawn)")
    try:
        issued = parse_date(row["issued"], "issue date") if _norm(row.get("issued", "")) else None
        implemented = parse_date(row["implemented"], "implementation date") if _norm(row.get("implemented", "")) else None
    except ValueError as exc:
        raise _RowProblem(str(exc)) from None
    if issued and implemented and implemented < issued:
        raise _RowProblem(f"implementation date {implemented} is before the issue date {issued}")
    title_zh = _text(row.get("title_zh", ""), "Chinese title")
    title_en = _text(row.get("title_en", ""), "English title")
    if not title_zh and not title_en:
        raise _RowProblem("no title (neither Chinese nor English)")
    if not title_zh and stype != "international":
        raise _RowProblem(f"no Chinese title for the Chinese standard {number!r}")
    adopted, degree = _adoption(row.get("adopted", ""), row.get("degree", ""))
    if adopted == number:
        raise _RowProblem(f"{number!r} adopts itself")
    sources = tuple((_text(row.get("source", ""), "source") or "").split())
    for address in sources:
        if not _ADDRESS.fullmatch(address):
            raise _RowProblem(f"source {address!r} is not a web address (http:// or https://)")
    return Record(
        line=line, number=number, stype=stype, title_zh=title_zh, title_en=title_en,
        status=_STATUS.get(status), issued=issued, implemented=implemented,
        ics=_codes(row.get("ics", ""), _ICS, "ICS code"), ccs=_codes(row.get("ccs", ""), _CCS, "CCS code"),
        committee=_text(row.get("committee", ""), "responsible committee"),
        adopted=adopted, degree=degree, sources=sources,
    )


def read_rows(rows: Iterable[tuple[int, Mapping[str, object]] | Mapping[str, object]], *, source: str,
              mapping: Mapping[str, str] | None = None,
              rule: NumberRule | None = None) -> tuple[list[Record], list[RowError]]:
    """Check rows given as header → value dicts (optionally with their line numbers).

    Duplicated numbers: the first row wins, later ones are errors naming the first line. Every
    number (and adopted number) is then checked with the shapes' rule, all at once.

    :param rows: dicts, or ``(line, dict)`` pairs; without lines, rows count from 1.
    :param source: the file name, for messages.
    :param mapping: header → field, tried before :data:`HEADERS`.
    :param rule: the standard-number rule (default: :func:`~nigraph.catalogue.numbers.default_rule`,
        this project's ``shapes/standard.ttl``).
    :returns: ``(records, errors)``, both in file order.
    """
    columns = {**HEADERS, **{_header_key(k): v for k, v in (mapping or {}).items()}}
    records: list[Record] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(rows, start=1):
        line, raw = item if isinstance(item, tuple) else (i, item)
        fields: dict[str, str] = {}
        problem = None
        for header, value in raw.items():
            name = columns.get(_header_key(str(header)))
            if name is None:
                continue
            if isinstance(value, list) and name in ("ics", "ccs") and all(isinstance(v, str) for v in value):
                value = ";".join(value)
            if value is None:
                value = ""
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                value = str(value)
            if not isinstance(value, str):
                problem = f"field {header!r} holds a {type(value).__name__}, not text"
                break
            fields[name] = fields.get(name, "") or excel_text(value)
        number = _safe(fields.get("number", "").strip())
        if problem is None:
            for name, value in fields.items():
                if _SURROGATE.search(value):
                    problem = f"{name} contains an unpaired surrogate (U+{ord(_SURROGATE.search(value).group()):04X})"
                    break
        try:
            if problem:
                raise _RowProblem(problem)
            rec = _record(line, fields)
            if rec.number in seen:
                raise _RowProblem(f"duplicate of line {seen[rec.number]} (same number {rec.number!r})")
        except _RowProblem as exc:
            errors.append(RowError(line, str(exc), number[:80]))
            continue
        seen[rec.number] = line
        records.append(rec)
    return _check_numbers(records, errors, rule or default_rule())


def _check_numbers(records: list[Record], errors: list[RowError], rule: NumberRule) -> tuple[list[Record], list[RowError]]:
    """Move the records whose number (or adopted number) the shapes reject to the errors."""
    pairs = {(r.number, r.stype) for r in records} | {(r.adopted, "international") for r in records if r.adopted}
    bad = rule.rejected(pairs)
    if not bad:
        return records, errors
    kept = []
    where = f"rule: {rule.source}, StandardShape-number-matches-type"
    for r in records:
        if (r.number, r.stype) in bad:
            reason = f"standard number {r.number!r} does not fit its type {r.stype} (write {_FORM_HINT.get(r.stype, '?')}; {where})"
        elif r.adopted and (r.adopted, "international") in bad:
            reason = (f"adopted standard {r.adopted!r} is not a valid international standard number "
                      f"(write {_FORM_HINT['international']}; {where})")
        else:
            kept.append(r)
            continue
        errors.append(RowError(r.line, reason, r.number[:80]))
    return kept, sorted(errors, key=lambda e: e.line)


def decode(data: bytes, path: str) -> str:
    """Decode a catalogue file: UTF-8 (BOM or not), UTF-16 with BOM, else GB18030.

    :raises InputError: if no encoding fits; the message gives the line of the first bad byte.

    >>> decode("标准号\\n".encode("gbk"), "a.csv")
    '标准号\\n'
    >>> decode(codecs.BOM_UTF8 + b"a", "a.csv")
    'a'
    """
    if data.startswith(codecs.BOM_UTF8):
        encodings = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8", "gb18030")
    first: UnicodeDecodeError | None = None
    for enc in encodings:
        try:
            return data.decode(enc)
        except UnicodeDecodeError as exc:
            first = first or exc
    assert first is not None
    line = data[: first.start].count(b"\n") + 1
    raise InputError(path, line, None, f"not UTF-8 or GB18030 (GBK) text: byte 0x{data[first.start]:02x} cannot be decoded")


def load_mapping(path: str | Path) -> dict[str, str]:
    """Read a column mapping file: a JSON object ``{"catalogue header": "field", ...}``.

    :raises InputError: if the file is unreadable, not such an object, or names an unknown field.
    """
    path = Path(path)
    try:
        doc = json.loads(decode(path.read_bytes(), str(path)))
    except OSError as exc:
        raise InputError(path, None, None, f"cannot read mapping: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise InputError(path, exc.lineno, exc.colno, f"mapping is not JSON: {exc.msg}") from None
    if not isinstance(doc, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in doc.items()):
        raise InputError(path, None, None, 'mapping must be a JSON object {"header": "field", ...}')
    unknown = sorted(set(doc.values()) - set(FIELDS))
    if unknown:
        raise InputError(path, None, None, f"unknown field(s) {', '.join(unknown)}; fields are {', '.join(FIELDS)}")
    return doc


def _csv_rows(text: str, path: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise InputError(path, 1, None, "no header row")
        rows = []
        start = reader.line_num + 1
        for values in reader:
            line, start = start, reader.line_num + 1
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header) and any(v.strip() for v in values[len(header):]):
                rows.append((line, {"\0extra": f"{len(values)} cells for {len(header)} columns"}))
                continue
            rows.append((line, dict(zip(header, values))))
    except csv.Error as exc:
        raise InputError(path, reader.line_num or 1, None, f"not a readable CSV file: {exc}") from None
    return header, rows


def read_catalogue(path: str | Path, *, mapping: Mapping[str, str] | None = None,
                   display: str | None = None, rule: NumberRule | None = None) -> Catalogue:
    """Read and check a whole catalogue file (``.csv``, ``.tsv``, ``.txt`` or ``.json``).

    :param path: the file.
    :param mapping: extra header → field pairs (see :func:`load_mapping`).
    :param display: the name to use in messages (default: ``path`` as given).
    :param rule: the standard-number rule (see :func:`read_rows`).
    :returns: the valid records and the row errors.
    :raises InputError: if the file cannot be used at all (missing, undecodable, no number column).
    """
    path = Path(path)
    name = display or str(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError(name, None, None, "is a directory, not a catalogue file") from None
    except OSError as exc:
        raise InputError(name, None, None, f"cannot read: {exc.strerror}") from None
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".tsv", ".txt", ".json"):
        raise InputError(name, None, None, f"unknown catalogue format {suffix or '(none)'!r}: use .csv or .json")
    text = decode(data, name)
    if not text.strip():
        raise InputError(name, None, None, "file is empty")
    columns = {**HEADERS, **{_header_key(k): v for k, v in (mapping or {}).items()}}
    if suffix == ".json":
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(name, exc.lineno, exc.colno, f"not JSON: {exc.msg}") from None
        items = doc.get("standards") if isinstance(doc, dict) else doc
        if not isinstance(items, list):
            raise InputError(name, None, None, 'JSON catalogue must be a list of objects or {"standards": [...]}')
        rows: list[tuple[int, dict]] = []
        headers: set[str] = set()
        for i, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                rows.append((i, {"\0extra": f"item is a {type(item).__name__}, not an object"}))
                continue
            headers.update(str(k) for k in item)
            rows.append((i, item))
        header = sorted(headers)
    else:
        header, rows = _csv_rows(text, name)
    fields = {columns.get(_header_key(h)) for h in header}
    if "number" not in fields and rows:
        raise InputError(name, 1, None, "no standard-number column (标准号 / Standard number); "
                         "name it in a --mapping file")
    cat = Catalogue(name, unmapped_headers=[_safe(h) for h in header if columns.get(_header_key(h)) is None])
    good, bad = read_rows(((line, row) for line, row in rows if "\0extra" not in row), source=name, mapping=mapping,
                          rule=rule)
    broken = [RowError(line, row["\0extra"]) for line, row in rows if "\0extra" in row]
    cat.records = good
    cat.errors = sorted(bad + broken, key=lambda e: e.line)
    return cat
