"""Requests that need no worker are answered on the event loop (:mod:`nigraph.serve.asgi`): a narrow
look-up is answered while every request thread is held, the same bytes as in a thread; everything
else goes to a thread."""

from __future__ import annotations

import asyncio
import threading
import urllib.parse
from pathlib import Path

import pytest

from nigraph.serve import open_app
from nigraph.serve.app import Exchange, Headers, Settings
from nigraph.serve.asgi import Application
from nigraph.serve.pool import NotHere

from .serve_helpers import ROOT

LOOKUP = "SELECT ?p ?o WHERE { <https://w3id.org/nigraph/id/industry/E01> ?p ?o }"
GROUP_BY = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"
ACCEPT = "application/sparql-results+json"


@pytest.fixture(scope="module")
def state(served_data: tuple[Path, Path]):
    store, dumps = served_data
    app = open_app(Settings(store_path=store, dumps_dir=dumps, queries_dir=ROOT / "queries", cache_mb=0,
                            workers=1, max_workers=1), "http://127.0.0.1:8000/")
    yield app
    app.pool.close()


def _target(query: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query})


async def _call(application: Application, query: str) -> tuple[int, bytes]:
    path, _, qs = _target(query).partition("?")
    scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(), "query_string": qs.encode(),
             "headers": [(b"host", b"127.0.0.1:8000"), (b"accept", ACCEPT.encode())]}
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    await application(scope, receive, send)
    return sent[0]["status"], sent[1]["body"]


def test_a_narrow_lookup_is_answered_while_every_request_thread_is_held(state) -> None:  # noqa: ANN001
    application = Application(state, threads=1)
    gate = threading.Event()
    application.executor.submit(gate.wait, 30)  # the only request thread, held
    try:
        status, body = asyncio.run(asyncio.wait_for(_call(application, LOOKUP), 5))
        in_thread = Exchange(state, "GET", _target(LOOKUP), Headers([("Accept", ACCEPT)])).handle(None)
        assert status == 200 and body == in_thread.body and b'"bindings"' in body

        async def blocked() -> None:  # a query for a worker waits for the thread
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(_call(application, GROUP_BY), 1)
        asyncio.run(blocked())
    finally:
        gate.set()
        application.executor.shutdown(wait=True)


@pytest.mark.parametrize("target", ["/", "/sparql", _target(GROUP_BY), "/id/industry/E01",
                                    _target("SELECT ?x WHERE {")])  # syntax: the engine's message, in a worker
def test_what_needs_a_worker_or_a_page_is_not_answered_inline(state, target: str) -> None:  # noqa: ANN001
    with pytest.raises(NotHere):
        Exchange(state, "GET", target, Headers([("Accept", ACCEPT)]), inline=True).handle(None)


def test_a_refusal_is_answered_inline_as_in_a_thread(state) -> None:  # noqa: ANN001
    bad = _target("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    inline = Exchange(state, "GET", bad, Headers([("Accept", ACCEPT)]), inline=True).handle(None)
    in_thread = Exchange(state, "GET", bad, Headers([("Accept", ACCEPT)])).handle(None)
    assert inline.status == in_thread.status and inline.status >= 400 and inline.body == in_thread.body


@pytest.mark.parametrize("query", [GROUP_BY, "SELECT ?x WHERE {"])
def test_a_query_left_by_the_inline_attempt_goes_on_in_a_thread_with_the_same_answer(state, query: str) -> None:  # noqa: ANN001
    target = _target(query)
    exchange = Exchange(state, "GET", target, Headers([("Accept", ACCEPT)]), inline=True)
    with pytest.raises(NotHere):
        exchange.handle(None)
    assert exchange.resumable
    resumed = exchange.resume()
    plain = Exchange(state, "GET", target, Headers([("Accept", ACCEPT)])).handle(None)
    assert (resumed.status, resumed.body) == (plain.status, plain.body) and resumed.status in (200, 400)


def test_a_page_is_not_resumable_it_is_handled_afresh(state) -> None:  # noqa: ANN001
    exchange = Exchange(state, "GET", "/", Headers([("Accept", "text/html")]), inline=True)
    with pytest.raises(NotHere):
        exchange.handle(None)
    assert not exchange.resumable
