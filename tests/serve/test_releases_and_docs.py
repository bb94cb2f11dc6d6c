"""``/releases/…`` and ``/docs/…`` on a real ``nigraph serve``: a release's versionIRI dereferences, the
latest release is linked from the home page and VoID, the built documentation site is shown, and
nothing outside those folders can be read."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from nigraph.release import make_release

from .serve_helpers import Server, start_server, stop_server


@pytest.fixture(scope="module")
def served(served_data: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    store, dumps = served_data
    folder = tmp_path_factory.mktemp("release-dumps")
    for f in dumps.iterdir():
        if f.is_file() and not f.name.endswith(".log"):
            shutil.copy(f, folder / f.name)
    make_release(store, folder / "releases", "0.1.0", issued="2026-11-01")
    make_release(store, folder / "releases", "0.2.0", issued="2026-12-01")
    (folder / "site" / "assets").mkdir(parents=True)
    (folder / "site" / "index.html").write_text("<h1>nigraph docs</h1>", encoding="utf-8")
    (folder / "site" / "assets" / "x.css").write_text("body{}", encoding="utf-8")
    (folder / "secret.txt").write_text("not for the web", encoding="utf-8")
    srv = start_server(store, folder, "--workers", "1", "--max-workers", "2")
    try:
        yield srv
    finally:
        stop_server(srv.process)


def test_a_release_file_is_served_at_its_version_iri(served: Server) -> None:
    status, headers, body = served.get("releases/0.2.0/nigraph.ttl")
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    assert b"<https://w3id.org/nigraph/releases/0.2.0/nigraph.ttl>" in body
    assert body == (served.dumps / "releases" / "0.2.0" / "nigraph.ttl").read_bytes()
    status, _, sums = served.get("releases/0.1.0/SHA256SUMS")
    assert status == 200 and b"  nigraph.nt\n" in sums
    status, _, listing = served.get("releases/")
    assert status == 200 and listing.index(b"0.2.0") < listing.index(b"0.1.0")


def test_latest_release_is_linked_from_home_and_void(served: Server) -> None:
    _, _, home = served.get("")
    assert b"releases/0.2.0/" in home and b"Latest release" in home
    _, _, void = served.get("void", "application/n-triples")
    triples = {str(t) for t in ox.parse(void, format=ox.RdfFormat.N_TRIPLES)}
    assert ("<https://w3id.org/nigraph/void#dataset> <http://www.w3.org/ns/dcat#hasCurrentVersion> "
            "<https://w3id.org/nigraph/releases/0.2.0/void#dataset>") in triples
    assert ("<https://w3id.org/nigraph/void#dataset> <http://www.w3.org/ns/dcat#hasVersion> "
            "<https://w3id.org/nigraph/releases/0.1.0/void#dataset>") in triples


def test_docs_site_is_served_and_nothing_else(served: Server) -> None:
    status, _, body = served.get("docs/")
    assert status == 200 and b"nigraph docs" in body
    status, headers, _ = served.get("docs/assets/x.css")
    assert status == 200 and headers["content-type"].startswith("text/css")
    assert served.get("docs", follow=False)[0] == 301
    for path in ("docs/../secret.txt", "docs/%2e%2e/secret.txt", "releases/0.2.0/../../secret.txt",
                 "docs/.hidden", "releases/0.3.0/nigraph.ttl", "docs/nope.html"):
        status, _, body = served.get(path)
        assert status == 404 and b"not for the web" not in body, path
