"""Fuzzing `nigraph import` with Hypothesis (issue 8, item 3, catalogue rows).

Properties: a clear one-line message per rejected row (``file:line: reason``), the documented
exit status (0 all rows good, 1 some rejected, 2 unusable file), never a traceback, never a
partial or stray output file, and every valid row of a mixed file kept. Examples Hypothesis
found are pinned in tests/regressions/test_issue_8_import.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import tempfile
from pathlib import Path

import pyoxigraph
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nigraph.cli import cli

ROOT = Path(__file__).resolve().parent.parent
NUMBER = pyoxigraph.NamedNode("https://w3id.org/nigraph/def/standardNumber")
SETTINGS = settings(max_examples=int(os.environ.get("NIGRAPH_FUZZ_EXAMPLES", "25")), deadline=None, suppress_health_check=[HealthCheck.too_slow])

PREFIXES = {"GB": "强制性", "GB/T": "推荐性", "GB/Z": "指导性", "YD/T": "", "QC/T": "", "SJ/T": "", "NB/T": "",
            "T/CSAE": "", "DB11/T": "", "Q/ABC": ""}
HEADERS = {
    "zh": ["标准号", "中文标准名称", "英文标准名称", "标准性质", "标准状态", "发布日期", "实施日期", "ICS", "CCS", "归口单位", "采用国际标准", "采标程度"],
    "en": ["Standard number", "Chinese title", "English title", "Nature", "Status", "Issue date", "Implementation date", "ICS", "CCS",
           "Responsible committee", "Adopted international standard", "Degree of adoption"],
}
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=24).filter(lambda s: s.strip() != "")


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in text)


def date_text(d: dt.date, form: int) -> str:
    return [d.isoformat(), f"{d.year}/{d.month}/{d.day}", f"{d.year}年{d.month}月{d.day}日", d.strftime("%Y%m%d")][form]


@st.composite
def valid_rows(draw: st.DrawFn) -> dict:
    prefix = draw(st.sampled_from(sorted(PREFIXES)))
    number = f"{prefix} {draw(st.integers(1, 99999))}-{draw(st.integers(1990, 2030))}"
    issued = draw(st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)))
    implemented = issued + dt.timedelta(days=draw(st.integers(0, 400)))
    form = draw(st.integers(0, 3))
    adopted = draw(st.sampled_from(["", "ISO 8373:2021", "IEC 62660-1:2018", "ISO/IEC 27001:2022"]))
    return {
        "number": full_width(number) if draw(st.booleans()) else number, "key": number,
        "title_zh": draw(TEXT), "title_en": draw(st.one_of(st.just(""), TEXT)),
        "nature": draw(st.sampled_from(["", PREFIXES[prefix]])),
        "status": draw(st.sampled_from(["", "现行", "即将实施", "废止", "in force", "withdrawn", "Upcoming"])),
        "issued": date_text(issued, form), "implemented": date_text(implemented, form),
        "ics": ";".join(draw(st.lists(st.sampled_from(["35.240", "43.120", "27.160", "29.220.20", "13.040"]), max_size=2))),
        "ccs": draw(st.sampled_from(["", "L70", "T47"])), "committee": draw(st.one_of(st.just(""), TEXT)),
        "adopted": adopted, "degree": draw(st.sampled_from(["IDT", "MOD", "NEQ"])) if adopted else "",
    }


BREAKERS = ("bad-number", "impossible-date", "implementation-before-issue", "control-char", "nature", "duplicate", "no-title")


@st.composite
def invalid_rows(draw: st.DrawFn, valid: list[dict]) -> dict:
    row = dict(draw(valid_rows()))
    kind = draw(st.sampled_from(BREAKERS if valid else BREAKERS[:-2]))
    if kind == "bad-number":
        row["number"] = draw(st.sampled_from(["XX 12", "GB", "12345", "GB/T", "GB/T 1-20201"])) + draw(st.sampled_from(["", " x"]))
    elif kind == "impossible-date":
        row["issued"] = draw(st.sampled_from(["2023-02-30", "2021-02-29", "2023-13-01", "2023-04-31", "2023/00/10"]))
    elif kind == "implementation-before-issue":
        row["issued"], row["implemented"] = "2024-05-01", "2024-04-30"
    elif kind == "control-char":
        row["title_zh"] = row["title_zh"] + draw(st.sampled_from(["\x00", "\x07", "\x1b", "\x7f"]))
    elif kind == "nature":
        row["number"] = row["key"] = f"GB/T {draw(st.integers(1, 99999))}-2020"
        row["nature"] = "强制性"
    elif kind == "duplicate":
        row["number"] = row["key"] = draw(st.sampled_from(valid))["key"]
        row["nature"] = ""  # the copy's own nature might contradict the number it takes over
        row["kind"] = "duplicate"
    elif kind == "no-title":
        row["title_zh"] = " "
    return row


@st.composite
def catalogues(draw: st.DrawFn) -> tuple[bytes, str, list[str], list[int]]:
    valid = draw(st.lists(valid_rows(), min_size=0, max_size=6, unique_by=lambda r: r["key"]))
    rows = [(r, True) for r in valid]
    for _ in range(draw(st.integers(0, 5))):
        bad = draw(invalid_rows(valid))
        rows.append((bad, bad.get("kind") == "duplicate"))  # a duplicate's content is valid; its order decides
    rows = draw(st.permutations(rows))
    seen: set[str] = set()
    expected_ok = []
    for r, content_ok in rows:
        ok = content_ok and r["key"] not in seen
        if ok:
            seen.add(r["key"])
        expected_ok.append(ok)
    lang = draw(st.sampled_from(["zh", "en"]))
    buf = io.StringIO()
    w = csv.writer(buf, quoting=draw(st.sampled_from([csv.QUOTE_ALL, csv.QUOTE_MINIMAL])),
                   lineterminator=draw(st.sampled_from(["\r\n", "\n"])))
    w.writerow(HEADERS[lang])
    for r, _ in rows:
        w.writerow([r["number"], r["title_zh"], r["title_en"], r["nature"], r["status"], r["issued"], r["implemented"],
                    r["ics"], r["ccs"], r["committee"], r["adopted"], r["degree"]])
    text = buf.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gbk"]))
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        encoding, data = "utf-8", text.encode("utf-8")
    kept = sorted(seen)
    bad_lines = [i + 2 for i, ok in enumerate(expected_ok) if not ok]
    return data, encoding, kept, bad_lines


def _import(path: Path, out: Path, errors: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["import", "--root", str(ROOT), str(path), "--out", str(out), "--errors", str(errors)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@SETTINGS
@given(catalogues())
def test_mixed_catalogue_properties(case: tuple[bytes, str, list[str], list[int]]) -> None:
    data, encoding, kept, bad_lines = case
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        (d / "in").mkdir()
        src, out, errors = d / "in" / "cat.csv", d / "out.ttl", d / "errors.txt"
        src.write_bytes(data)
        code, output = _import(src, out, errors)
        assert code == (1 if bad_lines else 0), output
        store = pyoxigraph.Store()
        store.load(path=str(out), format=pyoxigraph.RdfFormat.TURTLE)
        numbers = sorted(q.object.value for q in store.quads_for_pattern(None, NUMBER, None)
                         if "standard/ISO" not in q.subject.value and "standard/IEC" not in q.subject.value)
        assert numbers == kept
        report = errors.read_text(encoding="utf-8").splitlines()
        assert [int(re.match(rf"{re.escape(str(src))}:(\d+): ", ln).group(1)) for ln in report] == bad_lines
        assert sorted(p.name for p in d.iterdir()) == ["errors.txt", "in", "out.ttl"]


@SETTINGS
@given(st.binary(max_size=400), st.sampled_from(["cat.csv", "cat.json", "cat.tsv"]))
def test_arbitrary_bytes_never_crash(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        src, out, errors = d / name, d / "out.ttl", d / "errors.txt"
        src.write_bytes(data)
        out.write_bytes(b"previous output\n")
        code, output = _import(src, out, errors)
        assert code in (0, 1, 2)
        if code == 2:
            assert out.read_bytes() == b"previous output\n" and not errors.exists()
            assert output.startswith("error: ") and output.count("\n") == 1
        else:
            pyoxigraph.Store().load(path=str(out), format=pyoxigraph.RdfFormat.TURTLE)
        assert sorted(p.name for p in d.iterdir() if p.name.startswith(".")) == []


ANY_TEXT = st.text(st.characters(), max_size=16)  # unpaired surrogates too: JSON "\\ud800" escapes make them
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT | ANY_TEXT,
                    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(
                        ["标准号", "number", "中文标准名称", "ICS", "采用国际标准", "发布日期", "x"]) | ANY_TEXT, children, max_size=5),
                    max_leaves=12)


@SETTINGS
@given(JSON)
def test_arbitrary_json_never_crashes(doc: object) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        src = d / "cat.json"
        src.write_text(json.dumps(doc), encoding="utf-8")  # ASCII escapes keep unpaired surrogates
        code, _ = _import(src, d / "out.ttl", d / "errors.txt")
        assert code in (0, 1, 2)
