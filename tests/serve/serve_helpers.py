"""Start and stop a real ``nigraph serve`` on loopback over the project's data; talk HTTP to it.

The store is built from ontology/ and data/ (no reasoner: quick) plus one hostile resource
whose label is markup. The server runs as a real process with a 2 s query timeout; it is
stopped in the fixture's teardown, also when a test fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from loadgen import stop_group  # noqa: E402

from nigraph.core.iri import NIG, PREFIXES, graph_for, mint
from nigraph.core.load import load_files, project_files
from nigraph.core.canonical import canonical, to_nquads
from nigraph.core.store import build_store

ROOT = Path(__file__).resolve().parents[2]
NIGRAPH = Path(sys.executable).parent / "nigraph"
#: The label of the hostile resource; pages must show it as text.
MARKUP = '<script>alert("x")</script><b>bold</b>'
HOSTILE = mint("standard", "X-markup")


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path
    store: Path
    dumps: Path

    def get(self, path: str, accept: str | None = None, *, follow: bool = True) -> tuple[int, dict, bytes]:
        """GET ``path`` (relative to the base) and return status, headers, body (errors included)."""
        return request(self.url + path.lstrip("/"), headers={"Accept": accept} if accept else {}, follow=follow)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
        return None


def request(url: str, *, data: bytes | None = None, headers: dict | None = None, method: str | None = None,
            follow: bool = True, timeout: float = 30) -> tuple[int, dict, bytes]:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(req, timeout=timeout) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


def build_test_store(target: Path) -> None:
    """The project's ontology and data, plus a resource labelled with markup."""
    quads = load_files(project_files(ROOT), ROOT)
    g = graph_for("tests/serve/hostile.ttl")
    label = ox.NamedNode(PREFIXES["rdfs"] + "label")
    quads += [
        ox.Quad(HOSTILE, ox.NamedNode(PREFIXES["rdf"] + "type"), ox.NamedNode(NIG + "Standard"), g),
        ox.Quad(HOSTILE, label, ox.Literal(MARKUP, language="en"), g),
        ox.Quad(HOSTILE, ox.NamedNode(NIG + "servesIndustry"), mint("industry", "E01"), g),
    ]
    build_store(quads, target)
    # `nigraph export` writes the dumps from the canonical N-Quads the build leaves beside the store
    parts = [(q.graph_name.value, f"{q.subject} {q.predicate} {q.object} .\n".encode()) for q in quads]
    (target.parent / "nigraph.nq").write_bytes(to_nquads(canonical(parts)))


def start_server(store: Path, dumps: Path, *args: str, wait_s: float = 60) -> Server:
    """Start ``nigraph serve --port 0`` and wait (at most ``wait_s``) until it answers."""
    log = dumps / f"serve-{os.getpid()}-{time.monotonic_ns()}.log"
    exe = [str(NIGRAPH)] if NIGRAPH.exists() else [sys.executable, "-c", "from nigraph.cli import main; main()"]
    with open(log, "wb") as fh:
        proc = subprocess.Popen(exe + ["serve", "--root", str(ROOT), "--store", str(store), "--dumps", str(dumps),
                                       "--port", "0", *args], stdout=fh, stderr=fh, start_new_session=True)
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        m = re.search(r"serving (http://[^ ]+/)", log.read_text(errors="replace"))
        if m:
            return Server(m.group(1), proc, log, store, dumps)
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    stop_server(proc)
    raise RuntimeError("nigraph serve did not start:\n" + log.read_text(errors="replace"))


def stop_server(proc: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL the whole process group (the server and its workers)."""
    stop_group(proc)


def tool(name: str) -> str:
    """The path of a system tool; skip locally when absent, fail in CI (where .ci/run installs it)."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
            pytest.fail(f"{name} is not installed; .ci/apt-packages/serve.txt lists it")
        pytest.skip(f"{name} is not installed")
    return path
