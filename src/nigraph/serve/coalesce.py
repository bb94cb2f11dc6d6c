"""A transport that sends a response's head and its body in one write.

uvicorn writes a response's status line and header fields with one ``transport.write`` and its
body with another: two ``send`` system calls, two TCP segments, and a client woken twice for one
answer. :class:`Coalescing` holds a response head until the body's first write (or the end of
the response, for HEAD, 304 and other answers without a body) and sends both at once. Writes that
are not a response head pass at once, in order; an interim ``100 Continue`` is never held (the
client waits for it before it sends a body).

>>> class Wire:
...     def __init__(self): self.sent = []
...     def write(self, data): self.sent.append(data)
...     def close(self): self.sent.append("closed")
>>> wire = Wire(); t = Coalescing(wire)
>>> t.write(b"HTTP/1.1 200 OK\\r\\ncontent-length: 2\\r\\n\\r\\n"); wire.sent
[]
>>> t.write(b"ok"); wire.sent
[b'HTTP/1.1 200 OK\\r\\ncontent-length: 2\\r\\n\\r\\nok']
>>> t.write(b"HTTP/1.1 100 Continue\\r\\n\\r\\n"); t.write(b"HTTP/1.1 304 Not Modified\\r\\n\\r\\n"); t.flush(); wire.sent[1:]
[b'HTTP/1.1 100 Continue\\r\\n\\r\\n', b'HTTP/1.1 304 Not Modified\\r\\n\\r\\n']
>>> t.write(b"HTTP/1.1 503 Service Unavailable\\r\\n\\r\\n"); t.close(); wire.sent[3:]
[b'HTTP/1.1 503 Service Unavailable\\r\\n\\r\\n', 'closed']
"""

from __future__ import annotations

from typing import Any

__all__ = ["Coalescing", "JOIN_MAX"]

#: A body of more bytes is sent after the head rather than copied beside it.
JOIN_MAX = 1 << 16


class Coalescing:
    """``transport`` (an asyncio transport), with a response head held until what follows it;
    everything else is the transport's own."""

    def __init__(self, transport: Any) -> None:
        self._transport = transport
        self._head: bytes | None = None

    def write(self, data: bytes) -> None:
        head, self._head = self._head, None
        if head is not None:
            if len(data) <= JOIN_MAX:
                return self._transport.write(head + data)
            self._transport.write(head)
        if data.startswith(b"HTTP/1.1 ") and not data.startswith(b"HTTP/1.1 1"):
            self._head = data  # a final response's head: its body (if any) comes next
            return None
        return self._transport.write(data)

    def writelines(self, chunks: Any) -> None:
        self.write(b"".join(chunks))

    def flush(self) -> None:
        """Send a head still held (the response ended without a body)."""
        head, self._head = self._head, None
        if head is not None:
            self._transport.write(head)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def abort(self) -> None:
        self._head = None
        self._transport.abort()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)
