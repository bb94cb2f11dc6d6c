"""One catalogue flow (issue 17, item 1): import → build --catalogue → report, query include it.

The two catalogue rows below are synthetic (made-up numbers 99001 and 99002), written for this test.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CSV = """标准号,中文标准名称,英文标准名称,标准状态,发布日期,ICS
="GB/T 99001-2024",合成测试标准 一,Synthetic test standard one,现行,2024-05-01,35.240
T/CESA 99002-2024,合成测试标准 二,Synthetic test standard two,现行,2024-06-01,35.240
"""


def run(*args: str) -> subprocess.CompletedProcess[str]:
    code = "from nigraph.cli import main; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`nigraph import my.csv --out cat.ttl`, then `nigraph build --catalogue cat.ttl`."""
    tmp = tmp_path_factory.mktemp("flow")
    (tmp / "my.csv").write_text(CSV, encoding="utf-8")
    r = run("import", "--root", str(ROOT), str(tmp / "my.csv"), "--out", str(tmp / "cat.ttl"))
    assert r.returncode == 0, r.stderr
    r = run("build", "--root", str(ROOT), "--out", str(tmp / "dist"), "--catalogue", str(tmp / "cat.ttl"))
    assert r.returncode == 0, r.stderr
    return tmp


def test_report_includes_the_catalogue(built: Path) -> None:
    r = run("report", "--root", str(ROOT), "--store", str(built / "dist" / "store"), "--out", str(built / "report"))
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("202 standards")  # the sample's 200 and the two imported
    page = (built / "report" / "index.html").read_text(encoding="utf-8")
    assert "202 standards in the store" in page


def test_query_includes_the_catalogue(built: Path) -> None:
    r = run("query", "--root", str(ROOT), "catalogue-totals", "--store", str(built / "dist" / "store"), "--format", "csv")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[1] == "202,192,190"  # the sample: 200 standards, 190 serving an industry, 190 samples; +2 imported, both serving
    r = run("query", "--root", str(ROOT), "target-progress", "--store", str(built / "dist" / "store"), "--format", "csv")
    # 2025-5 counts the GB/T issued 2024-05-01 (37 of the sample, tests/queries/test_queries.py's progress-by-year, + 1);
    # 2025-6 the group standard (5 + 1); 2025-10 the sample's 5 international standards (none imported)
    assert [line.split(",")[-5] for line in r.stdout.splitlines()[1:]] == ["38", "6", "5"]


def test_the_catalogue_has_its_own_graph(built: Path) -> None:
    import pyoxigraph

    store = pyoxigraph.Store.read_only(str(built / "dist" / "store"))
    graphs = {g.value for g in store.named_graphs()}
    assert "https://w3id.org/nigraph/graph/catalogue/cat.ttl" in graphs
    assert "https://w3id.org/nigraph/graph/cube" in graphs


def test_a_csv_catalogue_builds_directly(tmp_path: Path) -> None:
    (tmp_path / "my.csv").write_text(CSV, encoding="utf-8")
    r = run("build", "--root", str(ROOT), "--out", str(tmp_path / "dist"), "--catalogue", str(tmp_path / "my.csv"))
    assert r.returncode == 0, r.stderr
    r = run("query", "--root", str(ROOT), "catalogue-totals", "--store", str(tmp_path / "dist" / "store"), "--format", "csv")
    assert r.stdout.splitlines()[1] == "202,192,190"  # the sample: 200 standards, 190 serving an industry, 190 samples; +2 imported, both serving


def test_a_rejected_row_stops_the_build_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_text(CSV + "XYZ 123-2020,坏标准号,Bad number,现行,2020-01-01,\n", encoding="utf-8")
    r = run("build", "--root", str(ROOT), "--out", str(tmp_path / "dist"), "--catalogue", str(tmp_path / "bad.csv"))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert f"{tmp_path / 'bad.csv'}:4: XYZ 123-2020: standard number 'XYZ 123-2020' does not fit its type industry" in r.stderr
    assert not (tmp_path / "dist").exists()


@pytest.mark.parametrize("name,message", [("x.xlsx", "unknown catalogue format '.xlsx'"), ("missing.csv", "no such catalogue file")])
def test_unusable_catalogue_files(tmp_path: Path, name: str, message: str) -> None:
    if name.endswith(".xlsx"):
        (tmp_path / name).write_bytes(b"PK")
    r = run("build", "--root", str(ROOT), "--out", str(tmp_path / "dist"), "--catalogue", str(tmp_path / name))
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr
