"""Linked data, pages, VoID and dumps: content negotiation on IRIs and what the pages show."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox
import pytest
from .serve_helpers import MARKUP, Server

E01 = "id/industry/E01"


@pytest.mark.parametrize(("accept", "ext"), [("text/html,application/xhtml+xml,*/*;q=0.8", "html"),
                                             ("text/turtle", "ttl"), ("application/n-triples", "nt"),
                                             ("application/ld+json", "jsonld"), ("application/rdf+xml", "rdf")])
def test_iri_answers_303_by_accept(server: Server, accept: str, ext: str) -> None:
    status, headers, _ = server.get(E01, accept, follow=False)
    assert status == 303
    assert headers["location"] == f"{server.url}{E01}.{ext}"
    assert headers["vary"] == "Accept"


@pytest.mark.parametrize(("ext", "fmt"), [("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES),
                                          ("jsonld", ox.RdfFormat.JSON_LD), ("rdf", ox.RdfFormat.RDF_XML)])
def test_documents_parse_and_describe_the_resource(server: Server, ext: str, fmt: ox.RdfFormat) -> None:
    status, _, body = server.get(f"{E01}.{ext}")
    assert status == 200
    triples = list(ox.parse(body, format=fmt))
    iri = "https://w3id.org/nigraph/" + E01
    labels = {t.object.value for t in triples if t.subject.value == iri and t.predicate.value.endswith("#label")}
    assert labels == {"New generation information technology", "新一代信息技术"}
    assert any(t.object.value == iri for t in triples)  # incoming links are part of the description


def test_resource_page_shows_labels_sources_and_incoming_links(server: Server) -> None:
    status, headers, body = server.get(E01, "text/html")
    assert status == 200 and headers["content-type"].startswith("text/html")
    page = body.decode("utf-8")
    assert "New generation information technology" in page and "新一代信息技术" in page
    assert "Sources" in page and "passage/p05" in page  # the passage behind the facts, with its text
    assert "Incoming links" in page and f'href="{server.url}id/task/3"' in page
    assert f'href="{server.url}static/style.css"' in page and "https://cdn" not in page


def test_unknown_iri_is_404(server: Server) -> None:
    assert server.get("id/industry/E99", "text/turtle")[0] == 404
    assert server.get("id/industry/E99.html")[0] == 404


def test_ontology_documentation(server: Server) -> None:
    status, headers, _ = server.get("def", "text/html", follow=False)
    assert status == 303 and headers["location"].endswith("/def.html")
    page = server.get("def.html")[2].decode("utf-8")
    assert "Classes" in page and "EmergingIndustry" in page and "新兴产业" in page
    term = server.get("def/EmergingIndustry", "text/html")
    assert term[0] == 200 and "Industry" in term[2].decode("utf-8")
    tbox = list(ox.parse(server.get("def.ttl")[2], format=ox.RdfFormat.TURTLE))
    assert len(tbox) > 200 and all("/id/" not in t.subject.value for t in tbox if isinstance(t.subject, ox.NamedNode))


def test_home_page_has_the_plan_at_a_glance(server: Server) -> None:
    page = server.get("", "text/html")[2].decode("utf-8")
    assert "Emerging industries 新兴产业 (8)" in page and "Future industries 未来产业 (9)" in page
    assert "Main tasks 主要任务 (5)" in page and "Goal for 2025" in page
    assert "60%" in page


def test_home_page_links_every_industry_to_its_framework(server: Server, served_data) -> None:
    """Each industry's item links the sector frameworks that serve it (their scheme pages); the others say none."""
    store = ox.Store.read_only(str(served_data[0]))
    expected: dict[str, set[str]] = {}
    for r in store.query("""PREFIX nig: <https://w3id.org/nigraph/def/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?i ?n ?f WHERE { ?i skos:notation ?n . VALUES ?t { nig:EmergingIndustry nig:FutureIndustry } ?i a ?t .
        OPTIONAL { ?f a skos:ConceptScheme ; nig:forIndustry ?i . FILTER EXISTS { ?x a nig:FrameworkNode ; skos:inScheme ?f } } }""",
                         use_default_graph_as_union=True):
        expected.setdefault(r["n"].value, set())
        if r["f"] is not None:
            expected[r["n"].value].add(r["f"].value.rsplit("/", 1)[-1])
    assert len(expected) == 17 and sum(1 for f in expected.values() if f) >= 9
    assert expected["E01"] == {"ai-guide-2020", "ai-guide-2024"} and expected["F05"] == {"ai-guide-2024"}
    page = server.get("", "text/html")[2].decode("utf-8")
    items = {}
    for li in page.split("<li>")[1:]:
        if f'href="{server.url}id/industry/' in li:
            items[li.split(f'href="{server.url}id/industry/')[1][:3]] = li.split("</li>")[0]
    assert sorted(items) == sorted(expected)
    for notation, schemes in expected.items():
        linked = {part.split('"')[0] for part in items[notation].split(f'href="{server.url}id/scheme/')[1:]}
        assert linked == schemes, notation
        assert ("no sector framework yet" in items[notation]) == (not schemes)
        for scheme in schemes:  # the link leads to the scheme's page
            status, _, body = server.get(f"id/scheme/{scheme}", "text/html")
            assert status == 200 and "ConceptScheme" in body.decode("utf-8")


def test_query_page_runs_a_query_and_offers_downloads(server: Server) -> None:
    q = "SELECT ?label WHERE { <https://w3id.org/nigraph/id/industry/E02> <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label"
    import urllib.parse
    page = server.get("query?" + urllib.parse.urlencode({"query": q}))[2].decode("utf-8")
    assert "2 row(s)" in page and "新能源" in page and "format=csv" in page
    assert 'src="' + server.url + 'static/query.js"' in page


@pytest.mark.parametrize("path", ["void", ".well-known/void"])
def test_void(server: Server, path: str) -> None:
    status, headers, body = server.get(path, "text/turtle")
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    triples = list(ox.parse(body, format=ox.RdfFormat.TURTLE))
    by_p = {t.predicate.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]: t.object for t in triples}
    assert int(by_p["triples"].value) > 2000
    assert by_p["license"].value == "https://creativecommons.org/licenses/by/4.0/"
    assert by_p["sparqlEndpoint"].value == "https://w3id.org/nigraph/sparql"
    assert {t.object.value for t in triples if t.predicate.value.endswith("dataDump")} == {
        "https://w3id.org/nigraph/dumps/nigraph.nt", "https://w3id.org/nigraph/dumps/nigraph.ttl"}


def test_dumps_are_served_with_their_checksums(server: Server) -> None:
    sums = server.get("dumps/SHA256SUMS")[2].decode()
    status, headers, body = server.get("dumps/nigraph.nt")
    assert status == 200 and headers["content-type"].startswith("application/n-triples")
    assert f"{hashlib.sha256(body).hexdigest()}  nigraph.nt" in sums
    assert "nigraph.nt" in server.get("dumps/", "text/html")[2].decode()
    assert server.get("dumps/serve.log")[0] == 404


def test_markup_label_is_text_on_every_page(server: Server) -> None:
    import urllib.parse

    from markupsafe import escape

    escaped = str(escape(MARKUP))  # the pages are Jinja2 templates: MarkupSafe escapes " as &#34;
    q = 'SELECT ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(CONTAINS(?l, "<script>")) }'
    for path in ("id/standard/X-markup.html", "id/industry/E01.html",
                 "query?" + urllib.parse.urlencode({"query": q})):
        page = server.get(path)[2].decode("utf-8")
        assert escaped in page, path
        assert "<script>alert" not in page, path


def test_query_page_lists_every_canned_query_and_runs_one(server: Server) -> None:
    from nigraph.query.run import load_queries

    from .serve_helpers import ROOT
    canned = load_queries(ROOT)
    assert canned, "queries/*.rq"
    page = server.get("query")[2].decode("utf-8")
    for q in canned:
        assert f'<option value="{q.id}"' in page, q.id
    page = server.get("query?id=industries-by-kind")[2].decode("utf-8")
    assert "selected>" in page and "17 row(s)" in page
    assert 'class="error"' not in page


def test_every_canned_query_runs_on_the_endpoint(server: Server) -> None:
    import csv
    import io
    import urllib.parse

    from nigraph.query.run import load_queries

    from .serve_helpers import ROOT
    for q in load_queries(ROOT):
        status, _, body = server.get("sparql?" + urllib.parse.urlencode({"query": q.text, "format": "csv"}))
        assert status == 200, (q.id, body)
        header = next(csv.reader(io.StringIO(body.decode("utf-8"))))
        assert tuple(header) == q.columns, q.id


def test_base_maps_the_served_host_to_the_canonical_iris(served_data) -> None:
    from .serve_helpers import request, start_server, stop_server
    store, dumps = served_data
    srv = start_server(store, dumps, "--base", "https://data.example.org/nigraph/", "--workers", "1")
    try:
        local = srv.url + "nigraph/"
        status, headers, _ = request(local + "id/industry/E01", headers={"Accept": "text/html"}, follow=False)
        assert status == 303 and headers["location"] == "https://data.example.org/nigraph/id/industry/E01.html"
        page = request(local + "id/industry/E01.html")[2].decode("utf-8")
        assert 'href="https://data.example.org/nigraph/id/task/3"' in page
        assert "<code>https://w3id.org/nigraph/id/industry/E01</code>" in page  # the IRI stays canonical
        turtle = request(local + "id/industry/E01.ttl")[2].decode("utf-8")
        subjects = {t.subject.value for t in ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE)}
        assert "https://w3id.org/nigraph/id/industry/E01" in subjects and "example.org" not in turtle
        assert request(srv.url + "id/industry/E01")[0] == 404  # outside the base path
    finally:
        stop_server(srv.process)


def test_report_is_served_by_name_only(tmp_path: Path) -> None:
    """`nigraph serve` offers the coverage report `nigraph report` wrote to <dumps>/report (issue 6),
    by plain file name only, and says how to make one when there is none."""
    from .serve_helpers import build_test_store, start_server, stop_server

    store, dumps = tmp_path / "store", tmp_path / "dumps"
    build_test_store(store)
    dumps.mkdir()
    srv = start_server(store, dumps)
    try:
        status, _, body = srv.get("report/")
        assert status == 404 and b"nigraph report" in body
        (dumps / "report").mkdir()
        (dumps / "report" / "index.html").write_text("<p>report &lt;ok&gt;</p>", encoding="utf-8")
        (dumps / "report" / "heatmap.png").write_bytes(b"\x89PNG fake")
        (dumps / "secret.txt").write_text("outside", encoding="utf-8")
        status, headers, body = srv.get("report/")
        assert status == 200 and body == b"<p>report &lt;ok&gt;</p>"
        status, headers, body = srv.get("report/heatmap.png")
        assert status == 200 and headers["content-type"] == "image/png" and body == b"\x89PNG fake"
        assert srv.get("report", follow=False)[0] == 301
        for bad in ("report/../secret.txt", "report/%2e%2e/secret.txt", "report/sub/x.png", "report/x.exe"):
            assert srv.get(bad)[0] == 404, bad
    finally:
        stop_server(srv.process)
