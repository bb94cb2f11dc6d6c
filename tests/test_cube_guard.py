"""A cube query where the cube (or the data set it reads) is missing is refused, never answered 0.

The stores and endpoints here hold the plan and the fixture catalogue: with the whole cube, without
any cube (an endpoint loaded with the asserted data only) and with an older cube that lacks one data
set. `nigraph query` on a store and on an endpoint (rdflib's engine behind HTTP), the report's
figures and the server's query page are each tried.
"""

from __future__ import annotations

import re
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph
import pytest
import rdflib

from conftest import rdflib_term
from nigraph.build.cube import build_cube
from nigraph.cli import main
from nigraph.core.errors import NigraphError
from nigraph.core.iri import CUBE_GRAPH, GRAPH, NID, NIG
from nigraph.core.load import load_file, load_files, project_files
from nigraph.core.store import build_store, open_memory_store
from nigraph.coverage.figures import compute_coverage
from nigraph.query.cube_guard import cube_datasets
from nigraph.query.run import find_query, load_queries, run_query

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "tests" / "fixtures" / "catalogue" / "catalogue.ttl"
sys.path.insert(0, str(ROOT / "tests" / "queries"))
OLD = NID + "cube/target-progress"  # a data set an older build's cube does not have


def _asserted() -> list[pyoxigraph.Quad]:
    skip = (GRAPH + "shapes/", GRAPH + "data/sample-catalogue.ttl")
    quads = [q for q in load_files(project_files(ROOT), ROOT) if not q.graph_name.value.startswith(skip)]
    return quads + load_file(CATALOGUE, ROOT)


def _without(cube: list[pyoxigraph.Quad], dataset: str) -> list[pyoxigraph.Quad]:
    """The cube as a build before ``dataset`` existed wrote it: no data set, structure or observations."""
    gone = {q.subject for q in cube if q.object.value == dataset or q.subject.value == dataset
            or q.subject.value.startswith(dataset + "-structure") or q.subject.value.startswith(dataset + ".")}
    return [q for q in cube if q.subject not in gone]


@pytest.fixture(scope="module")
def quads() -> tuple[list[pyoxigraph.Quad], list[pyoxigraph.Quad]]:
    asserted = _asserted()
    return asserted, build_cube(asserted, ROOT)


@pytest.fixture(scope="module")
def stores(quads, tmp_path_factory) -> dict[str, Path]:
    asserted, cube = quads
    out = {}
    for name, extra in (("whole", cube), ("none", []), ("old", _without(cube, OLD))):
        out[name] = tmp_path_factory.mktemp(name) / "store"
        build_store(asserted + extra, out[name])
    return out


def _endpoint(quads: list[pyoxigraph.Quad]):
    from sparql_server import SparqlServer

    ds = rdflib.Dataset(default_union=True)
    for q in quads:
        ds.graph(rdflib.URIRef(q.graph_name.value)).add(tuple(rdflib_term(t) for t in (q.subject, q.predicate, q.object)))
    return SparqlServer(ds)


@pytest.fixture
def invoke(capsys):
    """``nigraph query …`` as users run it (main: an error is one line and exit status 2)."""

    def run(*args: str) -> tuple[int, str]:
        try:
            main(["query", "--root", str(ROOT), *args])
            code = 0
        except SystemExit as exc:
            code = exc.code or 0
        out = capsys.readouterr()
        return code, out.out + out.err

    return run


CUBE_QUERIES = [q.id for q in load_queries(ROOT) if cube_datasets(q.text)]


def test_every_query_tagged_cube_names_the_data_sets_it_reads():
    tagged = {q.id for q in load_queries(ROOT) if "cube" in q.tags}
    assert tagged and tagged == set(CUBE_QUERIES)


def test_a_query_without_a_dataset_pattern_reads_dimensions_of_its_data_set_only():
    """A query that finds observations by a dimension, with no qb:dataSet pattern, names its data
    set in ``#+ reads:`` (the guard reads it there); that is right only while the dimensions it
    uses belong to that data set alone, which is checked here against the cube's DATASETS."""
    from nigraph.build.cube import _DIMENSIONS, DATASETS

    owners = {}
    for name, (dims, _) in DATASETS.items():
        for dim in dims:
            owners.setdefault(_DIMENSIONS[dim].value, set()).add(NID + "cube/" + name)
    checked = 0
    for q in load_queries(ROOT):
        body = "\n".join(line for line in q.text.splitlines() if not line.lstrip().startswith("#"))
        reads = set(re.findall(r"^#\+ reads: <([^>]+)>", q.text, re.M))
        if "qb:dataSet" in body or "cube#dataSet" in body:
            assert not reads, f"{q.id}: a qb:dataSet pattern names the data set; no reads header"
            continue
        used = {NIG + local for local in re.findall(r"\bnig:(\w+)", body)} & set(owners)
        assert bool(used) == bool(reads), f"{q.id}: reads {reads}, dimensions {used}"
        for dim in used:
            assert owners[dim] == reads, f"{q.id}: {dim} is a dimension of {owners[dim]}, not of {reads} only"
        checked += bool(reads)
    assert checked  # adopted-international-standards


@pytest.mark.parametrize("query_id", CUBE_QUERIES)
def test_a_store_without_the_cube_is_refused(query_id, stores, invoke):
    code, output = invoke(query_id, "--store", str(stores["none"]))
    assert code == 2, output
    assert output.startswith(f"error: query {query_id} reads the coverage statistics data set")
    assert "this store has none: rebuild it with `nigraph build`" in output and output.count("\n") == 1
    code, output = invoke(query_id, "--store", str(stores["whole"]), "--format", "csv")
    assert code == 0, output


def test_an_older_cube_without_the_data_set_is_refused(stores, invoke):
    # target-progress would say 0 standards toward every target
    code, output = invoke("target-progress", "--store", str(stores["old"]))
    assert code == 2
    assert "data set nid:cube/target-progress," in output and "target-progress-by-date" not in output
    # target-progress-on-date reads it too (for a date after the milestone year); it names only that one
    code, output = invoke("target-progress-on-date", "--store", str(stores["old"]))
    assert code == 2 and "data set nid:cube/target-progress," in output
    # a query whose data sets are all there still runs
    assert invoke("standards-by-industry-and-type", "--store", str(stores["old"]))[0] == 0


def test_an_endpoint_with_the_asserted_data_only_is_refused(quads, invoke):
    asserted, cube = quads
    bare, whole = _endpoint(asserted), _endpoint(asserted + cube)
    try:
        code, output = invoke("standards-by-industry-and-type", "--endpoint", bare.url)
        assert code == 2, output
        assert f"the endpoint {bare.url} has none" in output
        assert "standards-by-industry-type-tree" in output and "Traceback" not in output
        # the check is one SELECT; the query itself was never sent
        assert not any("standardCount ?standards" in q for q in bare.queries)
        code, output = invoke("standards-by-industry-and-type", "--endpoint", whole.url, "--format", "csv")
        assert code == 0, output
        store = open_memory_store(asserted + cube)
        want = run_query(find_query(ROOT, "standards-by-industry-and-type").text, store=store)
        assert len(output.strip().splitlines()) == len(want.rows) + 1 > 10
        # plan queries do not need the cube
        assert invoke("main-tasks", "--endpoint", bare.url)[0] == 0
    finally:
        bare.close()
        whole.close()


def test_the_report_refuses_an_older_cube(quads):
    asserted, cube = quads
    old = open_memory_store(asserted + _without(cube, NID + "cube/standards-by-industry-type-tree"))
    with pytest.raises(NigraphError, match=r"standards-by-industry-type-tree, and the store has none"):
        compute_coverage(old, root=ROOT)
    assert compute_coverage(open_memory_store(asserted + cube), root=ROOT) is not None
    assert not any(q.graph_name == CUBE_GRAPH for q in asserted)


def test_the_query_page_refuses_a_store_without_the_cube(stores, tmp_path):
    sys.path.insert(0, str(ROOT / "tests"))
    from serve.serve_helpers import start_server, stop_server

    text = find_query(ROOT, "target-progress").text
    for name, refused in (("none", True), ("whole", False)):
        server = start_server(stores[name], tmp_path, "--engine", "disk", "--workers", "1", "--cache-mb", "0")
        try:
            url = server.url + "query?" + urllib.parse.urlencode({"id": "target-progress", "query": text})
            with urllib.request.urlopen(url, timeout=60) as response:
                page = response.read().decode("utf-8")
        finally:
            stop_server(server.process)
        assert ("query target-progress reads the coverage statistics data set" in page) is refused, page[-2000:]
        assert ("row(s)" in page) is not refused
