"""Coverage figures (nigraph.coverage.figures) and the report directory (nigraph.coverage.page, `nigraph report`)."""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner

from nigraph.cli import cli
from nigraph.build.cube import build_cube
from nigraph.core.errors import NigraphError
from nigraph.coverage.figures import compute_coverage
from nigraph.query.run import find_query, run_query
from nigraph.coverage.page import _html, cjk_font, render_report
from nigraph.core.load import load_files, project_files
from nigraph.core.store import build_store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def store() -> pyoxigraph.Store:
    """As `nigraph build` makes it: the project's graphs and the cube."""
    quads = [q for q in load_files(project_files(ROOT), ROOT) if "/graph/shapes/" not in q.graph_name.value]
    s = pyoxigraph.Store()
    s.extend(quads + build_cube(quads, ROOT))
    return s


@pytest.fixture(scope="module")
def cov(store):
    return compute_coverage(store, root=ROOT)


def _canned(store, query_id: str, **bindings) -> list[dict]:
    result = run_query(find_query(ROOT, query_id).text, store=store, bindings=bindings)
    return [dict(zip(result.columns, row)) for row in result.rows]


def test_counts_of_the_sample(cov) -> None:
    assert (cov.standards, cov.samples) == (200, 190)  # 190 sample rows + 10 international standards they adopt
    assert cov.serving == 190
    assert len(cov.industries) == 17 and [t.key for t in cov.types] == [
        "national", "industry", "local", "group", "enterprise", "international"]
    with open(ROOT / "tests" / "queries" / "expected" / "standards-by-industry-and-type.csv", encoding="utf-8") as fh:
        pinned = {(r["notation"], r["type"].rsplit("/", 1)[-1]): int(r["standards"]) for r in csv.DictReader(fh)}
    # 29 before issue 14 added GB/T 45288.1-2025 (E01), GB/T 18366-2001 (E01, E08) and GB/T 16158-1996 (E08);
    # 33 before issue 14's growth; + 61 for the 60 E01-E04 rows (GB/T 47032-2026 also serves F09), + 64 for the 61
    # E05-E08 rows (GB 15097-2016, GB/T 43551-2023, ISO 24060-2:2023 serve two), + 62 for the 41 F01-F09 rows and the
    # two standards they adopt, + 3 for the fuel-cell vehicle rows that the E02 rule 燃料电池 also files under E02
    assert cov.matrix == pinned and sum(cov.matrix.values()) == 223
    assert [i.key for i in cov.empty_industries] == []


def test_targets_of_2025(cov) -> None:
    by = {t.target.key: t for t in cov.targets}
    assert sorted(by) == ["2025-10", "2025-11", "2025-3", "2025-5", "2025-6", "2025-8"]
    assert cov.window == ("2023-08-03", "2025-12-31")
    # GB 44240-2024, GB/T 36276-2023, GB/Z 43202.2-2023, GB/T 44220-2024, GB/T 20871.12-2024, YD/T 4541-2023,
    # GB/T 45288.1-2025 and 30 of the rows added by issue 14 (tests/queries/test_queries.py, progress-by-year):
    # 37 of 2,000 = 1.85 %, written rounded half up to one decimal
    assert (by["2025-5"].reached, by["2025-5"].value, by["2025-5"].percent) == (37.0, 2000.0, 1.9)
    assert "canned query target-progress" in by["2025-5"].how
    # T/ZSA 170-2023, T/CIECCPA 041-2023, T/ZSA 207-2023, T/AOPA 0056.1-2024, T/CSAC 023-2025;
    # ISO/IEC 42001:2023, ISO 21384-3:2023, ISO 24060-2:2023, ISO/IEC 23837-1:2023, ISO 20688-2:2024
    assert by["2025-6"].reached == 5.0 and by["2025-10"].reached == 5.0
    # the nine adopted of 32 (tests/queries/test_queries.py, adopted-international-standards); not ISO 8373:2012,
    # whose only adopter is withdrawn
    assert by["2025-11"].reached == 28.1 and by["2025-11"].percent is None and "9 of 32" in by["2025-11"].how
    assert by["2025-3"].reached is None and by["2025-8"].reached is None and by["2025-8"].percent is None


def test_the_report_figures_are_the_canned_queries_answers(store, cov) -> None:
    """One definition per figure: each number of the report is a value of a canned query."""
    totals = _canned(store, "catalogue-totals")[0]
    assert (cov.standards, cov.serving, cov.samples) == (totals["standards"], totals["serving"], totals["samples"])
    matrix = {(r["notation"], r["type"].rsplit("/", 1)[-1]): r["standards"] for r in _canned(store, "standards-by-industry-and-type")}
    assert cov.matrix == matrix
    by = {t.target.iri: t for t in cov.targets}
    for r in _canned(store, "target-progress"):
        assert (by[r["target"]].reached, by[r["target"]].percent) == (r["standards"], float(r["percent"]))
    rate = _canned(store, "international-conversion-rate")[0]
    assert by[rate["target"]].reached == float(rate["percent"])
    assert [(d.direction.iri, d.standards) for d in cov.directions] == [
        (r["direction"], r["standards"]) for r in _canned(store, "standards-per-direction")]
    assert sorted((p.target, str(p.date.year), p.standards, p.percent) for p in cov.progress) == sorted(
        (r["target"], r["year"], r["standards"], float(r["percent"])) for r in _canned(store, "progress-by-year"))


def test_as_of_a_date(store) -> None:
    cov = compute_coverage(store, root=ROOT, as_of=dt.date(2024, 6, 30))
    by = {t.target.key: t for t in cov.targets}
    # GB/T 36276-2023, GB/Z 43202.2-2023, YD/T 4541-2023, GB/T 20871.12-2024, GB/T 43056-2023, GB/T 43536.1-2023,
    # GB/T 32151.10-2023, GB/T 43551-2023, GB/T 20234.1-2023, MH/T 2015-2024, GB/T 42831-2023, GB/T 43868-2024,
    # GB/T 20871.61-2024 (GB 44240-2024 and GB/T 44220-2024 were issued on 2024-07-24, the other 2024 rows later)
    assert by["2025-5"].reached == 13.0 and "target-progress-on-date" in by["2025-5"].how
    assert cov.window == ("2023-08-03", "2024-06-30")
    assert max(p.date for p in cov.progress) == dt.date(2024, 6, 30)


def test_directions(cov) -> None:
    assert [(d.direction.key, d.standards) for d in cov.directions if d.standards] == [("F03-2", 1)]
    assert len(cov.empty_directions) == 7 and cov.empty_directions[0].industry == "F03"


def test_values_enter_queries_only_as_bound_terms() -> None:
    from nigraph.coverage import figures as coverage

    for text in coverage.QUERIES.values():
        assert "{" in text and "%" not in text and "{}" not in text


def test_a_store_without_the_cube_is_refused(tmp_path: Path) -> None:
    s = pyoxigraph.Store()
    s.extend(load_files(project_files(ROOT), ROOT))
    with pytest.raises(NigraphError, match="no coverage statistics"):
        compute_coverage(s, root=ROOT)


def test_report_directory_is_complete_deterministic_and_replaced_whole(cov, tmp_path: Path) -> None:
    out = tmp_path / "report"
    files = render_report(cov, out)
    assert files == ["directions.png", "directions.svg", "frameworks.png", "frameworks.svg", "heatmap.png",
                     "heatmap.svg", "index.html", "progress.png", "progress.svg", "targets.png", "targets.svg"]
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
    assert "新能源汽车" in page and "1.9 %" in page and "F04-5" in page and "sample catalogue" in page
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    (out / "stale.txt").write_text("old file")
    render_report(cov, out)
    second = {p.name: p.read_bytes() for p in out.iterdir()}
    assert sorted(second) == files
    assert first == second
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


#: Framework nodes per industry, counted by hand in data/sectors/*.ttl (the nig:FrameworkNode of every
#: skos:ConceptScheme with nig:forIndustry): E01 has the AI guides of 2020 (44) and 2024 (12); F05 the 2024 one.
FRAMEWORK_NODES = {"E01": 56, "E03": 3, "E04": 3, "E05": 4, "E06": 4, "E07": 5, "F04": 10, "F05": 12, "F07": 5}
#: Industries with a sector document but no framework known (data/sectors/new-energy.ttl, ships-marine-equipment.ttl,
#: metaverse.ttl, brain-computer-interfaces.ttl, new-energy-storage.ttl).
DOCUMENT_ONLY = {"E02", "E08", "F01", "F02", "F09"}


def _served_nodes(store) -> dict[str, set[str]]:
    """Recounted here, without the canned queries: framework → nodes a standard serves directly or below."""
    skos = "http://www.w3.org/2004/02/skos/core#"
    nig = "https://w3id.org/nigraph/def/"
    broader: dict[str, set[str]] = {}
    scheme: dict[str, str] = {}
    for q in store.quads_for_pattern(None, pyoxigraph.NamedNode(skos + "broader"), None):
        broader.setdefault(q.subject.value, set()).add(q.object.value)
    for q in store.quads_for_pattern(None, pyoxigraph.NamedNode(skos + "inScheme"), None):
        scheme[q.subject.value] = q.object.value
    out: dict[str, set[str]] = {}
    for q in store.quads_for_pattern(None, pyoxigraph.NamedNode(nig + "servesNode"), None):
        todo = [q.object.value]
        while todo:
            node = todo.pop()
            if node not in out.setdefault(scheme[node], set()):
                out[scheme[node]].add(node)
                todo += broader.get(node, ())
    return out


def test_a_landscape_section_per_industry(store, cov) -> None:
    """Each of the 17 industries has its section: framework trees with the right node counts, or a pointer to the notes."""
    assert [r.industry.key for r in cov.landscape] == [i.key for i in cov.industries] and len(cov.landscape) == 17
    served = _served_nodes(store)
    for r in cov.landscape:
        assert r.nodes == FRAMEWORK_NODES.get(r.industry.key, 0), r.industry.key
        assert sum(len(f.nodes) for f in r.frameworks) == r.nodes
        covered = {n.node.iri for f in r.frameworks for n in f.nodes if n.covered}
        assert covered == set().union(*(served.get(f.scheme.iri, set()) for f in r.frameworks))
        assert r.covered == len(covered)
        for f in r.frameworks:
            assert all((n.with_narrower > 0) == n.covered and n.direct <= n.with_narrower for n in f.nodes)
            assert f.nodes[0].depth == 0 and all(b.depth <= a.depth + 1 for a, b in zip(f.nodes, f.nodes[1:]))
        assert (r.percent is None) == (r.nodes == 0)
        assert (r.documents > 0) == (r.industry.key in FRAMEWORK_NODES or r.industry.key in DOCUMENT_ONLY)
    page = _html(cov, cjk=True)
    for r in cov.landscape:
        section = page.split(f'<section class="industry" id="industry-{r.industry.key}">')[1].split("</section>")[0]
        if r.frameworks:
            assert f"{r.nodes} framework nodes, {r.covered} covered" in section
            assert section.count('<li class="covered">') + section.count('<li class="gap">') == r.nodes
            assert section.count('<li class="covered">') == r.covered
        else:
            assert "docs/data-notes.md" in section and "<li" not in section
            assert ("no framework is known" in section) == (r.industry.key in DOCUMENT_ONLY)
            assert ("Industries without a sector document" in section) == (r.documents == 0)


def test_the_landscape_is_the_canned_queries_answers(store, cov) -> None:
    """framework-coverage-by-industry, standards-per-framework-node and framework-nodes-without-standard."""
    rows = {r["notation"]: r for r in _canned(store, "framework-coverage-by-industry")}
    for r in cov.landscape:
        c = rows[r.industry.key]
        assert (r.documents, r.nodes, r.covered) == (c["documents"], c["nodes"], c["covered"])
        assert r.percent == (None if c["percent"] is None else float(c["percent"]))
        gaps = {g["node"] for g in _canned(store, "framework-nodes-without-standard",
                                            industry=pyoxigraph.NamedNode(r.industry.iri))}
        assert gaps == {n.node.iri for f in r.frameworks for n in f.nodes if not n.covered}
        for f in r.frameworks:
            per_node = {n["node"]: (n["direct"], n["with_narrower"]) for n in _canned(
                store, "standards-per-framework-node", framework=pyoxigraph.NamedNode(f.scheme.iri))}
            assert per_node == {n.node.iri: (n.direct, n.with_narrower) for n in f.nodes}


def test_labels_with_markup_are_escaped(store, tmp_path: Path) -> None:
    s = pyoxigraph.Store()
    s.extend(store)
    ind = pyoxigraph.NamedNode("https://w3id.org/nigraph/id/industry/E03")
    label = pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    s.remove(next(q for q in s.quads_for_pattern(ind, label, None) if q.object.language == "en"))
    s.add(pyoxigraph.Quad(ind, label, pyoxigraph.Literal('<script>alert("x")</script> & <b>', language="en")))
    from nigraph.coverage.page import _html

    page = _html(compute_coverage(s, root=ROOT), cjk=True)
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
    quads = load_files(project_files(ROOT), ROOT)
    build_store(quads + build_cube(quads, ROOT), store_dir)
    r = subprocess.run([sys.executable, "-c", "from nigraph.cli import main; main()", "report", "--root", str(ROOT),
                        "--store", str(store_dir), "--out", str(tmp_path / "r")], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "200 standards, 7 of 8 directions without a standard" in r.stdout
    assert (tmp_path / "r" / "index.html").exists()


def test_pictures_do_not_mislead(store, cov, tmp_path: Path) -> None:
    """Zero is written, not drawn as a sliver; no-data is a labelled empty bar; percentages are written."""
    # As of 2023-08-30 no group standard of the sample is issued yet, so 2025-6 is at 0 % (today none is);
    # 2025-5 has GB/T 42831-2023 (1 of 2,000 = 0.05 → 0.1 %), 2025-10 ISO/IEC 42001:2023 (1 of 300 → 0.3 %)
    early = compute_coverage(store, root=ROOT, as_of=dt.date(2023, 8, 30))
    render_report(early, tmp_path / "early")
    targets = (tmp_path / "early" / "targets.svg").read_text(encoding="utf-8")
    assert targets.count("no data") >= 2 * 2  # 2025-3 and 2025-8: in the bar and beside it
    assert "0.0 %" in targets and "0.1 %" in targets and "0.3 %" in targets and "28.1 %" in targets  # 2025-6, -5, -10, -11
    out = tmp_path / "r"
    render_report(cov, out)
    targets = (out / "targets.svg").read_text(encoding="utf-8")
    assert targets.count("no data") >= 2 * 2  # 2025-3 and 2025-8: in the bar and beside it
    assert "1.9 %" in targets and "1.7 %" in targets and "28.1 %" in targets  # 2025-5, 2025-6 and 2025-10, 2025-11
    directions = (out / "directions.svg").read_text(encoding="utf-8")
    assert directions.count("0 — no standard") == 7
    frameworks = (out / "frameworks.svg").read_text(encoding="utf-8")
    assert frameworks.count("no framework") == sum(1 for r in cov.landscape if r.percent is None)
    assert all(f"{r.covered} of {r.nodes} nodes ({r.percent:.1f} %)" in frameworks for r in cov.landscape if r.nodes)
    # the zero bars are not drawn: only F03-2's bar (1 standard) is a bar patch in the directions chart
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    from nigraph.coverage import page

    class Spy:
        bars: list = []

        @staticmethod
        def subplots(**kw):  # noqa: ANN003, ANN205
            fig = Figure(**kw)
            ax = fig.add_subplot()
            real = ax.barh

            def barh(y, width, **k):  # noqa: ANN001, ANN003, ANN202
                Spy.bars.append((y, width))
                return real(y, width, **k)

            ax.barh = barh
            return fig, ax

        close = staticmethod(lambda fig: None)

        @staticmethod
        def get_cmap(name):  # noqa: ANN001, ANN205
            return matplotlib.colormaps[name]

    Spy.bars = []
    page._directions(Spy, cov, tmp_path, cjk=False)
    assert Spy.bars == [(1, 1)]  # F03-2 (row 1), one standard; the seven zeros draw nothing
    Spy.bars = []
    page._targets(Spy, cov, tmp_path, cjk=False)
    widths = [w for _, w in Spy.bars]
    assert 1.9 in widths and 1.7 in widths and 28.1 in widths  # 2025-5; 2025-6 and 2025-10; 2025-11
    Spy.bars = []
    page._targets(Spy, early, tmp_path, cjk=False)
    widths = [w for _, w in Spy.bars]
    assert 0.0 not in widths and widths  # 2025-6's 0 % (as of 2023-08-30) draws no sliver


def test_chinese_labels_are_in_the_svg(cov, tmp_path: Path) -> None:
    if cjk_font() is None:
        pytest.skip("no CJK font here (CI installs fonts-noto-cjk)")
    render_report(cov, tmp_path / "r")
    for name, words in (("targets", "新制定国家标准和行业标准2000项以上"), ("progress", "达标所需进度"),
                        ("heatmap", "各产业各类型标准数量"), ("directions", "标准化方向的标准覆盖"),
                        ("frameworks", "各产业标准体系框架的标准覆盖")):
        svg = (tmp_path / "r" / f"{name}.svg").read_text(encoding="utf-8")
        assert words in svg, name
        assert "Noto" in svg or "WenQuanYi" in svg or "Source Han" in svg or "AR PL" in svg or "Droid" in svg


def test_the_cjk_font_is_found_without_the_cache(monkeypatch) -> None:
    """An empty font cache (as when it predates the CJK font) does not hide the font: the files are searched."""
    from matplotlib import font_manager

    monkeypatch.setattr(font_manager.fontManager, "ttflist", [f for f in font_manager.fontManager.ttflist
                                                              if "CJK" not in f.name])
    found = cjk_font()
    if found is None:
        pytest.skip("no CJK font here (CI installs fonts-noto-cjk)")
    assert Path(found[1]).is_file() and any(f.name == found[0] for f in font_manager.fontManager.ttflist)


def test_report_as_of_cli(store, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    build_store(list(store), store_dir)
    r = subprocess.run([sys.executable, "-c", "from nigraph.cli import main; main()", "report", "--root", str(ROOT),
                        "--store", str(store_dir), "--out", str(tmp_path / "r"), "--as-of", "2024-06-30"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    page = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert "2025 targets on 2024-06-30" in page and "target-progress-on-date" in page
    r = subprocess.run([sys.executable, "-c", "from nigraph.cli import main; main()", "report", "--root", str(ROOT),
                        "--store", str(store_dir), "--out", str(tmp_path / "r"), "--as-of", "30/06/2024"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "Traceback" not in r.stderr
