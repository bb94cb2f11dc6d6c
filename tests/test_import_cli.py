"""`nigraph import`: outputs, error report, exit status, progress bar."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner

from nigraph.cli import cli

ROOT = Path(__file__).resolve().parent.parent
FIX = Path(__file__).parent / "fixtures" / "catalogue"
NIG = "https://w3id.org/nigraph/def/"
NID = "https://w3id.org/nigraph/id/"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    code = "from nigraph.cli import main; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300)


def graph(path: Path) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    return store


def values(store: pyoxigraph.Store, subject: str, prop: str) -> set[str]:
    return {q.object.value for q in store.quads_for_pattern(pyoxigraph.NamedNode(subject), pyoxigraph.NamedNode(prop), None)}


def test_help_documents_columns_and_exit_status() -> None:
    result = CliRunner().invoke(cli, ["import", "--help"])
    assert result.exit_code == 0
    for word in ("标准号", "--mapping", "--out", "--errors", "--progress", "Exit status", "rows were rejected"):
        assert word in result.output


def test_sample_catalogue_import_matches_committed_turtle(tmp_path: Path) -> None:
    out = tmp_path / "sample.ttl"
    result = CliRunner().invoke(cli, ["import", "--root", str(ROOT), str(ROOT / "data" / "sample-catalogue.csv"),
                                      "--sample", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == (ROOT / "data" / "sample-catalogue.ttl").read_bytes(), \
        "data/sample-catalogue.ttl is stale: run `nigraph import data/sample-catalogue.csv --sample --out data/sample-catalogue.ttl`"


def test_imported_standard_has_the_model_properties(tmp_path: Path) -> None:
    out = tmp_path / "c.ttl"
    r = run("import", "--root", str(ROOT), str(FIX / "mixed.csv"), "--out", str(out))
    assert r.returncode == 1
    g = graph(out)
    s = NID + "standard/GB-T_36276-2023"
    assert values(g, s, NIG + "standardNumber") == {"GB/T 36276-2023"}
    assert values(g, s, NIG + "standardType") == {NID + "standard-type/national-recommended"}
    assert values(g, s, NIG + "status") == {NID + "standard-status/in-force"}
    assert values(g, s, "http://purl.org/dc/terms/issued") == {"2023-12-28"}
    assert values(g, s, NIG + "implementationDate") == {"2024-07-01"}
    assert values(g, s, NIG + "icsClass") == {NID + "ics/27.180"}
    assert values(g, s, NIG + "servesIndustry") == {NID + "industry/E02", NID + "industry/F09"}
    labels = {(q.object.value, q.object.language) for q in g.quads_for_pattern(
        pyoxigraph.NamedNode(s), pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), None)}
    assert labels == {("电力储能用锂离子电池", "zh"), ("GB/T 36276-2023 Lithium ion battery for electrical energy storage", "en")}
    robot = NID + "standard/GB-T_12643-2013"
    assert values(g, robot, NIG + "adopts") == {NID + "standard/ISO_8373-2012"}
    assert values(g, robot, NIG + "adoptionDegree") == {NID + "adoption-degree/IDT"}
    assert values(g, NID + "standard/ISO_8373-2012", NIG + "standardType") == {NID + "standard-type/international"}
    humanoid = NID + "standard/GB-T_3-2023"
    assert values(g, humanoid, NIG + "servesDirection") == {NID + "direction/F04-1"}
    assert NID + "industry/F04" in values(g, humanoid, NIG + "servesIndustry")
    dates = [q.object for q in g.quads_for_pattern(None, pyoxigraph.NamedNode(NIG + "implementationDate"), None)]
    assert all(d.datatype.value.endswith("#date") for d in dates)
    assert len({q.subject for q in g.quads_for_pattern(None, None, pyoxigraph.NamedNode(NIG + "Standard"))}) == 5  # 3 rows + 2 adopted ISO


def test_error_report_lines_and_csv(tmp_path: Path) -> None:
    out, errors = tmp_path / "c.ttl", tmp_path / "errors.csv"
    r = run("import", "--root", str(ROOT), str(FIX / "mixed.csv"), "--out", str(out), "--errors", str(errors))
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.startswith(str(FIX / "mixed.csv") + ":")]
    assert [int(ln.split(":")[1]) for ln in lines] == [3, 4, 6, 7, 8, 10]
    assert "3 standards imported" in r.stderr and "6 rows rejected" in r.stderr
    rows = list(csv.DictReader(errors.open(encoding="utf-8")))
    assert [(int(x["line"]), x["number"]) for x in rows][:2] == [(3, "XX 12"), (4, "GB 99999-2023")]
    text_report = tmp_path / "errors.txt"
    run("import", "--root", str(ROOT), str(FIX / "mixed.csv"), "--out", str(out), "--errors", str(text_report))
    assert text_report.read_text(encoding="utf-8").splitlines()[0].endswith(
        ":3: XX 12: standard number 'XX 12' does not fit its type industry (write a two-letter sector code with /T, "
        "e.g. YD/T 3627-2019; rule: shapes/standard.ttl, StandardShape-number-matches-type)")


def test_default_output_is_stdout_and_clean_file_exits_0(tmp_path: Path) -> None:
    r = run("import", "--root", str(ROOT), str(FIX / "english.json"), "-q")
    assert r.returncode == 1  # two bad items
    assert "nig:standardNumber \"IEC 62660-1:2018\"" in r.stdout
    good = tmp_path / "good.csv"
    good.write_text("标准号,中文标准名称\nGB/T 1-2020,标准化工作导则\n", encoding="utf-8")
    r = run("import", "--root", str(ROOT), str(good), "--out", str(tmp_path / "g.ttl"))
    assert r.returncode == 0 and "0 rows rejected" in r.stderr and r.stdout == ""


@pytest.mark.parametrize("args,message", [
    (["nope.csv"], "cannot read"),
    ([str(FIX / "custom-headers.csv")], "no standard-number column"),
    ([str(FIX / "mixed.csv"), "--mapping", "nope.json"], "cannot read mapping"),
])
def test_unusable_input_exits_2_without_output(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "o.ttl"
    r = run("import", "--root", str(ROOT), *args, "--out", str(out))
    assert r.returncode == 2 and message in r.stderr
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_mapping_option(tmp_path: Path) -> None:
    r = run("import", "--root", str(ROOT), str(FIX / "custom-headers.csv"), "--mapping", str(FIX / "mapping.json"))
    assert r.returncode == 0, r.stderr
    assert "GB/T 42565-2023" in r.stdout and "ignored column(s): Remark" in r.stderr


def test_progress_bar_only_when_asked_or_tty(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    lines = ["标准号,中文标准名称"] + [f"GB/T {i}-2020,标准{i}" for i in range(1, 1201)]
    big.write_text("\n".join(lines) + "\n", encoding="utf-8")
    quiet = run("import", "--root", str(ROOT), str(big), "--out", str(tmp_path / "a.ttl"))
    shown = run("import", "--root", str(ROOT), str(big), "--out", str(tmp_path / "b.ttl"), "--progress")
    assert "importing" not in quiet.stderr
    assert "importing" in shown.stderr and "1200/1200" in shown.stderr
    assert (tmp_path / "a.ttl").read_bytes() == (tmp_path / "b.ttl").read_bytes()


def test_output_is_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    run("import", "--root", str(ROOT), str(FIX / "mixed.csv"), "--out", str(a))
    shuffled = tmp_path / "shuffled.csv"
    rows = (FIX / "mixed.csv").read_text(encoding="utf-8").splitlines()
    shuffled.write_text("\n".join([rows[0], *reversed(rows[1:])]) + "\n", encoding="utf-8")
    run("import", "--root", str(ROOT), str(shuffled), "--out", str(b))
    # the duplicate row wins the other way round, so compare only standards present in both
    assert a.read_bytes().count(b"nig:Standard") == b.read_bytes().count(b"nig:Standard")
    run("import", "--root", str(ROOT), str(FIX / "mixed.csv"), "--out", str(b))
    assert a.read_bytes() == b.read_bytes()
