"""``nigraph.serve.asgi:app`` under a deployer's own server (issue 15, item 2): uvicorn started on its
command line, configured by NIGRAPH_* variables, on loopback; stopped even when a test fails."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

from nigraph.core.errors import NigraphError
from nigraph.serve.asgi import settings_from_environment

from .serve_helpers import ROOT, request, stop_server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def deployed(served_data: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory):
    store, dumps = served_data
    port = _free_port()
    env = dict(os.environ, NIGRAPH_ROOT=str(ROOT), NIGRAPH_STORE=str(store), NIGRAPH_DUMPS=str(dumps),
               NIGRAPH_BASE="http://graph.example.org/", NIGRAPH_TIMEOUT="2", NIGRAPH_WORKERS="2",
               NIGRAPH_MAX_BODY="65536")
    log = tmp_path_factory.mktemp("asgi") / "uvicorn.log"
    with open(log, "wb") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "nigraph.serve.asgi:app", "--host", "127.0.0.1",
                                 "--port", str(port)], stdout=fh, stderr=fh, env=env, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if request(url + "sparql?query=ASK%7B%7D", timeout=5)[0] == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start:\n" + log.read_text(errors="replace"))
            time.sleep(0.2)
        yield url
    finally:
        stop_server(proc)


def test_queries_are_answered_under_uvicorn(deployed: str) -> None:
    query = "ASK { <https://w3id.org/nigraph/id/industry/E01> ?p ?o }"
    status, headers, body = request(deployed + "sparql?" + urllib.parse.urlencode({"query": query}),
                                    headers={"Accept": "text/csv"})
    assert status == 200 and body.strip() == b"true" and headers["server"] == "nigraph"


def test_the_public_base_comes_from_the_environment(deployed: str) -> None:
    status, headers, _ = request(deployed + "id/industry/E01", headers={"Accept": "text/turtle"}, follow=False)
    assert status == 303 and headers["location"] == "http://graph.example.org/id/industry/E01.ttl"


def test_timeout_and_refusals_hold_under_uvicorn(deployed: str) -> None:
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    start = time.monotonic()
    status, _, body = request(deployed + "sparql?" + urllib.parse.urlencode({"query": runaway}))
    assert status == 503 and b"timeout" in body and time.monotonic() - start < 6
    status, _, _ = request(deployed + "sparql", data=b"x" * 70000, headers={"Content-Type": "application/sparql-query"})
    assert status == 413  # over NIGRAPH_MAX_BODY
    status, _, _ = request(deployed + "sparql", data=b"INSERT DATA { <x:a> <x:b> <x:c> }",
                           headers={"Content-Type": "application/sparql-query"})
    assert status == 403


def test_a_bad_number_in_the_environment_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NigraphError, match="NIGRAPH_TIMEOUT='soon' is not a number"):
        settings_from_environment({"NIGRAPH_ROOT": str(ROOT), "NIGRAPH_TIMEOUT": "soon"})
    with pytest.raises(NigraphError, match="NIGRAPH_ENGINE='ram' is not one of"):
        settings_from_environment({"NIGRAPH_ROOT": str(ROOT), "NIGRAPH_ENGINE": "ram"})
    settings = settings_from_environment({"NIGRAPH_ROOT": str(ROOT), "NIGRAPH_STORE": str(tmp_path / "s"),
                                          "NIGRAPH_WORKERS": "3", "NIGRAPH_MAX_WORKERS": "2"})
    assert settings.store_path == tmp_path / "s" and (settings.workers, settings.max_workers) == (3, 3)
    assert settings.queries_dir == ROOT / "queries" and settings.lookup_workers == 1


def test_a_request_head_over_64_kib_is_414_and_the_server_goes_on(server) -> None:  # noqa: ANN001 - fixture
    status, _, body = request(server.url + "sparql?query=" + "x" * 70000)
    assert status == 414 and b"too long" in body
    status, _, body = request(server.url + "sparql?" + urllib.parse.urlencode({"query": "ASK {}"}),
                              headers={"Accept": "text/csv"})
    assert status == 200 and body.strip() == b"true"


def test_an_idle_connection_holds_no_request_and_others_are_served(server) -> None:  # noqa: ANN001
    url = urllib.parse.urlsplit(server.url)
    with socket.create_connection((url.hostname, url.port), timeout=10) as idle:
        idle.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n")  # the head is never finished
        status, _, body = request(server.url + "sparql?query=ASK%7B%7D", headers={"Accept": "text/csv"})
        assert status == 200 and body.strip() == b"true"
        idle.sendall(b"Accept: text/csv\r\n\r\n")  # finished late: answered
        answer = b""
        while not answer.rstrip().endswith(b"true") and (chunk := idle.recv(65536)):
            answer += chunk
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200") and body.strip() == b"true"
