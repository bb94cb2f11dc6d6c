"""The HTTP side of ``nigraph serve``: routes, the SPARQL 1.1 Protocol, content negotiation, limits.

Routes (paths relative to the served base):

* ``/sparql`` GET/POST: the SPARQL 1.1 Protocol; without a query, the service description;
* ``/void``, ``/.well-known/void``: the VoID/DCAT description;
* ``/``: home page; ``/query``: the query page; ``/def``: the ontology's documentation;
* ``/static/<file>``: the package's CSS and JS; ``/dumps/<file>``: the files ``nigraph export`` wrote;
* ``/report/``: the coverage report ``nigraph report`` wrote to ``<dumps>/report``;
* any other path ``/<rest>``: the resource ``https://w3id.org/nigraph/<rest>``, answered with
  303 See Other to ``/<rest>.html`` (or ``.ttl``, ``.nt``, ``.jsonld``, ``.rdf``) by ``Accept``.

Static and dump files are looked up by name in a fixed list, never by joining a path; an encoded
slash (``%2F``) in a path is not a slash, so such a path is 404.

The Protocol's request rules live in :mod:`nigraph.serve.protocol` and the caching rules in
:mod:`nigraph.serve.caching`, apart from this server; every 200 to a GET or HEAD carries ``ETag``,
``Last-Modified`` and ``Cache-Control`` and may be answered 304; dumps answer ``Range`` with 206.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pyoxigraph as ox

from ..core.errors import NigraphError
from ..core.iri import BASE, ONTOLOGY, graph_for
from ..query.cube_guard import require_cube
from ..export.void import DUMPS
from . import pages, trees
from .caching import MAX_AGE, byte_range, etag_for, file_etag, http_date, not_modified
from .examples import load_canned
from .formats import EXTENSIONS, GRAPHS, PAGES, negotiate
from .guard import Refused, check_query
from .pool import Answer, NotHere, Pending, Pool, QueryFailed
from .protocol import ProtocolError, choose_media, parse_request

__all__ = ["Settings", "App", "Exchange", "Headers", "Response"]

log = logging.getLogger(__name__)

_STATIC = {"style.css": "text/css; charset=utf-8", "query.js": "text/javascript; charset=utf-8"}
_DUMP_TYPES = {".ttl": "text/turtle", ".nt": "application/n-triples", ".nq": "application/n-quads",
               ".trig": "application/trig", ".jsonld": "application/ld+json", ".rdf": "application/rdf+xml",
               "": "text/plain"}
_BY_EXT = {ext: media for media, ext in EXTENSIONS.items()}
_SD = "http://www.w3.org/ns/sparql-service-description#"
_REPORT_NAME = re.compile(r"[a-z][a-z0-9-]*\.(html|png|svg)")
_REPORT_TYPES = {"html": "text/html", "png": "image/png", "svg": "image/svg+xml"}
_MAX_ROWS = 1000  # rows shown on the query page
_FORMATS_NS = "http://www.w3.org/ns/formats/"
_VOID_TRIPLES = "http://rdfs.org/ns/void#triples"
#: What relative IRIs in a query resolve against (the Protocol lets the service choose; the
#: endpoint's canonical IRI, so <id/industry/E01> is https://w3id.org/nigraph/id/industry/E01).
SERVICE_BASE = BASE + "sparql"


@dataclass(frozen=True)
class Settings:
    """Everything ``nigraph serve`` is configured with (see its ``--help``)."""

    store_path: Path
    dumps_dir: Path
    queries_dir: Path
    host: str = "127.0.0.1"
    port: int = 8000
    base: str | None = None
    timeout_s: float = 30.0
    workers: int = 2
    max_workers: int = 8
    max_body: int = 1 << 20
    cache_mb: int = 64
    max_connections: int = 256
    engine: str = "auto"
    lookup_workers: int = 1


class App:
    """State shared by the request handlers: settings, the worker pool, cached descriptions.

    :param settings: the configuration.
    :param pool: the query workers.
    :param base: the public URL (``http://host:port/`` unless ``--base``; ``None``: set later by :meth:`set_base`).
    :param void: the VoID triples (computed once at start).
    :param graphs: the number of triples of each named graph, by IRI (counted at start).
    :param union_triples: the number of triples of the union of all graphs (the default graph).
    :param build: what identifies the store's build (part of every entity tag).
    :param modified: when the store was built (seconds since the epoch; ``Last-Modified``).
    """

    def __init__(self, settings: Settings, pool: Pool, base: str | None, void: list[ox.Triple], *,
                 graphs: dict[str, int] | None = None, union_triples: int = 0, build: str = "",
                 modified: float = 0.0) -> None:
        self.settings = settings
        self.pool = pool
        self.site: pages.Site | None = None
        self.base_path = "/"
        if base is not None:
            self.set_base(base)
        self.void = void
        self.graphs = graphs or {}
        self.union_triples = union_triples
        self.build = build
        self.modified = modified

    def set_base(self, base: str) -> None:
        """Serve under the public URL ``base`` (``--base``, or where the server was reached)."""
        self.site = pages.Site(base if base.endswith("/") else base + "/")
        self.base_path = urlsplit(self.site.base).path or "/"

    def rows(self, query: str, **bound: ox.NamedNode) -> list[dict]:
        """Run a page's SELECT (prefixes prepended; ``bound`` are substitutions) and return its rows."""
        answer = self.pool.run(pages.PREAMBLE + query, results=("application/sparql-results+json",), graphs=(),
                               substitutions={ox.Variable(k): v for k, v in bound.items()})
        solutions = ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)
        names = [v.value for v in solutions.variables]
        return [{n: s[n] for n in names} for s in solutions]

    def service_description(self) -> list[ox.Triple]:
        """SPARQL Service Description of the endpoint: the default graph is the union of the named
        graphs (``sd:UnionDefaultGraph``), and each graph's ``void:triples`` is counted on it."""
        def t(s, p, o):
            return ox.Triple(s, ox.NamedNode(p), o)

        def n(count: int) -> ox.Literal:
            return ox.Literal(str(count), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))

        service, dataset, graph = ox.BlankNode("service"), ox.BlankNode("dataset"), ox.BlankNode("default")
        rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
        out = [t(service, rdf_type, ox.NamedNode(_SD + "Service")),
               t(service, _SD + "endpoint", ox.NamedNode(self.site.url("sparql"))),
               t(service, _SD + "supportedLanguage", ox.NamedNode(_SD + "SPARQL11Query")),
               t(service, _SD + "feature", ox.NamedNode(_SD + "UnionDefaultGraph")),
               t(service, _SD + "defaultDataset", dataset),
               t(dataset, rdf_type, ox.NamedNode(_SD + "Dataset")),
               t(dataset, _SD + "defaultGraph", graph),
               t(graph, rdf_type, ox.NamedNode(_SD + "Graph")),
               t(graph, _VOID_TRIPLES, n(self.union_triples))]
        for i, (name, count) in enumerate(sorted(self.graphs.items())):
            named, described = ox.BlankNode(f"named{i}"), ox.BlankNode(f"graph{i}")
            out += [t(dataset, _SD + "namedGraph", named), t(named, rdf_type, ox.NamedNode(_SD + "NamedGraph")),
                    t(named, _SD + "name", ox.NamedNode(name)), t(named, _SD + "graph", described),
                    t(described, rdf_type, ox.NamedNode(_SD + "Graph")), t(described, _VOID_TRIPLES, n(count))]
        for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                     "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
            out.append(t(service, _SD + "resultFormat", ox.NamedNode(_FORMATS_NS + name)))
        return out


class Headers:
    """The request's header fields, looked up by name in any case (``.get`` as on a mapping)."""

    def __init__(self, fields: list[tuple[str, str]]) -> None:
        self._fields: dict[str, str] = {}
        for name, value in fields:
            key = name.lower()
            self._fields[key] = f"{self._fields[key]}, {value}" if key in self._fields else value

    def get(self, name: str, default: str | None = None) -> str | None:
        return self._fields.get(name.lower(), default)


@dataclass
class Response:
    """What an :class:`Exchange` answers: the status, the header fields and the body (empty for HEAD)."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes
    close: bool = False


class Exchange:
    """One request and its answer, apart from any server: :mod:`nigraph.serve.asgi` reads the
    request off the connection (and enforces ``--max-body``) and writes :attr:`response` back.

    :param app: the :class:`App`.
    :param method: the request method (``GET``, ``HEAD``, ``POST``, ...).
    :param target: the request target as sent: raw path (percent-escapes kept) and query string.
    :param headers: the request's header fields.
    :param inline: answer only what needs no worker (refusals, cached answers, narrow look-ups),
        else raise :class:`~nigraph.serve.pool.NotHere` (the caller is the event loop, which must
        not wait on a worker): a query already read and checked goes on in a thread with
        :meth:`resume`; anything else is raised before any work and handled afresh in a thread.
    """

    def __init__(self, app: App, method: str, target: str, headers: Headers, *, inline: bool = False) -> None:
        self.app = app
        self.inline = inline
        self.command = method
        self.path = target
        self.headers = headers
        self.response: Response | None = None
        self.close_connection = False
        self.body: bytes | None = None
        self._rest: Callable[[], None] | None = None  # what an inline attempt left for a worker
        self._begin: Callable[[], Pending | None] | None = None
        self._deliver: Callable[[Answer], None] | None = None

    def handle(self, body: bytes | None) -> Response:
        """Answer the request (``body`` is ``None`` but for POST) and return the response."""
        self.body = body
        method = getattr(self, "do_" + self.command, None) if self.command.isalpha() and self.command.isupper() else None
        if method is None:
            self.send(501, f"method {self.command} is not supported\n", "text/plain")
        else:
            method()
        return self._finished()

    @property
    def resumable(self) -> bool:
        """Whether :meth:`resume` can go on where an inline attempt stopped."""
        return self._rest is not None

    def resume(self) -> Response:
        """Go on with a query that an inline attempt left for a worker (what the request asked
        was read and checked then; :class:`~nigraph.serve.pool.NotHere` said so), in a thread."""
        assert self._rest is not None
        self.inline = False
        self._guard(self._rest, "sparql")
        return self._finished()

    def begin(self) -> Pending | None:
        """Send the query that an inline attempt left for a worker to one that is idle, without
        waiting (:meth:`Pool.begin <nigraph.serve.pool.Pool.begin>`; the event loop waits for the
        reply and gives it to :meth:`conclude`); ``None`` when none is: :meth:`resume` in a thread."""
        assert self._begin is not None
        return self._begin()

    def conclude(self, answer: Callable[[], Answer]) -> Response:
        """The response to a query sent with :meth:`begin`: ``answer`` gives its answer or raises
        its failure (a timeout, the worker's error), which becomes the response as in a thread."""
        assert self._deliver is not None
        deliver = self._deliver
        self.inline = False
        self._guard(lambda: deliver(answer()), "sparql")
        return self._finished()

    def _finished(self) -> Response:
        assert self.response is not None
        self.response.close = self.response.close or self.close_connection
        return self.response

    # ---- plumbing ----------------------------------------------------------------------------
    def send(self, status: int, body: bytes | str, media: str, extra: dict[str, str] | None = None, *,
             validator: tuple[str, float] | None = None) -> None:
        """Answer; a 200 to GET or HEAD gets validators and may become 304 (see :mod:`.caching`).

        :param validator: ``(ETag, modified)`` when known without the body (files); else the tag
            is computed from the body and the store's build.
        """
        raw = body.encode("utf-8") if isinstance(body, str) else body
        if "charset" not in media and (media.startswith("text/") or media.endswith(("json", "xml", "n-triples"))):
            media += "; charset=utf-8"
        extra = dict(extra or {})
        if status in (200, 206) and self.command in ("GET", "HEAD"):
            etag, modified = validator or (etag_for(self.app.build, media, raw), self.app.modified)
            extra.setdefault("ETag", etag)
            extra.setdefault("Last-Modified", http_date(modified))
            extra.setdefault("Cache-Control", f"public, max-age={MAX_AGE}")
            if not_modified(self.command, self.headers, etag, modified):
                status, raw = 304, b""
        fields = [("Server", "nigraph")]
        if status != 304:
            fields += [("Content-Type", media), ("Content-Length", str(len(raw)))]
        fields += [("Access-Control-Allow-Origin", "*"), ("X-Content-Type-Options", "nosniff")]
        fields += list(extra.items())
        self.response = Response(status, fields, b"" if self.command == "HEAD" else raw)

    def fail(self, status: int, message: str, *, html: bool = False) -> None:
        if html:
            self.send(status, pages.error_page(self.app.site, status, message), "text/html")
        else:
            self.send(status, message + "\n", "text/plain")

    def redirect(self, location: str) -> None:
        self.send(303, f"See {location}\n", "text/plain", {"Location": location, "Vary": "Accept"})

    def wants_html(self) -> bool:
        accept = self.headers.get("Accept") or ""
        return "text/html" in accept and negotiate(accept, ("text/html", "text/plain")) == "text/html"

    # ---- methods -----------------------------------------------------------------------------
    def do_OPTIONS(self) -> None:  # noqa: N802 - http.server's naming, kept
        self.send(204, b"", "text/plain", {
            "Access-Control-Allow-Methods": "GET, POST, HEAD, OPTIONS",
            "Access-Control-Allow-Headers": "Accept, Content-Type",
            "Access-Control-Max-Age": "86400"})

    def do_GET(self) -> None:  # noqa: N802
        self.dispatch(None)

    def do_HEAD(self) -> None:  # noqa: N802
        self.dispatch(None)

    def do_POST(self) -> None:  # noqa: N802 - the body was read by the server (see :mod:`.asgi`)
        self.dispatch(self.body if self.body is not None else b"")

    def refuse_method(self) -> None:
        self.send(405, "method not allowed: this server is read-only\n", "text/plain",
                  {"Allow": "GET, POST, HEAD, OPTIONS"})

    do_PUT = do_DELETE = do_PATCH = refuse_method  # noqa: N815

    def dispatch(self, body: bytes | None) -> None:
        parts = urlsplit(self.path)
        raw = parts.path
        if not raw.startswith(self.app.base_path) or "%2f" in raw.lower():
            # an encoded slash is part of a segment, and no name served has one
            return self.fail(404, "not found", html=self.wants_html())
        try:
            path = unquote(raw[len(self.app.base_path):], errors="strict")
        except UnicodeDecodeError:
            return self.fail(404, "not found", html=self.wants_html())
        if "\x00" in path or "\\" in path or any(seg in ("..", ".") for seg in path.split("/")):
            return self.fail(404, "not found", html=self.wants_html())
        if self.inline and path != "sparql":
            raise NotHere(path)
        self._guard(lambda: self.route(path, parts.query, body), path)

    def _guard(self, answer: Callable[[], None], path: str) -> None:
        """Run ``answer``; a failure becomes its status (500 for the unexpected, the server goes on)."""
        try:
            answer()
        except NotHere:
            raise
        except (QueryFailed, ProtocolError) as exc:
            self.fail(exc.status, str(exc), html=path != "sparql" and self.wants_html())
        except Exception as exc:  # noqa: BLE001 - one request fails, the server goes on
            log.exception("error answering %s", self.path)
            self.close_connection = True
            self.fail(500, f"internal error: {type(exc).__name__}")

    def route(self, path: str, qs: str, body: bytes | None) -> None:
        """The answer to ``path`` (below the base, unquoted): the routes."""
        if path == "sparql":
            return self.sparql(qs, body)
        if body is not None:
            return self.fail(405, "POST is only for /sparql")
        if path == "":
            return self.send(200, pages.home(self.app.site, self.app.rows, latest=trees.latest(self.app.settings.dumps_dir)),
                             "text/html")
        if path == "query":
            return self.query_page(qs)
        if path in ("void", ".well-known/void"):
            return self.graph_document(self.app.void, negotiate(self.headers.get("Accept"), GRAPHS))
        if path.startswith("static/"):
            return self.static(path[len("static/"):])
        if path == "dumps" or path.startswith("dumps/"):
            return self.dump(path[len("dumps/"):])
        if path == "report":
            return self.send(301, b"", "text/plain", {"Location": self.app.site.url("report/")})
        if path.startswith("report/"):
            return self.report(path[len("report/"):])
        found = trees.answer(self.app.settings.dumps_dir, path, self.app.site)  # /docs/, /releases/
        if found is not None:
            return self.send(*found)
        return self.linked_data(path)

    # ---- routes ------------------------------------------------------------------------------
    def static(self, name: str) -> None:
        if name not in _STATIC:
            return self.fail(404, "not found")
        data = resources.files("nigraph.serve").joinpath("static", name).read_bytes()
        self.send(200, data, _STATIC[name], {"Cache-Control": "max-age=3600"})

    def dump(self, name: str) -> None:
        folder = self.app.settings.dumps_dir
        if name == "":
            present = [n for n in DUMPS if (folder / n).is_file()]
            items = "".join(f'<li><a href="{pages.esc(self.app.site.url("dumps/" + n))}">{pages.esc(n)}</a> '
                            f"({(folder / n).stat().st_size} bytes)</li>" for n in present)
            note = "" if present else "<p>No dumps yet: run <code>nigraph export</code>.</p>"
            return self.send(200, pages.layout(self.app.site, "Dumps", f"<h1>Dumps 下载</h1>{note}<ul>{items}</ul>"),
                             "text/html")
        if name not in DUMPS or not (folder / name).is_file():
            return self.fail(404, "not found")
        ext = "." + name.rsplit(".", 1)[-1] if "." in name else ""
        self.send_file(folder / name, name, _DUMP_TYPES.get(ext, "application/octet-stream"), ranges=True)

    def send_file(self, path: Path, name: str, media: str, *, ranges: bool = False) -> None:
        """A file, tagged by its name, size and time; with ``ranges``, one byte range as 206."""
        stat = path.stat()
        etag, modified = file_etag(self.app.build, name, stat), stat.st_mtime
        extra = {"Accept-Ranges": "bytes"} if ranges else {}
        wanted = byte_range(self.headers.get("Range"), stat.st_size) if ranges and self.command == "GET" else None
        if_range = self.headers.get("If-Range")
        if wanted is not None and if_range is not None and if_range.strip() != etag:
            wanted = None  # the client's copy is another version: send the whole file
        if wanted == "unsatisfiable":
            return self.send(416, b"", "text/plain", {"Content-Range": f"bytes */{stat.st_size}"})
        data = path.read_bytes()
        if wanted is None or not_modified(self.command, self.headers, etag, modified):
            return self.send(200, data, media, extra, validator=(etag, modified))
        first, last = wanted
        extra["Content-Range"] = f"bytes {first}-{last}/{len(data)}"
        self.send(206, data[first:last + 1], media, extra, validator=(etag, modified))

    def report(self, name: str) -> None:
        """The coverage report ``nigraph report`` wrote to ``<dumps>/report``: plain file names only."""
        folder = self.app.settings.dumps_dir / "report"
        name = name or "index.html"
        media = _REPORT_TYPES.get(name.rsplit(".", 1)[-1]) if _REPORT_NAME.fullmatch(name) else None
        if media is None or not (folder / name).is_file():
            if name == "index.html":
                body = "<h1>Coverage report 覆盖报告</h1><p>No report yet: run <code>nigraph report</code>.</p>"
                return self.send(404, pages.layout(self.app.site, "Report", body), "text/html")
            return self.fail(404, "not found")
        self.send_file(folder / name, "report/" + name, media)

    def graph_document(self, triples: list[ox.Triple], media: str | None) -> None:
        if media is None:
            return self.fail(406, "acceptable: " + ", ".join(GRAPHS))
        fmt = ox.RdfFormat.from_media_type(media)
        self.send(200, ox.serialize(triples, format=fmt, prefixes=pages.PREFIXES if media != "application/n-triples" else None)
                  or b"", media, {"Vary": "Accept"})

    def query_page(self, qs: str) -> None:
        params = parse_qs(qs)
        canned = load_canned(self.app.settings.queries_dir)
        chosen = params.get("id", [""])[0]
        query = params.get("query", [""])[0]
        if not query.strip() and chosen:
            query = next((q.text for q in canned if q.id == chosen), "")
        result = ""
        if not query.strip() and not chosen:
            query = canned[0].text if canned else "SELECT ?class (COUNT(?x) AS ?n) WHERE { ?x a ?class }\nGROUP BY ?class ORDER BY DESC(?n) LIMIT 20"
        elif query.strip():
            try:
                check_query(query)
                self.require_cube(query, canned)
                answer = self.app.pool.run(query, results=("application/sparql-results+json",), graphs=("text/turtle",))
                if answer.kind == "graph":
                    result = f"<pre>{pages.esc(answer.body.decode('utf-8'))}</pre>"
                else:
                    parsed = ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)
                    if isinstance(parsed, ox.QueryBoolean):
                        result = f"<p>ASK: <b>{bool(parsed)}</b></p>"
                    else:
                        head = [v.value for v in parsed.variables]
                        data = [{h: s[h] for h in head} for s in parsed]
                        shown = data[:_MAX_ROWS]
                        more = f" (the first {_MAX_ROWS} shown; download for all)" if len(data) > _MAX_ROWS else ""
                        result = f"<p>{len(data)} row(s){more}</p>" + pages.table(self.app.site, head, shown)
            except (Refused, QueryFailed, NigraphError) as exc:
                result = f'<p class="error">{pages.esc(exc)}</p>'
        self.send(200, pages.query_page(self.app.site, canned, query, result, chosen=chosen), "text/html")

    def require_cube(self, query: str, canned: list) -> None:
        """Refuse, on the query page, a query that reads cube data sets this store lacks (it would
        answer 0): a store from an older build, or given with --store, may have none."""
        known = next((q for q in canned if q.text.strip() == query.strip()), None)

        def select(check: str) -> list[str]:
            answer = self.app.pool.run(check, results=("application/sparql-results+json",), graphs=("text/turtle",))
            return [s["dataset"].value for s in ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)
                    if s["dataset"] is not None]

        # the data sets the text names are checked (serve's canned list keeps no tags)
        require_cube(known.id if known else "(this query)", query, (), select, "this server's store")

    def sparql(self, qs: str, body: bytes | None) -> None:
        req = parse_request(qs, body, self.headers.get("Content-Type"))
        if req.query is None:
            if self.inline:
                raise NotHere("service description")
            if self.wants_html():
                return self.redirect(self.app.site.url("query"))
            return self.graph_document(self.app.service_description(), negotiate(self.headers.get("Accept"), GRAPHS))
        try:
            check_query(req.query)
        except Refused as exc:
            return self.fail(exc.status, str(exc))
        results, graphs = choose_media(req.formats, self.headers.get("Accept"))

        options = {"results": (results,) if results else (), "graphs": (graphs,) if graphs else (), "dataset": req.dataset}

        def deliver(answer: Answer) -> None:
            self.send(200, answer.body, answer.media_type, {"Vary": "Accept"})

        try:
            deliver(self.app.pool.run(req.query, here_only=self.inline, **options))
        except NotHere:  # read, checked, not narrow: a worker's (begin, or resume in a thread)
            self._rest = lambda: deliver(self.app.pool.run(req.query, here=False, **options))
            self._begin = lambda: self.app.pool.begin(req.query, **options)
            self._deliver = deliver
            raise

    def linked_data(self, path: str) -> None:
        iri = BASE + path
        stem, dot, ext = path.rpartition(".")
        if not self.exists(iri) and dot and ext in _BY_EXT and self.exists(BASE + stem):
            return self.document(BASE + stem, _BY_EXT[ext])
        if not self.exists(iri):
            return self.fail(404, "not found", html=self.wants_html())
        media = negotiate(self.headers.get("Accept"), PAGES)
        if media is None:
            return self.fail(406, "acceptable: " + ", ".join(PAGES))
        self.redirect(self.app.site.url(f"{path}.{EXTENSIONS[media]}"))

    def exists(self, iri: str) -> bool:
        try:
            node = ox.NamedNode(iri)
        except ValueError:
            return False
        if iri == ONTOLOGY:
            return True
        return bool(self.app.rows("SELECT ?s WHERE { { ?s ?p ?o } UNION { ?x ?q ?s } } LIMIT 1", s=node))

    def document(self, iri: str, media: str) -> None:
        node = ox.NamedNode(iri)
        path = iri[len(BASE):]
        docs = [(m, self.app.site.url(f"{path}.{e}")) for m, e in EXTENSIONS.items() if m != "text/html"]
        if media == "text/html":
            if iri == ONTOLOGY:
                return self.send(200, pages.ontology(self.app.site, self.app.rows, docs), "text/html")
            page = pages.resource(self.app.site, self.app.rows, node, docs)
            return self.send(200, page, "text/html") if page else self.fail(404, "not found", html=True)
        if iri == ONTOLOGY:
            query = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
            subs = {ox.Variable("g"): graph_for("ontology/nigraph.ttl")}
        else:
            query = "CONSTRUCT { ?s ?p ?o . ?x ?q ?s } WHERE { { ?s ?p ?o } UNION { ?x ?q ?s } }"
            subs = {ox.Variable("s"): node}
        answer = self.app.pool.run(query, results=(), graphs=(media,), substitutions=subs)
        self.send(200, answer.body, answer.media_type, {"Content-Location": self.app.site.url(f"{path}.{EXTENSIONS[media]}")})

