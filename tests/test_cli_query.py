"""`nigraph query`: listing, running by name or file, formats, and one-line errors with exit 2."""

from __future__ import annotations

import subprocess
import sys

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from nigraph.build.cube import build_cube
from nigraph.cli import cli
from nigraph.core.iri import GRAPH
from nigraph.core.load import load_file, load_files, project_files
from nigraph.query.run import load_queries
from nigraph.core.store import build_store

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "tests" / "fixtures" / "catalogue" / "catalogue.ttl"


def invoke(*args: str):
    return CliRunner().invoke(cli, ["query", "--root", str(ROOT), *args])


@pytest.fixture(scope="module")
def catalogue_store(tmp_path_factory) -> Path:
    # the fixture catalogue's answers are worked out without the project's sample catalogue
    skip = (GRAPH + "shapes/", GRAPH + "data/sample-catalogue.ttl")
    quads = [q for q in load_files(project_files(ROOT), ROOT) if not q.graph_name.value.startswith(skip)]
    path = tmp_path_factory.mktemp("store") / "store"
    cat = load_file(CATALOGUE, ROOT)
    build_store(quads + cat + build_cube(quads + cat, ROOT), path)  # as `nigraph build --catalogue`
    return path


def test_help():
    result = invoke("--help")
    assert result.exit_code == 0
    for option in ("--param", "--format", "--endpoint", "--store", "--list", "--timeout", "Exit status"):
        assert option in result.output


def test_list_shows_every_query_with_its_title():
    result = invoke("--list")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    queries = load_queries(ROOT)
    assert len(lines) == len(queries) >= 15
    for line, q in zip(lines, queries):
        assert line.startswith(q.id + " ") and q.title in line


def test_run_by_name_csv_on_a_store(catalogue_store):
    result = invoke("target-progress", "--store", str(catalogue_store), "--format", "csv")
    assert result.exit_code == 0, result.output
    table = list(csv.reader(io.StringIO(result.output)))
    # see tests/queries/test_queries.py for how 11, 2 and 4 are worked out on the fixture catalogue
    assert [(r[0].rsplit("/", 1)[1], r[5], r[8]) for r in table[1:]] == [
        ("2025-5", "11", "0.6"), ("2025-6", "2", "0.7"), ("2025-10", "4", "1.3")]


def test_param_and_json(catalogue_store):
    result = invoke("industries-without-standard-of-type", "--store", str(catalogue_store),
                    "--param", "type=<https://w3id.org/nigraph/id/standard-type/national>", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["columns"] == ["industry", "kind", "notation", "label_en"]
    assert [r["notation"] for r in data["rows"]] == ["E04", "E06", "E07", "F01", "F02", "F05", "F06", "F07", "F08", "F09"]


def test_table_and_tsv_without_a_built_store(tmp_path):
    # a copy of the project without dist/: the files are loaded in memory, with a note
    root = tmp_path / "p"
    for sub in ("ontology", "data", "queries"):
        src = ROOT / sub
        for f in src.rglob("*"):
            if f.is_file():
                (root / f.relative_to(ROOT)).parent.mkdir(parents=True, exist_ok=True)
                (root / f.relative_to(ROOT)).write_bytes(f.read_bytes())
    result = CliRunner().invoke(cli, ["query", "--root", str(root), "directions-of-industry",
                                      "--param", "industry=nid:industry/F03"])
    assert result.exit_code == 0, result.output
    assert "nid:direction/F03-3" in result.output and "(3 rows)" in result.output
    assert "querying the project's files in memory" in result.output  # CliRunner mixes stderr in
    tsv = CliRunner().invoke(cli, ["query", "--root", str(root), "-q", "main-tasks", "--format", "tsv"])
    assert tsv.exit_code == 0
    assert tsv.output.splitlines()[1].split("\t")[:4] == ["https://w3id.org/nigraph/id/task/1", "1", "Build the system", "建体系"]


def test_a_file_path_works_in_place_of_a_name(tmp_path, catalogue_store):
    rq = tmp_path / "mine.rq"
    rq.write_text("#+ summary: mine\n#+ summary_zh: 我的\n#+ description: d\n#+ description_zh: 描述\n"
                  "#+ param: n (string, default \"x\") a number\n#+ tags: [t]\n"
                  "SELECT ?n WHERE {\n  VALUES ?n { \"x\" }\n} ORDER BY ?n\n", encoding="utf-8")
    result = invoke(str(rq), "--store", str(catalogue_store), "--param", 'n=a"} UNION {?s ?p ?o}', "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output == 'n\n"a""} UNION {?s ?p ?o}"\n'  # one row: the value, as a value


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-query"], "unknown query 'no-such-query'"),
        (["directions"], "did you mean"),
        (["main-tasks", "--param", "x=1"], "unknown parameter 'x' for query main-tasks"),
        (["directions-of-industry", "--param", "industry"], "write NAME=VALUE"),
        (["directions-of-industry", "--param", "industry=F04 } UNION {"], "bad IRI"),
        (["directions-of-industry", "--param", "industry=<https://e/a b>"], "bad IRI"),
        (["main-tasks", "--endpoint", "http://127.0.0.1:1/sparql"], "unreachable"),
        (["main-tasks", "--endpoint", "ftp://example.org/sparql"], "give an http:// or https:// URL"),
        (["main-tasks", "--store", "/nonexistent/store"], "no store here"),
        (["missing.rq"], "no such query file"),
        ([], "give a query name"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, message):
    result = CliRunner().invoke(cli, ["query", "--root", str(ROOT), *args], standalone_mode=False, catch_exceptions=True)
    # main() turns NigraphError into "error: …" and exit 2; call it as users do
    from nigraph.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["query", "--root", str(ROOT), *args])
    assert exc.value.code == 2
    assert result.exception is not None and message in str(result.exception)


def test_error_message_is_a_single_line(capsys):
    from nigraph.cli import main

    with pytest.raises(SystemExit):
        main(["query", "--root", str(ROOT), "main-tasks", "--param", "x=1"])
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: unknown parameter")


def test_a_cube_query_on_a_store_without_the_cube_is_refused(tmp_path):
    """target-progress sums the cube: on a store built without it, an error, not a silent 0."""
    path = tmp_path / "store"
    build_store(load_file(CATALOGUE, ROOT), path)
    r = subprocess.run([sys.executable, "-c", "from nigraph.cli import main; main()", "query", "--root", str(ROOT),
                        "target-progress", "--store", str(path)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "has none: rebuild it with `nigraph build`" in r.stderr and "Traceback" not in r.stderr
