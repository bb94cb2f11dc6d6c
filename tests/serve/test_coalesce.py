"""A response's head and body leave ``nigraph serve``'s protocol in one write
(:mod:`nigraph.serve.coalesce`), a response without a body still leaves, and an interim
``100 Continue`` is not held. uvicorn's own httptools protocol, as ``nigraph serve`` wraps it
(:func:`nigraph.serve._guarded`), on a transport that records what is written."""

from __future__ import annotations

import asyncio

from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from nigraph.serve import _guarded


class Wire(asyncio.Transport):
    """Records each write, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.sent.append(bytes(data))

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def get_extra_info(self, name: str, default: object = None) -> object:
        return {"sockname": ("127.0.0.1", 8000), "peername": ("127.0.0.1", 50000)}.get(name, default)

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


async def app(scope: dict, receive, send) -> None:  # noqa: ANN001
    if scope["type"] != "http":
        return
    if scope["method"] == "POST":
        message = await receive()
        body = message["body"]
    else:
        body = b"hello"
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})


def _exchange(*chunks: bytes) -> list[bytes]:
    """What the protocol writes for ``chunks`` received one after the other."""

    async def run() -> list[bytes]:
        config = Config(app=app, http="httptools", lifespan="off", access_log=False, log_level="error")
        config.load()
        protocol = _guarded(HttpToolsProtocol, 8)(config=config, server_state=ServerState(), app_state={})
        wire = Wire()
        protocol.connection_made(wire)
        log = []
        for chunk in chunks:
            protocol.data_received(chunk)
            for _ in range(20):  # the application's task runs
                await asyncio.sleep(0)
            log.append(list(wire.sent))
        protocol.connection_lost(None)
        return log

    return asyncio.run(run())


def test_a_head_and_its_body_are_one_write() -> None:
    [sent] = _exchange(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    assert len(sent) == 1 and sent[0].startswith(b"HTTP/1.1 200 OK\r\n") and sent[0].endswith(b"\r\n\r\nhello")


def test_a_response_without_a_body_is_sent_when_it_ends() -> None:
    [sent] = _exchange(b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\n")
    assert len(sent) == 1 and sent[0].startswith(b"HTTP/1.1 200 OK\r\n") and sent[0].endswith(b"content-length: 5\r\n\r\n")


def test_two_requests_on_one_connection_are_two_writes_in_order() -> None:
    [sent] = _exchange(b"GET / HTTP/1.1\r\nHost: x\r\n\r\nHEAD / HTTP/1.1\r\nHost: x\r\n\r\n")
    assert [s.split(b"\r\n", 1)[0] for s in sent] == [b"HTTP/1.1 200 OK"] * 2
    assert sent[0].endswith(b"hello") and sent[1].endswith(b"\r\n\r\n")


def test_100_continue_is_sent_at_once_before_the_body_comes() -> None:
    before, after = _exchange(b"POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n", b"abc")
    assert before == [b"HTTP/1.1 100 Continue\r\n\r\n"]
    assert after[1:] == [after[1]] and after[1].startswith(b"HTTP/1.1 200 OK\r\n") and after[1].endswith(b"\r\n\r\nabc")
