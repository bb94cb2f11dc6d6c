"""``nigraph serve`` as an ASGI application, to run on uvicorn (``nigraph serve`` does) or any ASGI server.

A deployer runs it under their own server; the settings come from the environment::

    NIGRAPH_ROOT=/srv/nigraph uvicorn nigraph.serve.asgi:app --host 0.0.0.0 --port 8000

``NIGRAPH_ROOT`` (the project; default: as ``--root``), ``NIGRAPH_STORE`` (default ``DIST/store``),
``NIGRAPH_DUMPS`` (default ``DIST``), ``NIGRAPH_BASE`` (the public URL; default: the scheme, host
and port of the first request), ``NIGRAPH_TIMEOUT``, ``NIGRAPH_WORKERS``, ``NIGRAPH_MAX_WORKERS``,
``NIGRAPH_MAX_BODY``, ``NIGRAPH_CACHE_MB``, ``NIGRAPH_ENGINE``, ``NIGRAPH_LOOKUP_WORKERS``: the options
of ``nigraph serve``.
The query workers start at the ASGI lifespan's startup and stop at its shutdown; each server
process (``--workers N`` of uvicorn or gunicorn) has its own.

The request's framing is read here: a POST needs a ``Content-Length`` (411) or chunked transfer
coding (another coding is 501), and a body over ``max_body`` is refused with 413 without being
read further. Everything else is :class:`~nigraph.serve.app.Exchange`'s: on the event loop when it
needs no worker (a refusal, a cached answer, a narrow look-up of :mod:`nigraph.serve.local`:
bounded work, no thread hand-off); a query for a worker, when one is idle, is sent to it from the
loop, which waits for the reply as for a socket (no thread either: two hand-offs less per query,
about 0.25 ms of the server's CPU); else, and for pages, in a thread (a query blocks until its
worker answers). Answers to single-resource look-ups do not wait behind long queries (see
:mod:`nigraph.serve.pool`'s lane).
"""

from __future__ import annotations

import asyncio
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable

from ..core.errors import NigraphError
from .app import App, Exchange, Headers, Response, Settings
from .pool import Answer, NotHere, Pending

__all__ = ["Application", "app", "settings_from_environment", "MAX_HEAD", "LOOP_READ_MAX"]

log = logging.getLogger(__name__)

#: The longest request line plus header section, in bytes (longer: 414).
MAX_HEAD = 65536

#: A worker's reply of more bytes is read in a thread: on the loop it would hold every other
#: connection while it streams in.
LOOP_READ_MAX = 1 << 20


def settings_from_environment(environ: dict[str, str] | None = None) -> Settings:
    """:class:`Settings` from ``NIGRAPH_*`` variables (see the module's description).

    :raises NigraphError: if a number is not a number or the project cannot be found.
    """
    env = os.environ if environ is None else environ
    from ..core.project import resolve

    try:
        project = resolve(Path(env["NIGRAPH_ROOT"]) if env.get("NIGRAPH_ROOT") else None)
    except LookupError as exc:
        raise NigraphError(str(exc)) from None

    def number(name: str, default: float, kind: type = int) -> Any:
        try:
            return kind(env.get(name, default))
        except ValueError:
            raise NigraphError(f"{name}={env[name]!r} is not a number") from None

    workers = number("NIGRAPH_WORKERS", 2)
    engine = env.get("NIGRAPH_ENGINE", "auto")
    if engine not in ("auto", "memory", "disk"):
        raise NigraphError(f"NIGRAPH_ENGINE={engine!r} is not one of auto, memory, disk")
    return Settings(
        store_path=Path(env.get("NIGRAPH_STORE") or project.dist / "store"),
        dumps_dir=Path(env.get("NIGRAPH_DUMPS") or project.dist), queries_dir=project.root / "queries",
        base=env.get("NIGRAPH_BASE") or None, timeout_s=number("NIGRAPH_TIMEOUT", 30.0, float),
        workers=workers, max_workers=max(workers, number("NIGRAPH_MAX_WORKERS", 8)),
        max_body=number("NIGRAPH_MAX_BODY", 1 << 20), cache_mb=number("NIGRAPH_CACHE_MB", 64),
        engine=engine, lookup_workers=number("NIGRAPH_LOOKUP_WORKERS", 1))


def _plain(status: int, message: str) -> Response:
    body = (message + "\n").encode()
    return Response(status, [("Server", "nigraph"), ("Content-Type", "text/plain; charset=utf-8"),
                             ("Content-Length", str(len(body))), ("Access-Control-Allow-Origin", "*"),
                             ("X-Content-Type-Options", "nosniff")], body, close=True)


class Application:
    """The ASGI callable.

    :param state: the :class:`App` already opened (``nigraph serve``), or ``None`` to open one at
        the lifespan's startup from ``settings`` (default: :func:`settings_from_environment`).
    :param settings: the configuration when ``state`` is ``None``.
    :param threads: requests answered at once in threads (pages, and queries that wait for a busy worker).
    """

    def __init__(self, state: App | None = None, *, settings: Settings | None = None, threads: int = 256) -> None:
        self.state = state
        self.settings = settings
        self.threads = threads
        self._executor: ThreadPoolExecutor | None = None

    @property
    def executor(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self.threads, thread_name_prefix="nigraph-request")
        return self._executor

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] == "lifespan":
            return await self.lifespan(receive, send)
        if scope["type"] != "http":  # websockets: not served
            return None
        state = self.state
        if state is None:
            return await self.respond(send, _plain(503, "the server is starting"))
        if state.site is None:  # under a deployer's server without NIGRAPH_BASE: the first request's origin
            host, port = scope.get("server") or ("127.0.0.1", 80)
            state.set_base(f"{scope.get('scheme', 'http')}://{host}:{port}/")
        headers = Headers([(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]])
        method = scope["method"]
        body: bytes | None = None
        if method == "POST":
            read = await self.read_body(receive, headers, state.settings.max_body)
            if isinstance(read, Response):
                return await self.respond(send, read)
            body = read
        raw = scope.get("raw_path") or scope["path"].encode("utf-8")
        target = raw.decode("latin-1")
        if scope.get("query_string"):
            target += "?" + scope["query_string"].decode("latin-1")
        if len(target) > MAX_HEAD:  # under a deployer's server, which may set no bound
            return await self.respond(send, _plain(414, "request line or header section too long"))
        loop = asyncio.get_running_loop()
        if raw.endswith(b"/sparql"):  # a narrow look-up, a cached answer or a refusal: answered on the loop
            exchange = Exchange(state, method, target, headers, inline=True)
            try:
                return await self.respond(send, exchange.handle(body))
            except NotHere:  # a worker's (read and checked once): sent from here to an idle one, else in a thread
                if exchange.resumable:
                    pending = exchange.begin()
                    if pending is not None:
                        return await self.respond(send, exchange.conclude(await self.reply(pending)))
                    return await self.respond(send, await loop.run_in_executor(self.executor, exchange.resume))
        exchange = Exchange(state, method, target, headers)
        response = await loop.run_in_executor(self.executor, exchange.handle, body)
        await self.respond(send, response)

    async def reply(self, pending: Pending) -> Callable[[], Answer]:
        """Wait, without blocking the loop, for the reply to a query sent by :meth:`Exchange.begin`,
        at most its timeout; then what gives its answer or raises its failure (for
        :meth:`Exchange.conclude`). A caller that gives up (cancelled) ends the worker."""
        loop = asyncio.get_running_loop()
        came = loop.create_future()

        def wake(arrived: bool) -> None:
            if not came.done():
                came.set_result(arrived)

        fd = pending.fileno()
        loop.add_reader(fd, wake, True)
        timer = loop.call_later(pending.limit_s, wake, False)
        arrived: bool | None = None
        try:
            arrived = await came
        finally:
            loop.remove_reader(fd)  # before the worker (and its descriptor) may end
            timer.cancel()
            if arrived is None:  # cancelled: its reply would answer the worker's next query
                pending.abandon()
        if not arrived:
            return pending.expire  # raises QueryTimeout
        size = pending.reply_bytes()
        if size is not None and size <= LOOP_READ_MAX:
            return lambda: pending.answer(pending.read())
        reading = self.executor.submit(pending.read)  # a large reply, or a worker gone (read says how)
        try:
            reply = await asyncio.wrap_future(reading)
        except asyncio.CancelledError:
            if reading.cancel():  # not begun: nobody reads the reply, the worker must not answer again
                pending.abandon()
            raise
        except Exception as exc:  # noqa: BLE001 - raised again by what is returned, for conclude to report

            def failed() -> Answer:
                raise exc

            return failed
        return lambda: pending.answer(reply)

    @staticmethod
    async def read_body(receive: Callable, headers: Headers, limit: int) -> bytes | Response:
        """The body of a POST, or the refusal (411, 400, 413, 501)."""
        length = headers.get("Content-Length")
        coding = headers.get("Transfer-Encoding")
        if coding is not None:
            if coding.strip().lower() != "chunked":
                return _plain(501, f"transfer coding {coding!r} is not supported (only chunked)")
        elif length is None:
            return _plain(411, "a POST needs a Content-Length or chunked transfer coding")
        else:
            try:
                size = int(length)
            except ValueError:
                return _plain(400, "bad Content-Length")
            if size > limit:  # the body is not read
                return _plain(413, f"request body of {size} bytes is over the limit of {limit} bytes")
        parts, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return _plain(400, "the request body ended early")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:  # the rest is not read
                return _plain(413, f"request body is over the limit of {limit} bytes")
            parts.append(chunk)
            if not message.get("more_body", False):
                return b"".join(parts)

    @staticmethod
    async def respond(send: Callable, response: Response) -> None:
        fields = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers]
        if response.close:
            fields.append((b"connection", b"close"))
        await send({"type": "http.response.start", "status": response.status, "headers": fields})
        await send({"type": "http.response.body", "body": response.body})

    async def lifespan(self, receive: Callable, send: Callable) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                if self.state is None:
                    try:
                        from . import open_app

                        settings = self.settings or settings_from_environment()
                        loop = asyncio.get_running_loop()
                        self.state = await loop.run_in_executor(None, lambda: open_app(settings, settings.base,
                                                                                        announce=log.info))
                        self._owned = True
                    except NigraphError as exc:
                        await send({"type": "lifespan.startup.failed", "message": str(exc)})
                        return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if getattr(self, "_owned", False) and self.state is not None:
                    self.state.pool.close()
                if self._executor is not None:
                    self._executor.shutdown(wait=False, cancel_futures=True)
                await send({"type": "lifespan.shutdown.complete"})
                return


#: For ``uvicorn nigraph.serve.asgi:app``: configured from the environment at startup.
app = Application()
