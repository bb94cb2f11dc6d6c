"""Regressions found by fuzzing `nigraph import` (issue 8, item 3); each test holds its input inline."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from nigraph.catalogue.parse import read_catalogue
from nigraph.cli import cli

ROOT = Path(__file__).resolve().parents[2]


def _run(tmp_path: Path, name: str, data: bytes) -> tuple[int, str, Path]:
    src, out, errors = tmp_path / name, tmp_path / "out.ttl", tmp_path / "errors.txt"
    src.write_bytes(data)
    result = CliRunner().invoke(cli, ["import", "--root", str(ROOT), str(src), "--out", str(out), "--errors", str(errors)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output, errors


def test_unpaired_surrogate_from_json_escape_is_a_row_error(tmp_path: Path) -> None:
    """JSON "\\ud800" decodes to a lone surrogate, which UTF-8 cannot encode: writing the error
    report crashed with UnicodeEncodeError (exit 2, 'hint: run again with -v'). Now the row is
    rejected with a clear reason and the others are kept."""
    doc = '[{"标准号": "GB\\ud800 1-2020", "中文标准名称": "x"}, {"标准号": "GB/T 1-2020", "中文标准名称": "\\ud83d\\ude00 ok"},' \
          ' {"标准号": "GB/T 2-2020", "中文标准名称": "y\\udc00"}, {"\\ud800": "z", "标准号": "GB/T 3-2020", "中文标准名称": "w"}]'
    code, output, errors = _run(tmp_path, "c.json", doc.encode("utf-8"))
    assert code == 1
    report = errors.read_text(encoding="utf-8")
    assert ":1: GB\\ud800 1-2020: number contains an unpaired surrogate (U+D800)" in report
    assert ":3: GB/T 2-2020: title_zh contains an unpaired surrogate (U+DC00)" in report
    assert "GB/T 1-2020" in (tmp_path / "out.ttl").read_text(encoding="utf-8")
    assert "GB/T 3-2020" in (tmp_path / "out.ttl").read_text(encoding="utf-8")
    assert "ignored column(s): \\ud800" in output


def test_gbk_file_with_full_width_number_and_excel_quotes(tmp_path: Path) -> None:
    """A GBK catalogue as Excel saves it: quoted cells, CRLF, full-width number."""
    text = '"标准号","中文标准名称","发布日期","实施日期"\r\n"ＧＢ／Ｔ　３６２７６－２０２３","电力储能用锂离子电池, ""储能""","2023年12月28日","2024/7/1"\r\n'
    code, _, _ = _run(tmp_path, "c.csv", text.encode("gbk"))
    assert code == 0
    cat = read_catalogue(tmp_path / "c.csv")
    assert (cat.records[0].number, cat.records[0].title_zh) == ("GB/T 36276-2023", '电力储能用锂离子电池, "储能"')


def test_json_number_as_integer_is_a_row_error(tmp_path: Path) -> None:
    code, _, errors = _run(tmp_path, "c.json", json.dumps([{"标准号": 12345, "中文标准名称": "x"}]).encode())
    assert code == 1 and "'12345' has no known form" in errors.read_text(encoding="utf-8")
