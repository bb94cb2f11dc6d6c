"""HTTP caching (issue 13, item 4), checked with curl: validators on every kind of answer, 304 on
If-None-Match and If-Modified-Since, 206 and 416 for byte ranges of dumps."""

from __future__ import annotations

import re
import subprocess
import urllib.parse

import pytest

from .serve_helpers import Server, tool


def curl(server: Server, path: str, *args: str) -> tuple[int, dict[str, str], bytes]:
    """GET ``path`` with curl: status, headers (lower-case names), body."""
    out = subprocess.run([tool("curl"), "-s", "-D", "-", *args, server.url + path], capture_output=True, timeout=60)
    assert out.returncode == 0, out.stderr
    head, _, body = out.stdout.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return status, headers, body


PATHS = ["", "id/industry/E01.html", "id/industry/E01.ttl", "def.ttl", "void", "static/style.css", "dumps/nigraph.nt",
         "sparql?" + urllib.parse.urlencode({"query": "SELECT ?p WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p"}),
         "sparql"]


@pytest.mark.parametrize("path", PATHS)
def test_validators_and_304(server: Server, path: str) -> None:
    status, headers, body = curl(server, path)
    assert status == 200 and body
    etag = headers["etag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)  # strong (no W/)
    assert re.search(r"max-age=\d+", headers["cache-control"])
    modified = headers["last-modified"]
    assert modified.endswith(" GMT")
    again = curl(server, path)
    assert again[1]["etag"] == etag and again[2] == body  # the same answer, the same tag
    status, headers, body = curl(server, path, "-H", f"If-None-Match: {etag}")
    assert status == 304 and body == b"" and headers["etag"] == etag
    status, _, body = curl(server, path, "-H", 'If-None-Match: "0123"')
    assert status == 200 and body
    status, _, body = curl(server, path, "-H", f"If-Modified-Since: {modified}")
    assert status == 304 and body == b""
    status, _, body = curl(server, path, "-H", "If-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT")
    assert status == 200 and body


def test_another_format_has_another_tag(server: Server) -> None:
    tags = {curl(server, "void", "-H", f"Accept: {m}")[1]["etag"] for m in ("text/turtle", "application/n-triples")}
    assert len(tags) == 2


def test_errors_and_posts_are_not_cached(server: Server) -> None:
    status, headers, _ = curl(server, "id/nothing-here")
    assert status == 404 and "etag" not in headers
    status, headers, _ = curl(server, "sparql", "--data-urlencode", "query=ASK {}")
    assert status == 200 and "cache-control" not in headers


def test_byte_ranges_of_a_dump(server: Server) -> None:
    whole = (server.dumps / "nigraph.nt").read_bytes()
    status, headers, body = curl(server, "dumps/nigraph.nt", "-r", "0-99")
    assert status == 206 and body == whole[:100]
    assert headers["content-range"] == f"bytes 0-99/{len(whole)}" and headers["accept-ranges"] == "bytes"
    status, _, body = curl(server, "dumps/nigraph.nt", "-r", "100-")
    assert status == 206 and body == whole[100:]
    status, _, body = curl(server, "dumps/nigraph.nt", "-r", "-50")
    assert status == 206 and body == whole[-50:]
    status, headers, _ = curl(server, "dumps/nigraph.nt", "-r", f"{len(whole) + 10}-")
    assert status == 416 and headers["content-range"] == f"bytes */{len(whole)}"
    etag = headers.get("etag") or curl(server, "dumps/nigraph.nt")[1]["etag"]
    status, _, body = curl(server, "dumps/nigraph.nt", "-r", "0-9", "-H", f"If-Range: {etag}")
    assert status == 206 and body == whole[:10]
    status, _, body = curl(server, "dumps/nigraph.nt", "-r", "0-9", "-H", 'If-Range: "stale"')
    assert status == 200 and body == whole  # another version: the whole file


def test_curl_resumes_a_download(server: Server, tmp_path) -> None:  # noqa: ANN001
    whole = (server.dumps / "nigraph.nt").read_bytes()
    part = tmp_path / "nigraph.nt"
    part.write_bytes(whole[:1000])
    out = subprocess.run([tool("curl"), "-s", "-C", "-", "-o", str(part), server.url + "dumps/nigraph.nt"],
                         capture_output=True, timeout=60)
    assert out.returncode == 0 and part.read_bytes() == whole
