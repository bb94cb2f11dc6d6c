"""Run SPARQL queries in worker processes, each with the store open read-only, and end runaway ones.

pyoxigraph cannot interrupt a query, so each query runs in a worker process; a worker that
passes the timeout is killed (SIGKILL) and replaced, and the client gets :class:`QueryTimeout`.
Other queries go on in the other workers. The pool keeps ``workers`` processes and grows up to
``max_workers`` when every busy worker has been on its current query for half a second (stuck on
long queries, not merely busy), so a few runaway queries do not starve the others; beyond that
a request waits for a free worker at most ``timeout_s`` (:class:`Busy`).

A query's dataset is exact (:mod:`nigraph.query.dataset`): the protocol's graphs if given, else
the query's ``FROM``/``FROM NAMED``, else the union of every graph. The store is read-only, so
answers are kept in a bounded LRU cache, keyed by the query, its dataset, base IRI and media
types, and a repeated query is answered without a worker.

Every worker is a fork of one small *zygote* process. Two engines: ``disk`` opens the on-disk
store read-only in each worker (small memory, slower scans); ``memory`` loads the store once into
an in-memory pyoxigraph store in the zygote, which each worker shares (3-6x faster on scans and aggregates, see
``benchmarks/bench_virtuoso.py``). A fork is ready at once, so a worker killed at the timeout is
replaced without reloading. pyoxigraph writes to the memory it reads (reference counts), so
after a full scan a worker holds nearly its own copy: plan on (workers + 1) x the store's
in-memory size (about 400 bytes a triple, measured).

>>> from nigraph.serve.pool import _serialize  # the worker's writer, usable without processes
>>> import pyoxigraph as ox
>>> s = ox.Store(); s.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("o")))
>>> _serialize(s.query("ASK { ?s ?p ?o }"), ("application/sparql-results+json",), ("text/turtle",), 1000)
('boolean', 'application/sparql-results+json', b'{"head":{},"boolean":true}')
"""

from __future__ import annotations

import collections
import logging
import os
import signal
import socket
import struct
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph

from ..core.iri import PREFIXES
from ..query.dataset import UNION, Dataset, InexactDataset, query_options, with_union_default
from .lanes import is_lookup
from .local import anchor, degree_at_most, over_budget

__all__ = ["ENGINES", "BYTES_PER_TRIPLE", "Answer", "Pool", "Pending", "choose_engine", "QueryFailed", "QueryTimeout", "Busy",
           "TooLarge", "NotHere"]

log = logging.getLogger(__name__)

_RESULT_FORMATS = {
    "application/sparql-results+json": pyoxigraph.QueryResultsFormat.JSON,
    "application/sparql-results+xml": pyoxigraph.QueryResultsFormat.XML,
    "text/csv": pyoxigraph.QueryResultsFormat.CSV,
    "text/tab-separated-values": pyoxigraph.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    "text/turtle": pyoxigraph.RdfFormat.TURTLE,
    "application/n-triples": pyoxigraph.RdfFormat.N_TRIPLES,
    "application/ld+json": pyoxigraph.RdfFormat.JSON_LD,
    "application/rdf+xml": pyoxigraph.RdfFormat.RDF_XML,
}


@dataclass(frozen=True)
class Answer:
    """A serialized query result.

    :param kind: ``"solutions"``, ``"boolean"`` or ``"graph"``.
    :param media_type: the media type of ``body``.
    :param body: the serialized result.
    """

    kind: str
    media_type: str
    body: bytes


class QueryFailed(Exception):
    """The query could not run; ``status`` is the HTTP status (400 syntax, 406 no format, 500 other)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class QueryTimeout(QueryFailed):
    """The query ran longer than the timeout and was ended (HTTP 503)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, 503)


class Busy(QueryFailed):
    """No worker became free within the timeout (HTTP 503)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, 503)


class TooLarge(QueryFailed):
    """The result is larger than the limit (HTTP 500; the client should add a LIMIT)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, 500)


class NotHere(Exception):
    """:meth:`Pool.run` with ``here_only``: the answer needs a worker (it is neither cached nor a
    narrow look-up the server process answers)."""


class _Capped:
    """A bytes sink that refuses to grow beyond ``limit`` (keeps a worker's memory bounded)."""

    def __init__(self, limit: int) -> None:
        self.parts: list[bytes] = []
        self.size = 0
        self.limit = limit

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise _Overflow()
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


class _Overflow(Exception):
    pass


def _serialize(result: Any, results: tuple[str, ...], graphs: tuple[str, ...], limit: int) -> tuple[str, str, bytes]:
    """Write a pyoxigraph result in the first acceptable media type.

    :returns: ``(kind, media type, body)``.
    :raises QueryFailed: 406 if no acceptable type fits the result's kind.
    :raises _Overflow: if the body passes ``limit`` bytes.
    """
    if isinstance(result, pyoxigraph.QueryTriples):
        kind, offered, table = "graph", graphs, _GRAPH_FORMATS
    else:
        kind = "boolean" if isinstance(result, pyoxigraph.QueryBoolean) else "solutions"
        offered, table = results, _RESULT_FORMATS
    if not offered:
        raise QueryFailed(f"no acceptable media type for a {kind} result", 406)
    sink = _Capped(limit)
    fmt = table[offered[0]]
    if kind == "graph" and fmt != pyoxigraph.RdfFormat.N_TRIPLES:
        # nigraph's prefixes make Turtle, JSON-LD and RDF/XML answers readable (streamed all the same)
        pyoxigraph.serialize(result, sink, format=fmt, prefixes=PREFIXES)
    else:
        result.serialize(sink, format=fmt)
    return kind, offered[0], b"".join(sink.parts)


ENGINES = ("disk", "memory")
#: A query of at most this many characters is sent to a worker by whoever frees it (see _Waiter).
HANDOVER_MAX = 1 << 16
BYTES_PER_TRIPLE = 400  # in-memory pyoxigraph, measured on the 1M-triple benchmark catalogue (~390)


def _available_bytes() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def choose_engine(triples: int, processes: int, available: int | None = None) -> tuple[str, str]:
    """The engine ``auto`` means: memory when ``processes`` copies of the store fit in half the
    available memory, else disk.

    :param triples: the store's size.
    :param processes: copies to plan for (the zygote and every worker the pool may start).
    :param available: bytes of memory available (default: MemAvailable from /proc/meminfo).
    :returns: ``(engine, why)``.

    >>> choose_engine(1_000_000, 9, available=16 << 30)[0]
    'memory'
    >>> choose_engine(10_000_000, 9, available=16 << 30)
    ('disk', 'about 33.5 GiB for 9 in-memory copies, over half of the 16.0 GiB available')
    """
    available = _available_bytes() if available is None else available
    need = triples * BYTES_PER_TRIPLE * processes
    if available is None:
        return "disk", "available memory unknown"
    shown = f"about {need / (1 << 30):.1f} GiB for {processes} in-memory copies"
    if need <= available // 2:
        return "memory", f"{shown}, {available / (1 << 30):.1f} GiB available"
    return "disk", f"{shown}, over half of the {available / (1 << 30):.1f} GiB available"


def _messages(conn: Any) -> Any:  # pragma: no cover - runs in a child process
    """Messages from the pool until it sends ``None`` or goes away."""
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        yield msg


def _answer(conn: Any, store: pyoxigraph.Store, limit: int, shared: frozenset,
            union_in_default: bool = False) -> None:  # pragma: no cover - child
    """Worker loop: receive ``(query, results, graphs, substitutions, dataset, base_iri)``, answer
    ``("ok", ...)`` or ``("error", ...)``. ``shared`` is :func:`~nigraph.query.dataset.shared_graphs`
    of the store; ``union_in_default``: the store's default graph holds the union."""
    for query, results, graphs, substitutions, dataset, base_iri in _messages(conn):
        try:
            raw = store.query(query, base_iri=base_iri, substitutions=substitutions or None,
                              **query_options(query, dataset, shared=shared, union_in_default=union_in_default))
            conn.send(("ok",) + _serialize(raw, results, graphs, limit))
        except SyntaxError as exc:
            conn.send(("error", 400, f"query syntax error: {exc}"))
        except InexactDataset as exc:
            conn.send(("error", 400, f"query refused: {exc}"))
        except QueryFailed as exc:
            conn.send(("error", exc.status, str(exc)))
        except _Overflow:
            conn.send(("error", 500, f"result larger than {limit} bytes: add a LIMIT"))
        except Exception as exc:  # noqa: BLE001 - reported to the client, the worker lives on
            conn.send(("error", 500, f"query failed: {type(exc).__name__}: {exc}"))


#: How the zygote imports this module without the packages' ``__init__`` modules, which import
#: the rest of nigraph (build, validation, reasoning, the HTTP side and Jinja2): the zygote and
#: every worker forked from it then hold about 16 MiB less each. The packages on the way are made
#: bare (a module with the package's path, nothing run); what this module imports is loaded as usual.
RUNTIME_IMPORTS = """\
import importlib.util, os, sys, types
_where = list(importlib.util.find_spec("nigraph").submodule_search_locations)[0]
for _name in ("nigraph", "nigraph.core", "nigraph.query", "nigraph.serve"):
    _bare = types.ModuleType(_name)
    _bare.__path__ = [os.path.join(_where, *_name.split(".")[1:])]
    sys.modules[_name] = _bare
"""


def _zygote_main(fd: int) -> None:  # pragma: no cover - the zygote process's entry point
    """Entry point of the zygote (started by :class:`_Zygote`): its settings come on ``fd``."""
    from multiprocessing.connection import Connection

    conn = Connection(fd)
    store_path, limit, shared, engine = conn.recv()
    _zygote(conn, store_path, limit, shared, engine)


def _zygote(conn: Any, store_path: str, limit: int, shared: frozenset, engine: str) -> None:  # pragma: no cover - child
    """Hold the store in memory (engine ``memory``; with ``disk``, nothing), then fork one worker
    per request on ``conn``.

    A request is ``(requester pid, mode)``: mode ``memory`` answers from the zygote's in-memory
    store, ``disk`` opens the on-disk store read-only in the new worker. Each is answered with the
    worker's pid and, as an SCM_RIGHTS file descriptor, the parent's end of a socket pair on which
    the worker says it is ready, then answers queries.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps killed workers
    from multiprocessing.connection import Connection
    from multiprocessing.reduction import send_handle

    store = None
    if engine == "memory":
        disk = pyoxigraph.Store.read_only(store_path)
        if shared:  # a triple is in two graphs: the default graph holds their union, as a set
            store = with_union_default(disk)
        else:
            store = pyoxigraph.Store()
            store.bulk_extend(disk)
        del disk
    # Look-ups answered in the server (serve/local.py) are judged against this set, not counted
    # one by one (none when graphs share triples: the server then answers none).
    heavy = over_budget(store) if store is not None and not shared else None
    conn.send(("ready", os.getpid(), len(store) if store is not None else 0, heavy))
    for requester, mode in _messages(conn):
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            try:
                conn.close()
                ours.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                worker = Connection(theirs.detach())
                if mode == "disk":
                    worker_store, union = pyoxigraph.Store.read_only(store_path), False
                else:
                    worker_store, union = store, bool(shared)
                worker.send(("ready",))
                _answer(worker, worker_store, limit, shared, union)
            finally:
                os._exit(0)
        theirs.close()
        conn.send(pid)
        send_handle(conn, ours.fileno(), requester)
        ours.close()


class _Zygote:
    """The process that forks the query workers (and holds the in-memory store for them).

    It is started as a new interpreter with :mod:`subprocess`, not with :mod:`multiprocessing`:
    that would add a fork server and a resource tracker, two more processes (about 20 MiB)."""

    def __init__(self, store_path: str, limit: int, start_s: float, shared: frozenset, engine: str) -> None:
        import subprocess
        import sys
        from multiprocessing.connection import Connection

        ours, theirs = socket.socketpair()
        env = dict(os.environ)  # the zygote imports this very package, wherever it comes from
        env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parents[2])]
                                            + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", RUNTIME_IMPORTS + "from nigraph.serve.pool import _zygote_main\n"
                 "_zygote_main(int(sys.argv[1]))\n", str(theirs.fileno())],
                pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL)
        finally:
            theirs.close()
        self.conn = Connection(ours.detach())
        self.lock = threading.Lock()
        try:
            self.conn.send((store_path, limit, shared, engine))
            ready = self.conn.poll(start_s)
        except OSError:
            ready = False
        if not ready:
            self.kill()
            what = "the in-memory store was not loaded" if engine == "memory" else "the query workers' zygote did not start"
            raise OSError(f"{what} within {start_s:g} s")
        try:
            _, self.pid, self.triples, self.heavy = self.conn.recv()
        except (EOFError, OSError):
            self.kill()
            raise OSError(("loading the store into memory" if engine == "memory" else "starting the query workers' zygote")
                          + f" failed (exit code {self.process.poll()})") from None

    def fork(self, mode: str) -> tuple[Any, int]:
        """A new worker (``mode``: ``memory`` or ``disk``), ready: ``(connection, pid)``."""
        from multiprocessing.connection import Connection
        from multiprocessing.reduction import recv_handle

        with self.lock:
            try:
                self.conn.send((os.getpid(), mode))
                if not self.conn.poll(10):
                    raise OSError("the zygote did not fork a worker within 10 s")
                pid = self.conn.recv()
                fd = recv_handle(self.conn)
            except (EOFError, BrokenPipeError, ConnectionResetError) as exc:
                raise OSError(f"the zygote is gone: {exc}") from None
        conn = Connection(fd)
        try:
            if not conn.poll(60):
                raise OSError("a query worker did not start within 60 s")
            conn.recv()
        except (OSError, EOFError) as exc:
            _kill(pid)
            conn.close()
            raise OSError(f"a query worker did not start: {exc or 'it ended'}") from None
        return conn, pid

    def kill(self) -> None:
        try:
            self.process.kill()
            self.process.wait(5)
        except (OSError, ValueError):
            pass
        self.conn.close()


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


class _Worker:
    """A query worker: a fork of the zygote."""

    def __init__(self, conn: Any, pid: int) -> None:
        self.conn = conn
        self.pid = pid
        self.started = 0.0

    def kill(self) -> None:
        _kill(self.pid)
        self.conn.close()


class _Cache:
    """A least-recently-used map of answers, bounded in bytes. The store is read-only, so an
    answer stays right for as long as the server runs."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.hits = 0
        self._items: collections.OrderedDict[tuple, Answer] = collections.OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Answer | None:
        with self._lock:
            answer = self._items.get(key)
            if answer is not None:
                self._items.move_to_end(key)
                self.hits += 1
            return answer

    def put(self, key: tuple, answer: Answer) -> None:
        cost = len(answer.body) + sum(len(str(k)) for k in key)
        if cost > self.max_bytes // 8:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = answer
            self.size += cost
            while self.size > self.max_bytes:
                old_key, old = self._items.popitem(last=False)
                self.size -= len(old.body) + sum(len(str(k)) for k in old_key)


class _Waiter:
    """A request waiting for a worker; :meth:`Pool._release` hands one over and sets the event.
    With a ``message``, :meth:`Pool._release` sends it to the worker first (``sent``; ``failed``: the
    error sending raised), so that the worker starts on it at once, not when this request's thread
    has been scheduled again (under an 8-client load that took 0.6–0.75 ms on average, over 2 ms
    for one in ten, while the worker sat idle)."""

    def __init__(self, message: tuple | None = None) -> None:
        self.event = threading.Event()
        self.worker: _Worker | None = None
        self.message = message
        self.sent = False
        self.failed: Exception | None = None


class _Group:
    """Workers of one kind: the query workers, or the look-up lane's (see :class:`Pool`)."""

    def __init__(self, workers: int, max_workers: int) -> None:
        self.workers = workers
        self.max_workers = max_workers
        self.idle: list[_Worker] = []
        self.busy: set[_Worker] = set()
        self.waiters: collections.deque[_Waiter] = collections.deque()
        self.total = 0


class Pending:
    """A query sent by :meth:`Pool.begin` to a worker that was idle, its reply not read yet: for a
    caller that waits for :meth:`fileno` to be readable itself (the event loop, see :mod:`.asgi`),
    at most :attr:`limit_s` seconds, then calls :meth:`read` and :meth:`answer`, or :meth:`expire`
    (the timeout passed) or :meth:`abandon` (the caller gave up)."""

    def __init__(self, pool: Pool, worker: _Worker, key: tuple) -> None:
        self.pool = pool
        self.worker = worker
        self.key = key
        self.limit_s = pool.timeout_s

    def fileno(self) -> int:
        return self.worker.conn.fileno()

    def reply_bytes(self) -> int | None:
        """The size the reply announces, once it has begun to arrive (``None``: not known yet, or
        the worker is gone; :meth:`read` then tells which)."""
        try:
            sock = socket.socket(fileno=self.fileno())  # the connection's own, borrowed: detach() gives it back
        except (OSError, ValueError):
            return None
        try:
            head = sock.recv(4, socket.MSG_PEEK | socket.MSG_DONTWAIT)
        except OSError:
            return None
        finally:
            sock.detach()
        if len(head) < 4:
            return None
        size = struct.unpack("!i", head)[0]
        return size if size >= 0 else 1 << 31  # -1: a length of 8 bytes follows, over 2 GiB

    def read(self) -> tuple:
        """The worker's reply (it blocks until the whole reply is there); the worker goes back to the pool.

        :raises QueryFailed: the worker ended (500)."""
        try:
            reply = self.worker.conn.recv()
        except (EOFError, OSError) as exc:
            self.pool._discard(self.pool._main, self.worker)
            raise QueryFailed(f"query worker failed: {exc or 'it ended'}", 500) from None
        self.pool._release(self.pool._main, self.worker)
        return reply

    def answer(self, reply: tuple) -> Answer:
        """The answer of the reply :meth:`read` returned (as :meth:`Pool.run` gives it)."""
        return self.pool._conclude(self.key, reply)

    def expire(self) -> None:
        """End the worker, whose query passed the timeout.

        :raises QueryTimeout: always."""
        self.pool._discard(self.pool._main, self.worker)
        with self.pool._cond:
            self.pool.killed += 1
        raise QueryTimeout(f"query ended after the {self.pool.timeout_s:g} s timeout")

    def abandon(self) -> None:
        """End the worker (its reply will not be read: it must not answer the next query)."""
        self.pool._discard(self.pool._main, self.worker)


class Pool:
    """A pool of query worker processes over one read-only store.

    :param store_path: the store directory (built by ``nigraph build``).
    :param workers: processes kept ready.
    :param max_workers: processes at most (the pool grows when every busy worker has run its query ``min(0.5, timeout_s / 4)`` s).
    :param timeout_s: a query running longer is ended; a request waiting longer for a worker gets :class:`Busy`.
    :param max_result_bytes: a larger result is refused (:class:`TooLarge`).
    :param cache_bytes: answers kept for repeated queries (0: no cache).
    :param engine: ``"disk"`` or ``"memory"`` (see the module's description).
    :param load_timeout_s: the longest wait for the memory engine to load the store.
    :param shared: the graphs that hold a triple in common (:func:`~nigraph.query.dataset.shared_graphs`);
        ``None`` finds them in the store.
    :param base_iri: what relative IRIs in a query resolve against.
    :param lanes: workers kept apart for look-ups, beside ``workers`` (and ``max_workers``)
        (:func:`~nigraph.serve.lanes.is_lookup`), so that they never wait behind long queries; 0: none. A query there that runs past ``lane_s``
        seconds (``min(0.5, timeout_s / 4)`` by default) was misjudged: its worker is ended and
        the query runs again among the others, with the whole timeout.
    :raises OSError: if the workers (or the in-memory store) cannot be started.
    """

    def __init__(self, store_path: str | Path, *, workers: int = 2, max_workers: int = 8,
                 timeout_s: float = 30.0, max_result_bytes: int = 64 << 20, cache_bytes: int = 64 << 20,
                 engine: str = "disk", load_timeout_s: float = 3600.0, shared: frozenset | None = None,
                 base_iri: str | None = None, lanes: int = 0, lane_s: float | None = None,
                 in_process: bool = True) -> None:
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
        self.engine = engine
        self.load_timeout_s = load_timeout_s
        self.store_path = str(store_path)
        if shared is None:
            from ..query.dataset import shared_graphs

            shared = shared_graphs(pyoxigraph.Store.read_only(self.store_path))
        self.shared = shared
        self.base_iri = base_iri
        self.workers = max(1, workers)
        self.max_workers = max(self.workers, max_workers)
        self.timeout_s = timeout_s
        self.grow_after_s = min(0.5, timeout_s / 4)
        self.lane_s = min(self.grow_after_s, timeout_s) if lane_s is None else lane_s
        self.max_result_bytes = max_result_bytes
        # Workers fork from a small process that has imported this module already (the zygote): a
        # new worker is ready in milliseconds, and no worker inherits the HTTP server's threads.
        # The lane's workers come beside workers and max_workers: taken from them, they halved the
        # throughput of long queries on a 2-core machine (benchmarks/serve_throughput.py); a lane
        # worker reads the on-disk store and holds little memory.
        # They start on the first look-up that needs one: the narrow look-ups that the server
        # answers itself (serve/local.py) need none, and a process not started holds no memory.
        lanes = max(0, lanes)
        self._main = _Group(self.workers, self.max_workers)
        self._lane = _Group(0, lanes) if lanes > 0 else None
        # The store opened read-only in this process, for those look-ups (not when graphs share
        # triples: the exact union is kept in the workers' memory alone).
        self._here = pyoxigraph.Store.read_only(self.store_path) if in_process and not shared else None
        self.answered_here = 0
        self._cond = threading.Condition()
        self._closed = False
        self.killed = 0
        self.demoted = 0
        self.handed_over = 0  # queries sent to a worker by the request that freed it
        self.cache = _Cache(cache_bytes) if cache_bytes > 0 else None
        self._zygote_lock = threading.Lock()
        self._zygote = _Zygote(self.store_path, self.max_result_bytes, load_timeout_s, shared, engine)
        self.triples_in_memory = self._zygote.triples
        # The resources past the look-up budget, from the zygote's in-memory copy (memory engine;
        # kept from this first load, the one the store opened here was read with); None: each
        # look-up counts its quads in the store here.
        self._heavy = self._zygote.heavy if self._here is not None else None
        for group in (self._main, self._lane):
            for _ in range(group.workers if group is not None else 0):
                group.idle.append(self._spawn(group))
                group.total += 1

    @property
    def _idle(self) -> list[_Worker]:
        """The query workers that are free (the lane's are apart)."""
        return self._main.idle

    def _spawn(self, group: _Group | None = None) -> _Worker:
        """A new worker: a fork of the zygote (started again, reloading, if it died).

        The lane's workers read the on-disk store even with the memory engine: a look-up reads a
        few keys, as fast from disk, while a fork would copy, page by page, the parts of the
        in-memory store it reads (pyoxigraph writes to the memory it reads). Only when graphs
        share triples do they use the in-memory store too: the exact union is kept there alone."""
        lane = group is not None and group is self._lane
        mode = "memory" if self.engine == "memory" and (not lane or self.shared) else "disk"
        with self._zygote_lock:
            zygote = self._zygote
            try:
                conn, pid = zygote.fork(mode)
            except OSError as exc:
                if self._closed:
                    raise
                log.error("%s; starting the zygote again%s", exc, " (loading the store into memory)"
                          if self.engine == "memory" else "")
                zygote.kill()
                zygote = self._zygote = _Zygote(self.store_path, self.max_result_bytes, self.load_timeout_s,
                                                self.shared, self.engine)
                conn, pid = zygote.fork(mode)
        return _Worker(conn, pid)

    def _acquire(self, group: _Group, deadline: float, waiter: _Waiter) -> _Worker:
        # First come, first served: a released worker is handed to the longest-waiting request.
        # Only when every busy worker has been on its current query for grow_after_s (stuck on
        # long queries, not merely busy) does the pool start another process.
        with self._cond:
            if self._closed:
                raise Busy("the server is shutting down")
            if group.idle and not group.waiters:
                return self._take(group, group.idle.pop())
            group.waiters.append(waiter)
        while True:
            now = time.monotonic()
            with self._cond:
                handed = waiter.worker is not None
                if not handed:
                    if self._closed:
                        group.waiters.remove(waiter)
                        raise Busy("the server is shutting down")
                    youngest = max((w.started for w in group.busy), default=now - self.grow_after_s)
                    if group.total < group.max_workers and now - youngest >= self.grow_after_s:
                        group.waiters.remove(waiter)
                        group.total += 1
                        break
                    left = deadline - now
                    if left <= 0:
                        group.waiters.remove(waiter)
                        raise Busy(f"all {group.total} query workers stayed busy for {self.timeout_s:g} s; "
                                   "try again later")
                    if group.total < group.max_workers:
                        left = min(left, max(0.01, youngest + self.grow_after_s - now))
            if handed:  # the event is set once the hand-over's send is over: the message goes once
                waiter.event.wait()
                return waiter.worker
            waiter.event.wait(left)
        try:
            worker = self._spawn(group)
        except BaseException:
            self._discard(group, None)
            raise
        with self._cond:
            return self._take(group, worker)

    def _take(self, group: _Group, worker: _Worker) -> _Worker:
        """Mark a worker busy (the lock is held)."""
        worker.started = time.monotonic()
        group.busy.add(worker)
        return worker

    def _release(self, group: _Group, worker: _Worker) -> None:
        waiter = None
        with self._cond:
            group.busy.discard(worker)
            if self._closed:
                worker.conn.send(None)
                worker.kill()
                group.total -= 1
            elif group.waiters:
                waiter = group.waiters.popleft()
                waiter.worker = self._take(group, worker)
                self.handed_over += waiter.message is not None
            else:
                group.idle.append(worker)
        if waiter is None:
            return
        try:
            if waiter.message is not None:  # the worker is the waiter's now; it reads the reply
                worker.conn.send(waiter.message)
                waiter.sent = True
        except Exception as exc:  # noqa: BLE001 - raised in the waiting request (OSError: the worker is gone)
            waiter.failed = exc
        finally:
            waiter.event.set()

    def _discard(self, group: _Group, worker: _Worker | None) -> None:
        if worker is not None:
            worker.kill()
        with self._cond:
            group.busy.discard(worker)
            group.total -= 1
            short = not self._closed and group.total < group.workers
            if short:
                group.total += 1
        if short:
            threading.Thread(target=self._replace, args=(group,), daemon=True).start()

    def _replace(self, group: _Group) -> None:
        try:
            worker = self._spawn(group)
        except OSError as exc:
            log.error("cannot start a query worker: %s", exc)
            with self._cond:
                group.total -= 1
            return
        self._release(group, worker)

    def run(self, query: str, *, results: tuple[str, ...] = ("application/sparql-results+json",),
            graphs: tuple[str, ...] = ("text/turtle",),
            substitutions: dict[pyoxigraph.Variable, Any] | None = None, dataset: Dataset = UNION,
            lookup: bool | None = None, here_only: bool = False, here: bool = True) -> Answer:
        """Run one query and serialize its result.

        :param query: SPARQL query text (already checked by :mod:`nigraph.serve.guard`).
        :param results: acceptable media types for SELECT/ASK, best first.
        :param graphs: acceptable media types for CONSTRUCT/DESCRIBE, best first.
        :param substitutions: variables bound to RDF terms before evaluation.
        :param dataset: the protocol's dataset (it replaces the query's ``FROM``; empty: the query's own or the union).
        :param lookup: whether the query goes to the look-up lane (``None``: :func:`~nigraph.serve.lanes.is_lookup`
            judges, the substituted variables counting as fixed).
        :param here_only: answer from the cache or in this process only (see :mod:`.local`), else
            raise :class:`NotHere` at once: for a caller that must not block (the event loop).
        :param here: whether to try this process at all (``False``: an inline attempt just did).
        :returns: the answer.
        :raises QueryFailed: syntax errors (400), no acceptable type (406), other failures (500),
            :class:`QueryTimeout` and :class:`Busy` (503), :class:`TooLarge` (500).
        """
        key = self._key(query, results, graphs, substitutions, dataset)
        if self.cache is not None:
            cached = self.cache.get(key)
            if cached is not None:
                return cached
        message = (query, results, graphs, substitutions, dataset, self.base_iri)
        reply = self._answer_here(message) if here and self._here is not None else None
        if reply is None and here_only:
            raise NotHere(query)
        if reply is None and self._lane is not None and (is_lookup(query, tuple(k.value for k in substitutions or ()))
                                       if lookup is None else lookup):
            reply = self._ask(self._lane, message, self.lane_s, demote=True)
            if reply is None:
                self.demoted += 1
        if reply is None:
            reply = self._ask(self._main, message, self.timeout_s)
        return self._conclude(key, reply)

    @staticmethod
    def _key(query: str, results: tuple[str, ...], graphs: tuple[str, ...],
             substitutions: dict[pyoxigraph.Variable, Any] | None, dataset: Dataset) -> tuple:
        """What the cache keeps an answer by."""
        return (query, results, graphs, tuple(sorted((k.value, str(v)) for k, v in (substitutions or {}).items())),
                dataset.default, dataset.named)

    def _conclude(self, key: tuple, reply: tuple) -> Answer:
        """The answer of a worker's ``reply`` (kept in the cache), or its failure raised."""
        if reply[0] == "ok":
            answer = Answer(reply[1], reply[2], reply[3])
            if self.cache is not None:
                self.cache.put(key, answer)
            return answer
        _, status, message = reply
        if status == 500 and message.startswith("result larger"):
            raise TooLarge(message)
        raise QueryFailed(message, status)

    def begin(self, query: str, *, results: tuple[str, ...] = ("application/sparql-results+json",),
              graphs: tuple[str, ...] = ("text/turtle",), substitutions: dict[pyoxigraph.Variable, Any] | None = None,
              dataset: Dataset = UNION) -> Pending | None:
        """Send a query to a query worker that is idle now, without waiting for its reply (for a
        caller that must not block: the event loop). ``None``, with nothing sent, when no worker is
        idle or requests wait for one (they come first), when the query is the look-up lane's, or
        when sending fails (the worker is replaced): :meth:`run` then, in a thread. Parameters as
        for :meth:`run`; the cache is not read (the caller asked :meth:`run` with ``here_only``)."""
        if self._lane is not None and is_lookup(query, tuple(k.value for k in substitutions or ())):
            return None
        with self._cond:
            if self._closed or not self._main.idle or self._main.waiters:
                return None
            worker = self._take(self._main, self._main.idle.pop())
        try:
            worker.conn.send((query, results, graphs, substitutions, dataset, self.base_iri))
        except OSError:
            self._discard(self._main, worker)
            return None
        return Pending(self, worker, self._key(query, results, graphs, substitutions, dataset))

    def _answer_here(self, message: tuple) -> tuple | None:
        """Answer a narrow look-up in this process (:mod:`nigraph.serve.local`): ``("ok", ...)``, or
        ``None`` for the workers (another form, more than the budget of quads at the resource, or
        any error: a worker reports it as for every other query)."""
        query, results, graphs, substitutions, dataset, base_iri = message
        if len(query) > 4096:
            return None
        bound = {k.value: v.value for k, v in (substitutions or {}).items() if isinstance(v, pyoxigraph.NamedNode)}
        where = anchor(query, bound)
        if where is None:
            return None
        if (where in self._heavy) if self._heavy is not None else not degree_at_most(self._here, *where):
            return None
        try:
            raw = self._here.query(query, base_iri=base_iri, substitutions=substitutions or None,
                                   **query_options(query, dataset, shared=self.shared))
            reply = ("ok",) + _serialize(raw, results, graphs, self.max_result_bytes)
        except Exception:  # noqa: BLE001 - the workers answer it, with the error they report
            return None
        with self._cond:
            self.answered_here += 1
        return reply

    def _ask(self, group: _Group, message: tuple, limit_s: float, *, demote: bool = False) -> tuple | None:
        """Send ``message`` to a worker of ``group`` and return its reply. After ``limit_s`` the
        worker is ended: with ``demote``, ``None`` is returned (the query runs again elsewhere),
        else :class:`QueryTimeout` is raised."""
        # A small message waits with the request, for the worker's releaser to send (see _Waiter);
        # a large one is sent from here, lest the releaser (maybe the event loop) block on it.
        waiter = _Waiter(message if len(message[0]) <= HANDOVER_MAX else None)
        try:
            worker = self._acquire(group, time.monotonic() + limit_s, waiter)
        except Busy:
            if demote and not self._closed:
                return None
            raise
        try:
            if waiter.failed is not None:
                raise waiter.failed
            if not waiter.sent:
                worker.conn.send(message)
        except (EOFError, OSError) as exc:
            self._discard(group, worker)
            raise QueryFailed(f"query worker failed: {exc}", 500) from None
        except Exception as exc:  # noqa: BLE001 - not encoded, so nothing was written: the worker is sound
            self._release(group, worker)
            raise QueryFailed(f"query could not be sent to a worker: {exc}", 500) from None
        try:
            if not worker.conn.poll(limit_s):
                self._discard(group, worker)
                worker = None
                if demote:
                    return None
                self.killed += 1
                raise QueryTimeout(f"query ended after the {self.timeout_s:g} s timeout")
            reply = worker.conn.recv()
        except (EOFError, OSError) as exc:
            if worker is not None:
                self._discard(group, worker)
            raise QueryFailed(f"query worker failed: {exc}", 500) from None
        self._release(group, worker)
        return reply

    def close(self) -> None:
        """Stop every worker (idle ones now; busy ones when their query returns or times out)."""
        idle = []
        with self._cond:
            self._closed = True
            for group in (self._main, self._lane):
                if group is None:
                    continue
                idle += group.idle
                group.total -= len(group.idle)
                group.idle = []
                for waiter in group.waiters:
                    waiter.event.set()
        for w in idle:
            try:
                w.conn.send(None)
            except OSError:
                pass
            w.kill()
        if self._zygote is not None:
            self._zygote.kill()
        self._here = None
