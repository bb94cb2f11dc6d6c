"""A throw-away SPARQL 1.1 endpoint for tests, answered by rdflib's engine (not pyoxigraph).

Running the canned queries through it checks the remote path (SPARQLWrapper, JSON results) and,
since rdflib is a different engine, that the queries keep to standard SPARQL 1.1.
Bound to 127.0.0.1 on a free port; ``close()`` stops it.
"""

from __future__ import annotations

import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import rdflib


class SparqlServer:
    """Serve ``dataset`` (default graph = union of its graphs) at ``self.url``.

    ``/sparql`` answers queries; ``/broken`` always answers 500; ``/html`` answers a web page.
    """

    def __init__(self, dataset: rdflib.Dataset) -> None:
        self.dataset = dataset
        self.queries: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def _answer(self, code: int, body: bytes, ctype: str) -> None:
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802
                qs = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
                self._handle(qs.get("query", [""])[0])

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length).decode("utf-8")
                if self.headers.get("Content-Type", "").startswith("application/sparql-query"):
                    self._handle(body)
                else:
                    self._handle(urllib.parse.parse_qs(body).get("query", [""])[0])

            def _handle(self, query: str) -> None:
                path = urllib.parse.urlparse(self.path).path
                if path == "/broken":
                    return self._answer(500, b"internal error", "text/plain")
                if path == "/html":
                    return self._answer(200, b"<html><body>hello</body></html>", "text/html")
                server.queries.append(query)
                try:
                    result = server.dataset.query(query)
                    body = result.serialize(format="json")
                except Exception as exc:  # noqa: BLE001 - report any engine error as a 400
                    return self._answer(400, f"Query error: {exc}".encode(), "text/plain")
                self._answer(200, body, "application/sparql-results+json")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/sparql"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
