"""Coverage figures (nigraph.coverage.figures) and the report directory (nigraph.coverage.page, `nigraph report`)."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner

from nigraph.cli import cli
from nigraph.coverage.figures import compute_coverage
from nigraph.coverage.page import cjk_font, render_report
from nigraph.core.load import load_files, project_files
from nigraph.core.store import build_store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def store() -> pyoxigraph.Store:
    s = pyoxigraph.Store()
    s.extend(load_files(project_files(ROOT), ROOT))
    return s


@pytest.fixture(scope="module")
def cov(store):
    return compute_coverage(store)


def test_counts_of_the_sample(cov) -> None:
    assert (cov.standards, cov.samples) == (31, 28)  # 28 sample rows + 3 international standards they adopt
    assert cov.serving == 28
    assert len(cov.industries) == 17 and [t.key for t in cov.types] == [
        "national-mandatory", "national-recommended", "national-guidance", "industry", "local", "group", "enterprise",
        "international"]
    assert cov.matrix[("E01", "national-mandatory")] == 2
    assert cov.matrix[("F09", "national-mandatory")] == cov.matrix[("F09", "national-recommended")] == 1
    assert cov.matrix[("E05", "group")] == cov.matrix[("E05", "international")] == 1
    assert sum(cov.matrix.values()) == 33  # issue 14 added GB/T 45288.1-2025 (E01), GB/T 18366-2001 (E01, E08), GB/T 16158-1996 (E08)
    assert cov.matrix[("E01", "industry")] == 2 and cov.matrix[("E01", "group")] == 1
    assert cov.matrix[("F01", "national-recommended")] == 2 and cov.matrix[("F09", "group")] == 1
    assert [i.key for i in cov.empty_industries] == ["F02", "F04", "F06", "F08"]


def test_targets_of_2025(cov) -> None:
    by = {t.target.key: t for t in cov.targets}
    assert sorted(by) == ["2025-10", "2025-11", "2025-3", "2025-5", "2025-6", "2025-8"]
    assert cov.window == ("2023-08-03", "2025-12-31")
    # GB 44240-2024, GB/T 36276-2023, GB/Z 43202.2-2023, GB/T 44220-2024, GB/T 20871.12-2024, YD/T 4541-2023,
    # GB/T 45288.1-2025; not counted for want of an issue date: GB 45438-2025, GB/T 42565-2023
    assert (by["2025-5"].reached, by["2025-5"].value, round(by["2025-5"].percent, 2)) == (7.0, 2000.0, 0.35)
    assert "2 without an issue date not counted" in by["2025-5"].how
    assert by["2025-6"].reached == 0.0 and by["2025-10"].reached == 1.0  # ISO/IEC 42001:2023
    assert round(by["2025-11"].reached, 1) == 60.0 and "3 of 5" in by["2025-11"].how
    assert by["2025-3"].reached is None and by["2025-8"].reached is None and by["2025-8"].percent is None


def test_canned_query_and_own_query_agree_on_the_sample(store, cov) -> None:
    with_canned = compute_coverage(store, root=ROOT)
    assert [(t.target.key, t.reached) for t in with_canned.targets] == [(t.target.key, t.reached) for t in cov.targets]
    assert "canned query target-progress" in {t.target.key: t for t in with_canned.targets}["2025-5"].how


def test_directions(cov) -> None:
    assert [(d.direction.key, d.standards) for d in cov.directions if d.standards] == [("F03-2", 1)]
    assert len(cov.empty_directions) == 7 and cov.empty_directions[0].industry == "F03"


def test_values_enter_queries_only_as_bound_terms() -> None:
    from nigraph.coverage import figures as coverage

    for text in coverage.QUERIES.values():
        assert "{" in text and "%" not in text and "{}" not in text


def test_report_directory_is_complete_deterministic_and_replaced_whole(cov, tmp_path: Path) -> None:
    out = tmp_path / "report"
    files = render_report(cov, out)
    assert files == ["directions.png", "directions.svg", "heatmap.png", "heatmap.svg", "index.html", "targets.png", "targets.svg"]
    for name in files:
        data = (out / name).read_bytes()
        if name.endswith(".png"):
            assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000
        elif name.endswith(".svg"):
            assert ET.fromstring(data).tag.endswith("svg")
    page = (out / "index.html").read_text(encoding="utf-8")
    body = page.split("<body>")[1]
    assert "<script" not in page and "<link" not in page and "http" not in body  # self-contained
    for name in files[:-1]:
        assert f'"{name}"' in page or name.endswith(".png") is False
    assert "新能源汽车" in page and "0.3 %" in page and "F04-5" in page and "sample catalogue" in page
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    (out / "stale.txt").write_text("old file")
    render_report(cov, out)
    second = {p.name: p.read_bytes() for p in out.iterdir()}
    assert sorted(second) == files
    assert first == second
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_labels_with_markup_are_escaped(store, tmp_path: Path) -> None:
    s = pyoxigraph.Store()
    s.extend(store)
    ind = pyoxigraph.NamedNode("https://w3id.org/nigraph/id/industry/E03")
    label = pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    s.remove(next(q for q in s.quads_for_pattern(ind, label, None) if q.object.language == "en"))
    s.add(pyoxigraph.Quad(ind, label, pyoxigraph.Literal('<script>alert("x")</script> & <b>', language="en")))
    from nigraph.coverage.page import _html

    page = _html(compute_coverage(s), cjk=True)
    assert "<script>" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;" in page


def test_cjk_font_is_installed_in_ci() -> None:
    import os

    if os.environ.get("CI", "").lower() in ("", "0", "false", "no") and cjk_font() is None:
        pytest.skip("no CJK font here (CI installs fonts-noto-cjk)")
    assert cjk_font() is not None


def test_report_cli(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["report", "--help"])
    assert result.exit_code == 0 and "heatmap" in result.output and "Exit status" in result.output
    r = subprocess.run([sys.executable, "-c", "from nigraph.cli import main; main()", "report", "--store",
                        str(tmp_path / "none"), "--out", str(tmp_path / "r")], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "no store here" in r.stderr and "Traceback" not in r.stderr
    store_dir = tmp_path / "store"
    build_store(load_files(project_files(ROOT), ROOT), store_dir)
    r = subprocess.run([sys.executable, "-c", "from nigraph.cli import main; main()", "report", "--root", str(ROOT),
                        "--store", str(store_dir), "--out", str(tmp_path / "r")], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "31 standards, 7 of 8 directions without a standard" in r.stdout
    assert (tmp_path / "r" / "index.html").exists()
