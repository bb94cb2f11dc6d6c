"""The home, resource and query pages in headless Chromium (Debian's chromium); screenshots for people.

Screenshots go to a temporary folder (tests never write into the project's dist/), or to the folder
named by NIGRAPH_SCREENSHOTS when you want to keep them. The DOM Chromium built is checked too, so the
test fails if a page does not render what it should.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import urllib.parse
from pathlib import Path

import pytest
from .serve_helpers import MARKUP, Server, tool



@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the screenshots go: $NIGRAPH_SCREENSHOTS if set, else a temporary folder."""
    chosen = os.environ.get("NIGRAPH_SCREENSHOTS")
    return Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
QUERY = ("PREFIX nig: <https://w3id.org/nigraph/def/>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
         "SELECT ?industry ?label WHERE { ?industry a nig:FutureIndustry ; rdfs:label ?label } ORDER BY ?industry ?label")
PAGES = {
    "home": ("", ["Emerging industries", "新一代信息技术", "Goal for 2025"]),
    "resource": ("id/industry/E01.html", ["New generation information technology", "Sources", "Incoming links"]),
    "query": ("query?" + urllib.parse.urlencode({"query": QUERY}), ["18 row(s)", "Humanoid robots", "人形机器人"]),
    "ontology": ("def.html", ["Classes", "EmergingIndustry"]),
    "markup": ("id/standard/X-markup.html", [MARKUP]),
}


def _chromium(*args: str) -> subprocess.CompletedProcess[bytes]:
    exe = tool("chromium")
    with tempfile.TemporaryDirectory(prefix="nigraph-chromium-") as profile:
        return subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                               "--no-first-run", f"--user-data-dir={profile}", *args],
                              capture_output=True, timeout=120)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_renders_in_chromium(server: Server, shots: Path, name: str) -> None:
    path, expected = PAGES[name]
    dom = _chromium("--dump-dom", server.url + path)
    assert dom.returncode == 0, dom.stderr.decode(errors="replace")[-2000:]
    text = dom.stdout.decode("utf-8")
    for needle in expected:
        if needle == MARKUP:
            assert "&lt;script&gt;alert" in text and "<script>alert" not in text
        else:
            assert needle in text, needle
    shots.mkdir(parents=True, exist_ok=True)
    shot = shots / f"{name}.png"
    shot.unlink(missing_ok=True)
    out = _chromium(f"--screenshot={shot}", "--window-size=1280,1600", "--hide-scrollbars", server.url + path)
    assert out.returncode == 0, out.stderr.decode(errors="replace")[-2000:]
    data = Path(shot).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
