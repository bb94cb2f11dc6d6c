"""Reading and checking catalogue rows (nigraph.catalogue.parse)."""

from __future__ import annotations

import re

import codecs
from pathlib import Path

import pytest

from nigraph.catalogue.parse import decode, load_mapping, parse_date, parse_number, read_catalogue, read_rows
from nigraph.core.errors import InputError

FIX = Path(__file__).parent / "fixtures" / "catalogue"


@pytest.mark.parametrize("text,number,stype", [
    ("GB 18030-2022", "GB 18030-2022", "national-mandatory"),
    ("GB/T 35273-2020", "GB/T 35273-2020", "national-recommended"),
    ("GB/Z 43202.2-2023", "GB/Z 43202.2-2023", "national-guidance"),
    ("GB/T35273-2020", "GB/T 35273-2020", "national-recommended"),
    ("ＧＢ／Ｔ　３５２７３－２０２０", "GB/T 35273-2020", "national-recommended"),
    ("GB/T 35273—2020", "GB/T 35273-2020", "national-recommended"),
    ("GB/T 13745-92", "GB/T 13745-92", "national-recommended"),
    ("YD/T 3627-2019", "YD/T 3627-2019", "industry"),
    ("QC/T 1022-2015", "QC/T 1022-2015", "industry"),
    ("NB/T 10000-2023", "NB/T 10000-2023", "industry"),
    ("SJ/T 11000-2020", "SJ/T 11000-2020", "industry"),
    ("DB11/T 1000-2020", "DB11/T 1000-2020", "local"),
    ("T/CSAE 53-2017", "T/CSAE 53-2017", "group"),
    ("Q/GDW 1-2020", "Q/GDW 1-2020", "enterprise"),
    ("ISO 8373:2021", "ISO 8373:2021", "international"),
    ("IEC 62660-1:2018", "IEC 62660-1:2018", "international"),
    ("ISO/IEC 27001:2022", "ISO/IEC 27001:2022", "international"),
    ("ISO/TR 23482-2:2019", "ISO/TR 23482-2:2019", "international"),
    ("ITU-T Y.3172", "ITU-T Y.3172", "international"),
])
def test_number_gives_type(text: str, number: str, stype: str) -> None:
    assert parse_number(text) == (number, stype)


@pytest.mark.parametrize("text", ["", "XX 12", "GB", "GB/T", "GB 1", "12345", "GB/T 1-20201", "T/ 1-2020",
                                  "ISO 8373:21", "GB/T 1-2020 extra", "DB/T 1-2020"])
def test_bad_numbers_are_refused(text: str) -> None:
    """Refused either for want of a known prefix or by the shapes' rule (StandardShape-number-matches-type)."""
    records, errors = read_rows([{"标准号": text, "中文标准名称": "标准"}], source="x.json")
    assert records == [] and len(errors) == 1
    assert re.search(r"no standard number|no known form|does not fit its type", errors[0].reason), errors[0].reason


@pytest.mark.parametrize("text,iso", [("2020-03-06", "2020-03-06"), ("2020/3/6", "2020-03-06"), ("2020.03.06", "2020-03-06"),
                                      ("2020年3月6日", "2020-03-06"), ("20200306", "2020-03-06"), ("２０２０－０３－０６", "2020-03-06")])
def test_dates(text: str, iso: str) -> None:
    assert parse_date(text, "issue date") == iso


@pytest.mark.parametrize("text", ["2023-02-29", "2023-13-01", "2023-00-10", "2023-04-31", "0000-01-01"])
def test_impossible_dates(text: str) -> None:
    with pytest.raises(ValueError, match="not a real date"):
        parse_date(text, "issue date")


def test_mixed_file_keeps_valid_rows_and_reports_each_bad_line() -> None:
    cat = read_catalogue(FIX / "mixed.csv")
    assert [r.number for r in cat.records] == ["GB/T 36276-2023", "GB/T 12643-2013", "GB/T 3-2023"]
    reasons = {e.line: e.reason for e in cat.errors}
    assert sorted(reasons) == [3, 4, 6, 7, 8, 10]
    assert "'XX 12' does not fit its type industry" in reasons[3]
    assert "before the issue date" in reasons[4]
    assert "contradicts the number" in reasons[6]
    assert "duplicate of line 2" in reasons[7]
    assert "not a real date" in reasons[8]
    assert "not an international standard" in reasons[10]
    quoted = cat.records[2]
    assert quoted.title_zh == '人形机器人 术语, "引号"与逗号'
    assert quoted.ics == ("25.040.30", "35.240") and quoted.status == "upcoming"
    assert (quoted.adopted, quoted.degree) == ("ISO 8373:2021", "MOD")
    assert cat.records[1].line == 5  # line numbers are the file's, header = line 1


def test_english_json_and_bad_items() -> None:
    cat = read_catalogue(FIX / "english.json")
    assert [(r.number, r.stype, r.status) for r in cat.records] == [
        ("IEC 62660-1:2018", "international", "in-force"), ("GB 44240-2024", "national-mandatory", "upcoming")]
    assert cat.records[0].ics == ("29.220.20", "43.120")
    assert [e.line for e in cat.errors] == [3, 4]
    assert "not an object" in cat.errors[1].reason


def test_mapping_file_names_unknown_headers() -> None:
    mapping = load_mapping(FIX / "mapping.json")
    cat = read_catalogue(FIX / "custom-headers.csv", mapping=mapping)
    assert [r.number for r in cat.records] == ["GB/T 42565-2023"] and not cat.errors
    assert cat.unmapped_headers == ["Remark"]
    with pytest.raises(InputError, match="no standard-number column"):
        read_catalogue(FIX / "custom-headers.csv")


def test_bad_mapping_files(tmp_path: Path) -> None:
    bad = tmp_path / "m.json"
    bad.write_text('{"A": "numbr"}', encoding="utf-8")
    with pytest.raises(InputError, match="unknown field"):
        load_mapping(bad)
    bad.write_text('["A"]', encoding="utf-8")
    with pytest.raises(InputError, match="JSON object"):
        load_mapping(bad)
    bad.write_text('{"A": ', encoding="utf-8")
    with pytest.raises(InputError, match=r"m.json:1:\d+: mapping is not JSON"):
        load_mapping(bad)


@pytest.mark.parametrize("encoding,bom", [("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("gbk", b""), ("gb18030", b""),
                                          ("utf-16-le", codecs.BOM_UTF16_LE)])
def test_encodings(tmp_path: Path, encoding: str, bom: bytes) -> None:
    text = (FIX / "mixed.csv").read_text(encoding="utf-8").replace("—", "-")
    f = tmp_path / "c.csv"
    f.write_bytes(bom + text.encode(encoding))
    cat = read_catalogue(f)
    assert len(cat.records) == 3 and len(cat.errors) == 6


def test_undecodable_file_names_its_line(tmp_path: Path) -> None:
    f = tmp_path / "c.csv"
    f.write_bytes("标准号\nGB 1-2020\n".encode("utf-8") + b"\xff\xfe\xff\n")
    with pytest.raises(InputError, match=r"c.csv:3: not UTF-8 or GB18030"):
        read_catalogue(f)
    assert decode("a,b\n".encode("gbk"), "x") == "a,b\n"


@pytest.mark.parametrize("name,content,message", [
    ("c.csv", b"", "file is empty"), ("c.csv", b"  \n\n", "file is empty"), ("c.xlsx", b"PK", "unknown catalogue format"),
    ("c.json", b"{", "not JSON"), ("c.json", b'{"a": 1}', "list of objects"),
    ("c.csv", b'\xe6\xa0\x87\xe5\x87\x86\xe5\x8f\xb7\n"GB 1-2020\n', "not a readable CSV"),
])
def test_unusable_files(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    f = tmp_path / name
    f.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_catalogue(f)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        read_catalogue(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="is a directory"):
        read_catalogue(tmp_path)


def test_row_level_rules() -> None:
    rows = [
        {"标准号": "ISO 8373:2021", "英文标准名称": "Robotics — Vocabulary"},
        {"标准号": "GB/T 1-2020", "英文标准名称": "only English"},
        {"标准号": "GB/T 2-2020", "中文标准名称": "有控制字符\x07"},
        {"标准号": "GB/T 3-2020", "中文标准名称": "采标程度缺失", "采用国际标准": "ISO 1:2020"},
        {"标准号": "GB/T 4-2020", "中文标准名称": "只有采标程度", "采标程度": "IDT"},
        {"标准号": "GB/T 5-2020", "中文标准名称": "合在一格", "采用国际标准": "ISO 8373:2012,IDT"},
        {"标准号": "GB/T 6-2020", "中文标准名称": "状态未知", "标准状态": "草案"},
        {"标准号": "GB/T 7-2020", "中文标准名称": "来源不是网址", "来源": "somewhere"},
        {"标准号": "GB/T 8-2020", "中文标准名称": "ICS 错", "ICS": "35.24"},
        {"标准号": "GB/T 9-2020", "中文标准名称": "中文采标程度", "采用国际标准": "ISO 2:2020", "采标程度": "等同采用"},
    ]
    recs, errs = read_rows(rows, source="t.json")
    assert [r.number for r in recs] == ["ISO 8373:2021", "GB/T 5-2020", "GB/T 9-2020"]
    assert (recs[1].adopted, recs[1].degree, recs[2].degree) == ("ISO 8373:2012", "IDT", "IDT")
    assert [e.line for e in errs] == [2, 3, 4, 5, 7, 8, 9]
    assert "U+0007" in errs[1].reason and "no degree of adoption" in errs[2].reason


def test_json_values_of_other_types() -> None:
    recs, errs = read_rows([{"标准号": "GB/T 1-2020", "中文标准名称": {"a": 1}}], source="t.json")
    assert not recs and "holds a dict" in errs[0].reason


def test_sample_catalogue_reads_cleanly() -> None:
    cat = read_catalogue(Path(__file__).parent.parent / "data" / "sample-catalogue.csv")
    assert not cat.errors and len(cat.records) >= 20
    assert all(r.sources and all(a.startswith(("http://", "https://")) for a in r.sources) for r in cat.records)
    assert all(r.title_zh for r in cat.records if r.stype != "international")
    assert all(r.issued or r.implemented for r in cat.records)  # every sample standard has a checked date
    types = {r.stype for r in cat.records}
    assert {"national-mandatory", "national-recommended", "national-guidance", "industry", "group", "international"} <= types
