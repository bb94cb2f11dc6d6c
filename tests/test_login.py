"""``nigraph publish``'s HTTP login (nigraph.publish.login, through httpx) against a real local HTTP
server that checks Digest (RFC 7616, MD5, qop=auth) or Basic credentials itself.

Replaces the tests of the hand-written Digest code (httpauth.py) that httpx made unnecessary; the
Virtuoso tests (tests/test_publish.py) log in to a real triplestore the same way.
"""

from __future__ import annotations

import base64
import hashlib
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from pyoxigraph import NamedNode

from nigraph.publish.graph_store import LoginRefused, Remote

USER, PASSWORD, REALM = "dba", "s3cret", "store"


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


@dataclass
class Store:
    """What the server saw: one (method, path, scheme or '', status) per request."""

    scheme: str
    nonce: str = "n1"
    seen: list[tuple[str, str, str, int]] = field(default_factory=list)
    url: str = ""


def _check(store: Store, method: str, header: str) -> bool:
    if store.scheme == "basic":
        return header == "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    if not header.startswith("Digest "):
        return False
    f = dict(re.findall(r'(\w+)="?([^",]*)"?', header[7:]))
    ha1, ha2 = _md5(f"{USER}:{REALM}:{PASSWORD}"), _md5(f"{method}:{f.get('uri', '')}")
    expected = _md5(f"{ha1}:{f.get('nonce')}:{f.get('nc')}:{f.get('cnonce')}:auth:{ha2}")
    return f.get("username") == USER and f.get("nonce") == store.nonce and f.get("response") == expected


@pytest.fixture(params=["digest", "basic"])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    state = Store(request.param)

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            size = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(size)
            header = self.headers.get("Authorization", "")
            ok = _check(state, self.command, header)
            status = 200 if ok else 401
            state.seen.append((self.command, self.path, header.split(" ")[0], status))
            self.send_response(status)
            if not ok:
                challenge = (f'Digest realm="{REALM}", nonce="{state.nonce}", qop="auth", algorithm=MD5'
                             if state.scheme == "digest" else f'Basic realm="{REALM}"')
                self.send_header("WWW-Authenticate", challenge)
            body = b'{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "7"}}]}}'
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = _answer  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def test_first_request_is_challenged_then_every_request_is_signed_up_front(store: Store) -> None:
    remote = Remote(store.url + "/sparql", graph_store=store.url + "/gsp", user=USER, password=PASSWORD)
    assert remote.select("SELECT ?n WHERE {}") == [{"n": "7"}]
    remote.put(NamedNode("http://e/g"), b"<http://e/s> <http://e/p> <http://e/o> .\n" * 20_000)
    remote.update("CLEAR SILENT GRAPH <http://e/g>")
    statuses = [(m, s, st) for m, _, s, st in store.seen]
    expected = "Digest" if store.scheme == "digest" else "Basic"
    assert statuses == [("POST", "", 401), ("POST", expected, 200), ("PUT", expected, 200), ("POST", expected, 200)]


@pytest.mark.parametrize("store", ["digest"], indirect=True)  # nonces are Digest's
def test_a_new_nonce_is_answered_once(store: Store) -> None:
    remote = Remote(store.url + "/sparql", user=USER, password=PASSWORD)
    remote.select("SELECT ?n WHERE {}")
    store.nonce = "n2"  # the server expires the nonce
    remote.select("SELECT ?n WHERE {}")
    assert [st for *_, st in store.seen] == [401, 200, 401, 200]


def test_a_wrong_password_is_refused_with_one_line(store: Store) -> None:
    remote = Remote(store.url + "/sparql", user=USER, password="wrong")
    with pytest.raises(LoginRefused, match=r"login refused for user 'dba' \(HTTP 401\)"):
        remote.select("SELECT ?n WHERE {}")
    assert len(store.seen) == 2  # asked once, answered once, refused: no loop


def test_no_user_when_the_store_asks_for_one(store: Store) -> None:
    with pytest.raises(LoginRefused, match="give --user"):
        Remote(store.url + "/sparql").select("SELECT ?n WHERE {}")
