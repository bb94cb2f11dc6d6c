"""``nigraph serve``: one process over the built store, with query workers beside it.

:func:`make_server` binds the socket and starts the worker pool; :func:`serve` runs it until
Ctrl-C or SIGTERM. See :mod:`nigraph.serve.app` for the routes and :mod:`nigraph.serve.pool`
for how queries are run and ended.

May import: :mod:`nigraph.core`, :mod:`nigraph.query`, :mod:`nigraph.export`, :mod:`nigraph.release`.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable
from http.server import ThreadingHTTPServer

from ..core.errors import NigraphError
from ..core.iri import BASE
from ..core.store import open_store
from ..export.void import FORMATS, describe, dump_url
from ..query.dataset import shared_graphs
from .app import SERVICE_BASE, App, Handler, Settings
from .trees import release_void
from .pool import Pool, choose_engine

__all__ = ["Settings", "make_server", "serve"]


class _Server(ThreadingHTTPServer):
    """One thread per connection, at most ``app.settings.max_connections`` at once; beyond that a
    connection gets a short 503 and is closed, so a flood cannot exhaust threads or memory."""

    daemon_threads = True
    request_queue_size = 128
    app: App
    slots: threading.BoundedSemaphore

    def process_request(self, request, client_address):  # noqa: ANN001 - socketserver signature
        if not self.slots.acquire(blocking=False):
            try:
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
                                b"Content-Length: 28\r\nConnection: close\r\nRetry-After: 1\r\n\r\n"
                                b"too many connections; retry\n")
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address):  # noqa: ANN001
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()


def make_server(settings: Settings, *, announce: Callable[[str], None] = lambda line: None) -> _Server:
    """Bind the address, compute the VoID description and start the query workers.

    :param settings: the configuration.
    :param announce: called with progress lines (the engine chosen, loading into memory).
    :returns: a server ready for ``serve_forever``; its ``app.pool`` must be closed afterwards.
    :raises NigraphError: if there is no store or the address cannot be bound.
    """
    store = open_store(settings.store_path)
    try:
        present = [n for n in sorted(FORMATS.values()) if (settings.dumps_dir / n).is_file()]
        void = describe(store, endpoint=BASE + "sparql", dumps=[dump_url(n) for n in present])
        void += release_void(settings.dumps_dir)
        triples = len(store)
        shared = shared_graphs(store)
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
        server = _Server((settings.host, settings.port), Handler)
    except OSError as exc:
        raise NigraphError(f"cannot listen on {settings.host}:{settings.port}: {exc.strerror or exc}") from None
    host, port = server.server_address[:2]
    shown = f"[{host}]" if ":" in str(host) else host
    base = settings.base or f"http://{shown}:{port}/"
    try:
        pool = Pool(settings.store_path, workers=settings.workers, max_workers=settings.max_workers,
                    timeout_s=settings.timeout_s, cache_bytes=settings.cache_mb << 20, engine=engine,
                    shared=shared, base_iri=SERVICE_BASE)
    except OSError as exc:
        server.server_close()
        raise NigraphError(f"{settings.store_path}: cannot start the query workers: {exc}") from None
    except BaseException:
        server.server_close()
        raise
    announce(f"query engine: {engine} ({why}), {settings.workers} to {settings.max_workers} workers")
    if shared:
        announce(f"warning: {len(shared)} pair(s) of graphs hold the same triples; queries whose default graph "
                 "merges such graphs are refused, since the engine would count them twice"
                 + (" (the union is exact: it is kept in memory)" if engine == "memory" else
                    ", the union among them (--engine memory keeps an exact union)"))
    server.app = App(settings, pool, base, void, graphs=graphs, union_triples=union_triples,
                     build=f"{build}:{engine}", modified=modified)
    server.slots = threading.BoundedSemaphore(settings.max_connections)
    return server


def serve(settings: Settings, *, announce: Callable[[str], None] = print,
          progress: Callable[[str], None] = print) -> None:
    """Serve until interrupted (Ctrl-C) or terminated (SIGTERM); then stop the workers.

    :param settings: the configuration.
    :param announce: called once with the local URL when the server is ready.
    :param progress: called with lines on the way there (see :func:`make_server`).
    """
    server = make_server(settings, announce=progress)
    host, port = server.server_address[:2]
    stop = threading.Event()

    def on_term(signum: int, frame: object) -> None:
        if not stop.is_set():
            stop.set()
            threading.Thread(target=server.shutdown, daemon=True).start()

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        announce(f"http://{host}:{port}/ (base {server.app.site.base})")
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.server_close()
        server.app.pool.close()
