"""Requests that need no worker are answered on the event loop (:mod:`nigraph.serve.asgi`): a narrow
look-up is answered while every request thread is held, the same bytes as in a thread; a query for
a worker that is idle is sent from the loop, which waits for the reply (timeout, a reply read in a
thread when large, a worker ended when the request is dropped); everything else goes to a thread."""

from __future__ import annotations

import asyncio
import os
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from nigraph.serve import open_app
from nigraph.serve.app import Exchange, Headers, Settings
from nigraph.serve import asgi
from nigraph.serve.asgi import Application
from nigraph.serve.pool import NotHere

from .serve_helpers import ROOT

LOOKUP = "SELECT ?p ?o WHERE { <https://w3id.org/nigraph/id/industry/E01> ?p ?o }"
GROUP_BY = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
ACCEPT = "application/sparql-results+json"


@pytest.fixture(scope="module")
def state(served_data: tuple[Path, Path]):
    store, dumps = served_data
    app = open_app(Settings(store_path=store, dumps_dir=dumps, queries_dir=ROOT / "queries", cache_mb=0,
                            workers=1, max_workers=1), "http://127.0.0.1:8000/")
    yield app
    app.pool.close()


@pytest.fixture(scope="module")
def quick(served_data: tuple[Path, Path]):
    """One worker and a 1.5 s timeout."""
    store, dumps = served_data
    app = open_app(Settings(store_path=store, dumps_dir=dumps, queries_dir=ROOT / "queries", cache_mb=0,
                            workers=1, max_workers=1, timeout_s=1.5), "http://127.0.0.1:8000/")
    yield app
    app.pool.close()


def _held(state, threads: int = 1) -> tuple[Application, threading.Event]:  # noqa: ANN001
    """An application whose every request thread is held until the event is set."""
    application = Application(state, threads=threads)
    gate = threading.Event()
    for _ in range(threads):
        application.executor.submit(gate.wait, 30)
    return application, gate


def _target(query: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query})


async def _get(application: Application, target: str, accept: str) -> tuple[int, bytes]:
    """``GET target`` through the ASGI application: (status, body)."""
    path, _, qs = target.partition("?")
    scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(), "query_string": qs.encode(),
             "headers": [(b"host", b"127.0.0.1:8000"), (b"accept", accept.encode())]}
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    await application(scope, receive, send)
    return sent[0]["status"], sent[1]["body"]


async def _call(application: Application, query: str) -> tuple[int, bytes]:
    return await _get(application, _target(query), ACCEPT)


async def _page(application: Application) -> int:
    return (await _get(application, "/", "text/html"))[0]


def _waits_for_a_thread(awaitable) -> None:  # noqa: ANN001
    async def blocked() -> None:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(awaitable, 1)
    asyncio.run(blocked())


def test_a_narrow_lookup_is_answered_while_every_request_thread_is_held(state) -> None:  # noqa: ANN001
    application, gate = _held(state)  # the only request thread, held
    try:
        status, body = asyncio.run(asyncio.wait_for(_call(application, LOOKUP), 5))
        in_thread = Exchange(state, "GET", _target(LOOKUP), Headers([("Accept", ACCEPT)])).handle(None)
        assert status == 200 and body == in_thread.body and b'"bindings"' in body
        _waits_for_a_thread(_page(application))  # a page waits for the thread
    finally:
        gate.set()
        application.executor.shutdown(wait=True)


@pytest.mark.parametrize("query", [GROUP_BY, "SELECT ?x WHERE {"])  # the second: the worker's 400
def test_a_query_for_an_idle_worker_is_sent_from_the_loop_with_the_same_answer(state, query: str) -> None:  # noqa: ANN001
    application, gate = _held(state)
    try:
        status, body = asyncio.run(asyncio.wait_for(_call(application, query), 10))
    finally:
        gate.set()
        application.executor.shutdown(wait=True)
    in_thread = Exchange(state, "GET", _target(query), Headers([("Accept", ACCEPT)])).handle(None)
    assert (status, body) == (in_thread.status, in_thread.body) and status in (200, 400)
    assert (b'"bindings"' in body) == (query == GROUP_BY)


def test_with_no_worker_idle_a_query_waits_in_a_thread(state) -> None:  # noqa: ANN001
    pool = state.pool
    pending = pool.begin(GROUP_BY)  # the only worker, busy
    assert pending is not None and pool.begin(GROUP_BY) is None
    application, gate = _held(state)
    try:
        _waits_for_a_thread(_call(application, GROUP_BY))
    finally:
        gate.set()
        answer = pending.answer(pending.read())  # the worker back in the pool
        application.executor.shutdown(wait=True)
    assert b'"bindings"' in answer.body
    status, body = asyncio.run(asyncio.wait_for(_call(Application(state), GROUP_BY), 10))
    assert status == 200 and body == answer.body


def test_a_large_reply_is_read_in_a_thread(state, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    expected = Exchange(state, "GET", _target(GROUP_BY), Headers([("Accept", ACCEPT)])).handle(None)
    monkeypatch.setattr(asgi, "LOOP_READ_MAX", len(expected.body) - 1)
    application, gate = _held(state)
    try:
        _waits_for_a_thread(_call(application, GROUP_BY))  # the reply waits for the held thread
        gate.set()
        status, body = asyncio.run(asyncio.wait_for(_call(application, GROUP_BY), 10))
    finally:
        gate.set()
        application.executor.shutdown(wait=True)
    assert (status, body) == (200, expected.body)


def test_a_query_sent_from_the_loop_ends_at_the_timeout_and_the_pool_recovers(quick) -> None:  # noqa: ANN001
    application, gate = _held(quick)
    killed = quick.pool.killed
    try:
        started = time.monotonic()
        status, body = asyncio.run(asyncio.wait_for(_call(application, RUNAWAY), 10))
        took = time.monotonic() - started
        assert status == 503 and b"timeout" in body and 1.4 <= took < 5 and quick.pool.killed == killed + 1
        gate.set()  # the worker is replaced in the background: the next query may find it busy starting
        status, body = asyncio.run(asyncio.wait_for(_call(application, GROUP_BY), 10))
        assert status == 200 and b'"bindings"' in body
    finally:
        gate.set()
        application.executor.shutdown(wait=True)


def test_a_dropped_request_ends_its_worker_whose_reply_never_answers_another_query(quick) -> None:  # noqa: ANN001
    pool = quick.pool
    application = Application(quick, threads=1)
    pending = pool.begin(RUNAWAY)
    assert pending is not None
    pid = pending.worker.pid

    async def drop() -> None:
        waiting = asyncio.ensure_future(application.reply(pending))
        await asyncio.sleep(0.2)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
    asyncio.run(drop())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        pytest.fail(f"worker {pid} still runs")
    answer = pool.run("ASK { ?s ?p ?o }")  # a new worker's own answer, not the dropped query's
    assert answer.body == b'{"head":{},"boolean":true}'
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
