"""A request that waits for a busy worker has its query sent by whoever frees the worker
(:meth:`nigraph.serve.pool.Pool._release`), so the worker does not sit idle until the waiting
thread is scheduled; a large query is sent by its own thread, and a worker that cannot be sent to
fails that request alone (500) and is replaced."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from nigraph.serve import pool as pool_module
from nigraph.serve.pool import Pool, QueryFailed

FIRST = "SELECT ?o WHERE { <http://e/s1> <http://e/p> ?o }"
SECOND = "SELECT ?o WHERE { <http://e/s2> <http://e/p> ?o }"
CSV = ("text/csv",)


def _pool(where: Path, engine: str, max_workers: int) -> Pool:
    """One worker over five triples; no look-ups in this process, so that every query needs a worker."""
    store = ox.Store(str(where / "store"))
    store.extend(ox.Quad(ox.NamedNode(f"http://e/s{i}"), ox.NamedNode("http://e/p"), ox.Literal(str(i)),
                         ox.NamedNode("http://e/g")) for i in range(5))
    store.flush()
    del store
    return Pool(where / "store", workers=1, max_workers=max_workers, timeout_s=10.0, cache_bytes=0,
                engine=engine, in_process=False)


@pytest.fixture(params=["disk", "memory"])
def pool(request: pytest.FixtureRequest, tmp_path: Path):
    p = _pool(tmp_path, request.param, max_workers=1)  # no growth: a second query waits
    try:
        yield p
    finally:
        p.close()


def _waiting(pool: Pool, query: str, **options) -> tuple[threading.Thread, dict]:  # noqa: ANN003
    """A thread that runs ``query`` on ``pool``, started once the only worker is busy; returned
    when it waits for the worker."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["answer"] = pool.run(query, results=CSV, **options)
        except QueryFailed as exc:
            outcome["failed"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not pool._main.waiters:
        assert time.monotonic() < deadline and thread.is_alive(), outcome
        time.sleep(0.005)
    return thread, outcome


def test_the_query_of_a_waiting_request_is_sent_by_the_one_that_frees_the_worker(pool: Pool) -> None:
    pending = pool.begin(FIRST, results=CSV)  # the only worker, busy until its reply is read
    assert pending is not None
    thread, outcome = _waiting(pool, SECOND)
    sent = []
    conn = pending.worker.conn
    real_send = conn.send

    class Spy:  # records which thread sends what to the worker
        def __getattr__(self, name: str):  # noqa: ANN204
            return getattr(conn, name)

        def send(self, message) -> None:  # noqa: ANN001
            sent.append((threading.current_thread().name, message and message[0]))
            real_send(message)

    pending.worker.conn = Spy()
    first = pending.answer(pending.read())  # frees the worker: SECOND goes to it from here
    assert sent == [(threading.current_thread().name, SECOND)] and pool.handed_over == 1
    thread.join(10)
    assert first.body.decode().splitlines() == ["o", "1"]
    assert outcome["answer"].body.decode().splitlines() == ["o", "2"]


def test_a_large_query_is_sent_by_its_own_request(pool: Pool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool_module, "HANDOVER_MAX", len(SECOND) - 1)
    pending = pool.begin(FIRST, results=CSV)
    thread, outcome = _waiting(pool, SECOND)
    pending.read()
    thread.join(10)
    assert outcome["answer"].body.decode().splitlines() == ["o", "2"] and pool.handed_over == 0


def test_a_worker_that_cannot_be_sent_to_fails_that_request_and_is_replaced(pool: Pool) -> None:
    pending = pool.begin(FIRST, results=CSV)
    thread, outcome = _waiting(pool, SECOND)
    conn = pending.worker.conn

    class Broken:  # the reply arrives; the next message finds the worker gone
        def __getattr__(self, name: str):  # noqa: ANN204
            return getattr(conn, name)

        def send(self, message) -> None:  # noqa: ANN001
            raise BrokenPipeError("the worker went away")

    pending.worker.conn = Broken()
    pending.read()
    thread.join(10)
    assert outcome["failed"].status == 500 and "went away" in str(outcome["failed"])
    deadline = time.monotonic() + 10
    while True:  # the replacement starts in the background
        try:
            answer = pool.run(SECOND, results=CSV)
            break
        except QueryFailed as exc:
            assert time.monotonic() < deadline, exc
            time.sleep(0.05)
    assert answer.body.decode().splitlines() == ["o", "2"]


def test_a_waiting_request_that_wakes_while_its_query_is_being_sent_does_not_send_it_again(tmp_path: Path) -> None:
    pool = _pool(tmp_path, "disk", max_workers=2)  # room to grow: the waiting request looks every 0.5 s
    try:
        pending = pool.begin(FIRST, results=CSV)
        thread, outcome = _waiting(pool, SECOND)
        conn = pending.worker.conn
        sent = []

        class Slow:  # the hand-over's send takes longer than the waiting request's next look
            def __getattr__(self, name: str):  # noqa: ANN204
                return getattr(conn, name)

            def send(self, message) -> None:  # noqa: ANN001
                sent.append(message and message[0])
                if message and message[0] == SECOND:
                    time.sleep(1.0)
                conn.send(message)

        pending.worker.conn = Slow()
        pending.read()
        thread.join(10)
        assert sent.count(SECOND) == 1 and outcome["answer"].body.decode().splitlines() == ["o", "2"], sent
        third = "SELECT ?o WHERE { <http://e/s3> <http://e/p> ?o }"  # a second reply to SECOND would answer it
        assert pool.run(third, results=CSV).body.decode().splitlines() == ["o", "3"]
    finally:
        pool.close()


def test_a_query_that_cannot_be_encoded_fails_alone_and_leaves_the_worker_in_the_pool(pool: Pool) -> None:
    pending = pool.begin(FIRST, results=CSV)
    # substitutions that cannot be pickled for the worker
    thread, outcome = _waiting(pool, SECOND, substitutions={ox.Variable("x"): threading.Lock()})
    pending.read()
    thread.join(10)
    assert outcome["failed"].status == 500 and "could not be sent" in str(outcome["failed"])
    assert pool._main.total == 1 and len(pool._main.idle) == 1  # not lost, not replaced
    assert pool.run(SECOND, results=CSV).body.decode().splitlines() == ["o", "2"]
