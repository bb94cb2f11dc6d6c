"""``nigraph serve``: an ASGI application on uvicorn over the built store, with query workers beside it.

:func:`open_app` computes the descriptions and starts the worker pool; :func:`make_server` binds
the socket and makes the uvicorn server; :func:`serve` runs it until Ctrl-C or SIGTERM. See
:mod:`nigraph.serve.app` for the routes, :mod:`nigraph.serve.asgi` for the ASGI application
(which deployers can run under their own server) and :mod:`nigraph.serve.pool` for how queries
are run and ended.

May import: :mod:`nigraph.core`, :mod:`nigraph.query`, :mod:`nigraph.export`, :mod:`nigraph.release`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
from collections.abc import Callable, Iterator

from ..core.errors import NigraphError
from ..core.iri import BASE
from ..core.store import open_store
from ..export.void import FORMATS, describe, dump_url
from ..core.shared import shared_graphs_of
from .app import SERVICE_BASE, App, Settings
from .asgi import MAX_HEAD
from .coalesce import Coalescing
from .trees import release_void
from .pool import Pool, choose_engine

__all__ = ["Settings", "open_app", "make_server", "serve"]

#: Seconds a connection may stay idle, or take to send a request's head.
IDLE_S = 60
_TOO_MANY = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 28\r\n"
             b"Connection: close\r\nRetry-After: 1\r\n\r\ntoo many connections; retry\n")
_TOO_LONG = (b"HTTP/1.1 414 URI Too Long\r\nContent-Type: text/plain\r\nContent-Length: 40\r\n"
             b"Connection: close\r\n\r\nrequest line or header section too long\n")


def open_app(settings: Settings, base: str | None, *, announce: Callable[[str], None] = lambda line: None) -> App:
    """Compute the VoID description and the graphs' sizes, and start the query workers.

    :param settings: the configuration.
    :param base: the public URL (``None``: the first request's origin, see :mod:`.asgi`).
    :param announce: called with progress lines (the engine chosen, loading into memory).
    :returns: the application's state; its ``pool`` must be closed afterwards.
    :raises NigraphError: if there is no store or the workers cannot start.
    """
    store = open_store(settings.store_path)
    try:
        present = [n for n in sorted(FORMATS.values()) if (settings.dumps_dir / n).is_file()]
        void = describe(store, endpoint=BASE + "sparql", dumps=[dump_url(n) for n in present])
        void += release_void(settings.dumps_dir)
        triples = len(store)
        shared = shared_graphs_of(store, settings.store_path)  # the build's record, when current
        graphs = {row["g"].value: int(row["n"].value) for row in store.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")}
        union = store.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
                            use_default_graph_as_union=True)
        union_triples = int(next(iter(union))["n"].value)
    finally:
        del store
    # The store directory is a link to a directory made by one build: its name and time identify it.
    built = os.path.realpath(settings.store_path)
    build, modified = os.path.basename(built), os.stat(built).st_mtime
    engine, why = settings.engine, "chosen"
    if engine == "auto":
        engine, why = choose_engine(triples, settings.max_workers + 1)
    if engine == "memory":
        announce(f"loading {triples:,} triples into memory ({why}) ...")
    try:
        pool = Pool(settings.store_path, workers=settings.workers, max_workers=settings.max_workers,
                    timeout_s=settings.timeout_s, cache_bytes=settings.cache_mb << 20, engine=engine,
                    shared=shared, base_iri=SERVICE_BASE, lanes=settings.lookup_workers)
    except OSError as exc:
        raise NigraphError(f"{settings.store_path}: cannot start the query workers: {exc}") from None
    announce(f"query engine: {engine} ({why}), {settings.workers} to {settings.max_workers} workers"
             + (f", {settings.lookup_workers} more for look-ups when one is needed" if settings.lookup_workers else "")
             + ("; narrow look-ups answered here" if not shared else ""))
    if shared:
        announce(f"warning: {len(shared)} pair(s) of graphs hold the same triples; queries whose default graph "
                 "merges such graphs are refused, since the engine would count them twice"
                 + (" (the union is exact: it is kept in memory)" if engine == "memory" else
                    ", the union among them (--engine memory keeps an exact union)"))
    return App(settings, pool, base, void, graphs=graphs, union_triples=union_triples,
               build=f"{build}:{engine}", modified=modified)


def _head_size(method: bytes, url: bytes, headers: list[tuple[bytes, bytes]]) -> int:
    """The bytes of a request line and header section as parsed (each field's surrounding
    whitespace not counted: never more than was sent).

    >>> _head_size(b"GET", b"/sparql", [(b"host", b"x")]) == len(b"GET /sparql HTTP/1.1\\r\\nhost: x\\r\\n\\r\\n")
    True
    """
    return len(method) + len(url) + 12 + sum(len(n) + len(v) + 4 for n, v in headers) + 2


def _guarded(protocol: type, limit: int) -> type:
    """uvicorn's httptools protocol, with the limits ``http.server`` had: connections beyond
    ``limit`` open ones get a short 503 (idle keep-alive connections count), so that a flood cannot
    exhaust memory; a connection that has not sent a whole request head :data:`IDLE_S` seconds
    after it opened or after its last answer is closed, however slowly it dribbles bytes
    (uvicorn's own keep-alive timer restarts at every byte); a request line or header section over
    :data:`MAX_HEAD` bytes gets 414 (httptools sets no bound: the bytes of an unfinished head are
    counted as they arrive, a finished one is measured before the application sees it)."""

    class Guarded(protocol):  # type: ignore[misc, valid-type]
        admitted = False
        deadline = None
        in_head = True  # between requests or inside a head (not in a body)
        pending = 0  # bytes received since the current head began, while it is unfinished
        marked = False  # a head ended or a message ended in the bytes being parsed

        def connection_made(self, transport) -> None:  # noqa: ANN001 - asyncio signature
            if len(self.connections) >= limit:
                transport.write(_TOO_MANY)
                transport.close()
                return
            self.admitted = True
            super().connection_made(Coalescing(transport))
            self.arm()

        def arm(self) -> None:
            if self.deadline is not None:
                self.deadline.cancel()
            self.deadline = self.loop.call_later(IDLE_S, self.expire)

        def expire(self) -> None:
            self.deadline = None
            if self.cycle is None or self.cycle.response_complete:  # no request under way
                self.transport.close()

        def connection_lost(self, exc: Exception | None) -> None:
            if self.deadline is not None:
                self.deadline.cancel()
            if self.admitted:
                super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            if not self.admitted or self.transport.is_closing():
                return
            self.marked = False
            super().data_received(data)
            if self.marked:  # a head or a body ended in `data`: where is not known, so count afresh
                self.pending = 0
            elif self.in_head and not self.transport.is_closing():
                self.pending += len(data)
                if self.pending > MAX_HEAD:
                    self.too_long()

        def too_long(self) -> None:
            self.transport.write(_TOO_LONG)
            self.transport.close()

        def on_headers_complete(self) -> None:
            self.in_head, self.marked = False, True
            if _head_size(self.parser.get_method(), self.url, self.headers) > MAX_HEAD:
                return self.too_long()
            super().on_headers_complete()

        def on_body(self, body: bytes) -> None:
            if not self.transport.is_closing():  # closing: the head was refused
                super().on_body(body)

        def on_message_complete(self) -> None:
            self.in_head, self.marked = True, True
            if not self.transport.is_closing():
                super().on_message_complete()

        def on_response_complete(self) -> None:
            self.transport.flush()  # a head without a body (HEAD, 304)
            super().on_response_complete()
            if not self.transport.is_closing():
                self.arm()

    return Guarded


class _Server:
    """uvicorn on a socket bound beforehand, with the application's state at hand."""

    def __init__(self, uvicorn_server, sock: socket.socket, app: App) -> None:  # noqa: ANN001
        self.uvicorn = uvicorn_server
        self.socket = sock
        self.app = app
        self.server_address = sock.getsockname()

    def serve_forever(self) -> None:
        """Serve until :meth:`shutdown` (or the caller's signal handler sets ``should_exit``)."""
        asyncio.run(self.uvicorn.serve(sockets=[self.socket]))

    def shutdown(self) -> None:
        self.uvicorn.should_exit = True

    def server_close(self) -> None:
        self.socket.close()


def make_server(settings: Settings, *, announce: Callable[[str], None] = lambda line: None) -> _Server:
    """Bind the address, start the query workers and make the uvicorn server.

    :param settings: the configuration.
    :param announce: called with progress lines (the engine chosen, loading into memory).
    :returns: a server ready for ``serve_forever``; its ``app.pool`` must be closed afterwards.
    :raises NigraphError: if there is no store or the address cannot be bound.
    """
    import uvicorn
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    from .asgi import Application

    try:
        family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
        # proto IPPROTO_TCP: asyncio then sets TCP_NODELAY on each connection; without it, Nagle's
        # algorithm and the client's delayed ACK add ~40 ms to every keep-alive response.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((settings.host, settings.port))
        sock.listen(128)
    except OSError as exc:
        raise NigraphError(f"cannot listen on {settings.host}:{settings.port}: {exc.strerror or exc}") from None
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in str(host) else host
    try:
        state = open_app(settings, settings.base or f"http://{shown}:{port}/", announce=announce)
    except BaseException:
        sock.close()
        raise
    config = uvicorn.Config(Application(state, threads=settings.max_connections), lifespan="off",
                            http=_guarded(HttpToolsProtocol, settings.max_connections), loop="asyncio",
                            timeout_keep_alive=IDLE_S, server_header=False, access_log=False,
                            proxy_headers=False,  # client addresses are never read: no per-request middleware
                            log_level="warning", timeout_graceful_shutdown=5, backlog=128)

    class Server(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:  # serve() handles the signals
            yield

    return _Server(Server(config), sock, state)


def serve(settings: Settings, *, announce: Callable[[str], None] = print,
          progress: Callable[[str], None] = print) -> None:
    """Serve until interrupted (Ctrl-C) or terminated (SIGTERM); then stop the workers.

    :param settings: the configuration.
    :param announce: called once with the local URL when the server is ready.
    :param progress: called with lines on the way there (see :func:`make_server`).
    """
    server = make_server(settings, announce=progress)
    host, port = server.server_address[:2]

    def on_signal(signum: int, frame: object) -> None:
        server.shutdown()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        announce(f"http://{host}:{port}/ (base {server.app.site.base})")
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        server.server_close()
        server.app.pool.close()
