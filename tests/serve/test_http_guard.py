"""The connection guard of ``nigraph serve`` on uvicorn's httptools protocol (:func:`nigraph.serve._guarded`):
request heads are bounded however they arrive, bodies and pipelined requests are not mistaken for
heads. Raw sockets, so that the bytes and their timing are the test's."""

from __future__ import annotations

import socket
import time
import urllib.parse

from .serve_helpers import Server, request

ASK = "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"})


def _connect(server: Server) -> socket.socket:
    url = urllib.parse.urlsplit(server.url)
    return socket.create_connection((url.hostname, url.port), timeout=10)


def _read_all(sock: socket.socket) -> bytes:
    """Everything until the server closes the connection (or 10 s)."""
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def _still_serving(server: Server) -> None:
    status, _, body = request(server.url + ASK.lstrip("/"), headers={"Accept": "text/csv"})
    assert status == 200 and body.strip() == b"true"


def test_a_head_dribbled_past_64_kib_is_414_and_the_connection_closed(server: Server) -> None:
    with _connect(server) as sock:
        sock.sendall(f"GET {ASK} HTTP/1.1\r\nHost: x\r\n".encode())
        try:
            for i in range(12):  # 12 fields of 8,000 bytes, each in its own packet: never a whole head
                sock.sendall(f"X-Pad-{i}: {'a' * 8000}\r\n".encode())
                time.sleep(0.02)
        except (BrokenPipeError, ConnectionResetError):
            pass  # closed by the server once past the bound: what the test wants
        answer = _read_all(sock)
    assert answer.startswith(b"HTTP/1.1 414") and b"too long" in answer
    _still_serving(server)


def test_a_whole_head_over_64_kib_in_many_fields_is_414(server: Server) -> None:
    fields = "".join(f"X-Pad-{i}: {'b' * 4000}\r\n" for i in range(20))
    with _connect(server) as sock:
        sock.sendall(f"GET {ASK} HTTP/1.1\r\nHost: x\r\n{fields}\r\n".encode())
        answer = _read_all(sock)
    assert answer.startswith(b"HTTP/1.1 414")
    _still_serving(server)


def test_a_head_just_under_the_bound_is_answered(server: Server) -> None:
    fields = "".join(f"X-Pad-{i}: {'c' * 4000}\r\n" for i in range(15))  # ~60 KiB
    with _connect(server) as sock:
        sock.sendall(f"GET {ASK} HTTP/1.1\r\nHost: x\r\nAccept: text/csv\r\nConnection: close\r\n{fields}\r\n".encode())
        answer = _read_all(sock)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200") and body.strip() == b"true"


def test_a_body_sent_with_its_head_is_not_counted_as_head(server: Server) -> None:
    # 60,000 bytes of body (the server's --max-body is 65,536) in the same packets as the head:
    # together past the head's bound, yet a body
    query = ("ASK {} # " + "d" * 60000 + "\n").encode()
    with _connect(server) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nAccept: text/csv\r\nConnection: close\r\n"
                     b"Content-Type: application/sparql-query\r\nContent-Length: "
                     + str(len(query)).encode() + b"\r\n\r\n" + query)
        answer = _read_all(sock)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200") and body.strip() == b"true"


def test_pipelined_requests_are_answered_in_order(server: Server) -> None:
    asks = [urllib.parse.urlencode({"query": q}) for q in ("ASK {}", "ASK { FILTER(false) }")]
    with _connect(server) as sock:
        sock.sendall(f"GET /sparql?{asks[0]} HTTP/1.1\r\nHost: x\r\nAccept: text/csv\r\n\r\n"
                     f"GET /sparql?{asks[1]} HTTP/1.1\r\nHost: x\r\nAccept: text/csv\r\nConnection: close\r\n\r\n".encode())
        answer = _read_all(sock)
    parts = answer.split(b"HTTP/1.1 ")[1:]
    assert [p[:3] for p in parts] == [b"200", b"200"]
    assert [p.rstrip().rsplit(b"\n", 1)[-1].strip() for p in parts] == [b"true", b"false"]
