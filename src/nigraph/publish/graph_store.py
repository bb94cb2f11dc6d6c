"""Publish the built store to a remote SPARQL 1.1 store, one named graph per source file.

Each graph of ``dist/store`` is uploaded to a *staging* graph (:func:`nigraph.core.iri.staging_graph`),
with the Graph Store HTTP Protocol (``PUT`` the first chunk, ``POST`` the rest) or, when no Graph
Store URL is given or the store does not offer the protocol, with SPARQL Update ``INSERT DATA``
in chunks. Blank nodes never straddle two chunks. Once every staging graph holds exactly the
triples of its graph, one SPARQL Update request moves them into place, drops the graphs an
earlier publication made that the store no longer has, and rewrites the manifest graph
:data:`nigraph.core.iri.PUBLISHED_GRAPH`. Then each graph's triple count is checked again.

If anything fails before that request, the published graphs are left as they were (the staging
graphs are dropped, as far as the store still answers). The request itself is atomic on stores
that run an update request in one transaction (Virtuoso, Fuseki/TDB2, GraphDB, Oxigraph).

>>> from pyoxigraph import BlankNode as B, NamedNode as N, Triple
>>> p, b = N("http://e/p"), B("x")
>>> [len(c) for c in chunk_triples([Triple(N("http://e/a"), p, b), Triple(b, p, N("http://e/c")),
...                                  Triple(N("http://e/d"), p, N("http://e/e"))], 2)]
[2, 1]
"""

from __future__ import annotations

import json
import logging
import re
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph

from ..core.errors import NigraphError
from ..core.iri import GRAPH, PREFIXES, PUBLISHED_GRAPH, staging_graph
from ..core.store import open_store
from .login import StoreLogin

__all__ = [
    "PublishError",
    "LoginRefused",
    "Unreachable",
    "CountMismatch",
    "Remote",
    "GraphCount",
    "PublishReport",
    "chunk_triples",
    "read_graphs",
    "publish",
]

log = logging.getLogger(__name__)

_HAS_PART = pyoxigraph.NamedNode(PREFIXES["dcterms"] + "hasPart")
_TRIPLES = pyoxigraph.NamedNode(PREFIXES["void"] + "triples")
_NTRIPLES = "application/n-triples"
#: HTTP statuses that say "this store does not offer the Graph Store Protocol here".
_NO_GSP = frozenset({404, 405, 406, 415, 501})


class PublishError(NigraphError):
    """The store refused or failed an upload (exit status 2)."""


class LoginRefused(PublishError):
    """The store answered 401 or 403."""


class Unreachable(PublishError):
    """The store did not answer."""


class CountMismatch(PublishError):
    """A staging graph does not hold exactly the triples sent; nothing was replaced (exit status 1)."""


class _NoGraphStore(PublishError):
    """The Graph Store URL does not implement the protocol (the caller falls back to Update)."""


def _first_words(body: bytes, limit: int = 200) -> str:
    """The readable start of an error page: tags and extra white space removed."""
    text = re.sub(r"</?[A-Za-z][\w-]*(\s[^>]*)?/?>", " ", body.decode("utf-8", "replace"))
    text = re.sub(r"\s+", " ", text).strip()
    return text[:limit] + ("…" if len(text) > limit else "")


class Remote:
    """A remote SPARQL 1.1 store: its query, update and (optional) Graph Store URLs, and a login.

    HTTP goes through httpx. Digest and Basic authentication are both answered, whichever the
    server asks for; once challenged, requests are signed up front (:class:`.login.StoreLogin`).

    :param endpoint: SPARQL query endpoint.
    :param update_endpoint: SPARQL Update endpoint (default: ``endpoint``).
    :param graph_store: Graph Store HTTP Protocol URL (``?graph=IRI`` is appended), or ``None``.
    :param user: login name, or ``None`` for no login.
    :param password: the password for ``user``.
    :param timeout_s: seconds to wait for each HTTP answer.

    >>> Remote("http://127.0.0.1:8890/sparql", graph_store="http://127.0.0.1:8890/gsp?x=1").graph_url(
    ...     pyoxigraph.NamedNode("http://e/g"))
    'http://127.0.0.1:8890/gsp?x=1&graph=http%3A%2F%2Fe%2Fg'
    """

    def __init__(
        self,
        endpoint: str,
        *,
        update_endpoint: str | None = None,
        graph_store: str | None = None,
        user: str | None = None,
        password: str | None = None,
        timeout_s: float = 120.0,
    ) -> None:
        for url in (endpoint, update_endpoint, graph_store):
            if url is not None and urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise PublishError(f"{url}: not an http(s) URL")
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint or endpoint
        self.graph_store = graph_store
        self.user = user
        self.timeout_s = timeout_s
        self._client = httpx.Client(auth=StoreLogin(user, password or "") if user is not None else None,
                                    timeout=timeout_s, follow_redirects=True)

    def graph_url(self, graph: pyoxigraph.NamedNode) -> str:
        """The Graph Store URL of one graph (indirect identification, ``graph=IRI``)."""
        if self.graph_store is None:
            raise PublishError("no Graph Store URL given")
        sep = "&" if urllib.parse.urlsplit(self.graph_store).query else "?"
        return f"{self.graph_store}{sep}{urllib.parse.urlencode({'graph': graph.value})}"

    def _send(self, method: str, url: str, body: bytes | None, headers: Mapping[str, str]) -> bytes:
        try:
            response = self._client.request(method, url, content=body, headers=dict(headers))
        except httpx.TransportError as exc:
            raise Unreachable(f"cannot reach {url}: {exc or type(exc).__name__}") from None
        except httpx.HTTPError as exc:  # e.g. a malformed Digest challenge
            raise PublishError(f"{url}: {method} failed: {exc}") from None
        if response.status_code >= 400:
            self._fail(method, url, response.status_code, response.reason_phrase, _first_words(response.content))
        return response.content

    def _fail(self, method: str, url: str, code: int, reason: str, detail: str) -> None:
        if code in (401, 403):
            if self.user is None:
                raise LoginRefused(f"{url}: the store asks for a login (HTTP {code}); give --user")
            raise LoginRefused(f"{url}: login refused for user {self.user!r} (HTTP {code})")
        message = f"{url}: {method} failed: HTTP {code} {reason}" + (f": {detail}" if detail else "")
        if code in _NO_GSP and self.graph_store is not None and url.startswith(self.graph_store):
            raise _NoGraphStore(message)
        raise PublishError(message)

    def select(self, query: str) -> list[dict[str, str]]:
        """Run a SELECT query; each row maps a variable to its value's lexical form.

        :raises PublishError: if the answer is not SPARQL JSON results.
        """
        body = urllib.parse.urlencode({"query": query}).encode()
        raw = self._send("POST", self.endpoint, body, {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json"})
        try:
            bindings = json.loads(raw)["results"]["bindings"]
        except (ValueError, KeyError, TypeError):
            raise PublishError(f"{self.endpoint}: the answer is not SPARQL JSON results: {_first_words(raw)}") from None
        return [{k: v["value"] for k, v in row.items()} for row in bindings]

    def update(self, update: str) -> None:
        """Run a SPARQL Update request."""
        body = urllib.parse.urlencode({"update": update}).encode()
        self._send("POST", self.update_endpoint, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def put(self, graph: pyoxigraph.NamedNode, ntriples: bytes) -> None:
        """Replace one graph with N-Triples (Graph Store Protocol ``PUT``)."""
        self._send("PUT", self.graph_url(graph), ntriples, {"Content-Type": _NTRIPLES})

    def post(self, graph: pyoxigraph.NamedNode, ntriples: bytes) -> None:
        """Add N-Triples to one graph (Graph Store Protocol ``POST``)."""
        self._send("POST", self.graph_url(graph), ntriples, {"Content-Type": _NTRIPLES})

    def counts(self, graphs: Iterable[pyoxigraph.NamedNode]) -> dict[str, int]:
        """Triples in each graph (graphs the store does not have count 0)."""
        names = sorted({g.value for g in graphs})
        counts = dict.fromkeys(names, 0)
        if not names:
            return counts
        values = " ".join(str(pyoxigraph.NamedNode(n)) for n in names)
        rows = self.select(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g")
        for row in rows:
            if row.get("g") in counts:
                counts[row["g"]] = int(row["n"])
        return counts


def chunk_triples(triples: Iterable[pyoxigraph.Triple], size: int) -> Iterator[list[pyoxigraph.Triple]]:
    """Cut triples into chunks of at most ``size``, keeping the triples that share blank nodes together.

    Blank node labels are local to one document or one update request, so the triples linked through
    a blank node go in one chunk (which may then exceed ``size``).

    :param triples: the triples, in the order to send them.
    :param size: the largest chunk wanted, at least 1.
    """
    if size < 1:
        raise ValueError("chunk size must be at least 1")
    triples = list(triples)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for t in triples:
        blanks = [n.value for n in (t.subject, t.object) if isinstance(n, pyoxigraph.BlankNode)]
        for b in blanks[1:]:
            parent[find(b)] = find(blanks[0])
        if blanks:
            find(blanks[0])
    units: dict[str, list[pyoxigraph.Triple]] = {}
    plain: list[list[pyoxigraph.Triple]] = []
    for t in triples:
        blank = next((n.value for n in (t.subject, t.object) if isinstance(n, pyoxigraph.BlankNode)), None)
        if blank is None:
            plain.append([t])
        else:
            root = find(blank)
            if root not in units:
                units[root] = []
                plain.append(units[root])  # keeps the unit at its first triple's place
            units[root].append(t)
    chunk: list[pyoxigraph.Triple] = []
    for unit in plain:
        if chunk and len(chunk) + len(unit) > size:
            yield chunk
            chunk = []
        chunk.extend(unit)
    if chunk:
        yield chunk


def read_graphs(store: pyoxigraph.Store) -> list[pyoxigraph.NamedNode]:
    """The named graphs of a built store, sorted by name.

    :raises PublishError: if the store has triples in the default graph or in a graph outside
        ``https://w3id.org/nigraph/graph/`` (a store ``nigraph build`` did not make).
    """
    graphs = sorted(store.named_graphs(), key=lambda g: g.value)
    for graph in graphs:
        if not isinstance(graph, pyoxigraph.NamedNode) or not graph.value.startswith(GRAPH) \
                or graph == PUBLISHED_GRAPH:
            raise PublishError(f"the store has a graph nigraph does not publish: {graph}")
    if next(iter(store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())), None) is not None:
        raise PublishError("the store has triples in the default graph; nigraph publishes named graphs only")
    return graphs


@dataclass(frozen=True)
class GraphCount:
    """One published graph: the triples it should have and the triples the store reports."""

    graph: str
    expected: int
    found: int

    @property
    def ok(self) -> bool:
        return self.expected == self.found


@dataclass(frozen=True)
class PublishReport:
    """What :func:`publish` did.

    :param method: ``"graph-store"`` (Graph Store Protocol) or ``"update"`` (SPARQL Update).
    :param graphs: each published graph, checked after the swap.
    :param dropped: graphs of an earlier publication that are gone from the build.
    :param requests: HTTP upload requests sent (chunks).
    """

    method: str
    graphs: tuple[GraphCount, ...]
    dropped: tuple[str, ...] = ()
    requests: int = 0
    warnings: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return all(g.ok for g in self.graphs)

    @property
    def triples(self) -> int:
        return sum(g.expected for g in self.graphs)

    def render(self) -> str:
        """One line per graph, then a summary line."""
        lines = [f"[{'OK' if g.ok else 'ERROR'}] {g.graph} {g.found}/{g.expected} triples" for g in self.graphs]
        lines += [f"[DROPPED] {g}" for g in self.dropped]
        lines.append(f"published {len(self.graphs)} graphs, {self.triples} triples, by {self.method}"
                     f" in {self.requests} upload requests; {len(self.dropped)} stale graphs dropped")
        return "\n".join(lines)


def _ntriples(triples: list[pyoxigraph.Triple]) -> bytes:
    return "".join(f"{t} .\n" for t in triples).encode("utf-8")


def _insert_data(graph: pyoxigraph.NamedNode, triples: list[pyoxigraph.Triple]) -> str:
    """``INSERT DATA``, or ``INSERT {…} WHERE {}`` if there are blank nodes (Virtuoso refuses them in data).

    >>> from pyoxigraph import BlankNode as B, NamedNode as N, Triple
    >>> print(_insert_data(N("http://e/g"), [Triple(N("http://e/s"), N("http://e/p"), B("b1"))]))
    INSERT { GRAPH <http://e/g> {
      <http://e/s> <http://e/p> _:b1 .
    } } WHERE {}
    """
    body = "".join(f"  {t} .\n" for t in triples)
    if any(isinstance(n, pyoxigraph.BlankNode) for t in triples for n in (t.subject, t.object)):
        return f"INSERT {{ GRAPH {graph} {{\n{body}}} }} WHERE {{}}"
    return f"INSERT DATA {{ GRAPH {graph} {{\n{body}}} }}"


class _Uploader:
    """Sends one graph's chunks by the Graph Store Protocol, or by SPARQL Update once that is unavailable."""

    def __init__(self, remote: Remote, chunk_size: int) -> None:
        self.remote = remote
        self.chunk_size = chunk_size
        self.method = "graph-store" if remote.graph_store is not None else "update"
        self.requests = 0
        self.warnings: list[str] = []

    def upload(self, graph: pyoxigraph.NamedNode, triples: list[pyoxigraph.Triple]) -> None:
        if self.method == "graph-store":
            try:
                self._by_graph_store(graph, triples)
                return
            except _NoGraphStore as exc:
                self.warnings.append(f"warning: {exc}; falling back to SPARQL Update INSERT DATA")
                self.method = "update"
        self._by_update(graph, triples)

    def _by_graph_store(self, graph: pyoxigraph.NamedNode, triples: list[pyoxigraph.Triple]) -> None:
        chunks = list(chunk_triples(triples, self.chunk_size)) or [[]]
        for i, chunk in enumerate(chunks):
            (self.remote.put if i == 0 else self.remote.post)(graph, _ntriples(chunk))
            self.requests += 1

    def _by_update(self, graph: pyoxigraph.NamedNode, triples: list[pyoxigraph.Triple]) -> None:
        self.remote.update(f"DROP SILENT GRAPH {graph}")
        for chunk in chunk_triples(triples, self.chunk_size):
            self.remote.update(_insert_data(graph, chunk))
            self.requests += 1


def _previously_published(remote: Remote) -> list[str]:
    rows = remote.select(f"SELECT ?g WHERE {{ GRAPH {PUBLISHED_GRAPH} {{ {PUBLISHED_GRAPH} {_HAS_PART} ?g }} }}")
    return sorted({r["g"] for r in rows if "g" in r})


def _swap(sizes: Mapping[pyoxigraph.NamedNode, int], stale: list[str]) -> str:
    """One update request: staging graphs into place, stale graphs dropped, the manifest rewritten."""
    ops = []
    for graph, size in sizes.items():
        ops.append(f"MOVE GRAPH {staging_graph(graph)} TO GRAPH {graph}" if size
                   else f"DROP SILENT GRAPH {graph}")
    ops += [f"DROP SILENT GRAPH {pyoxigraph.NamedNode(g)}" for g in stale]
    ops.append(f"DROP SILENT GRAPH {PUBLISHED_GRAPH}")
    manifest = []
    for graph, size in sizes.items():
        manifest.append(pyoxigraph.Triple(PUBLISHED_GRAPH, _HAS_PART, graph))
        manifest.append(pyoxigraph.Triple(graph, _TRIPLES, pyoxigraph.Literal(str(size),
                        datatype=pyoxigraph.NamedNode(PREFIXES["xsd"] + "integer"))))
    ops.append(_insert_data(PUBLISHED_GRAPH, manifest))
    return " ;\n".join(ops)


def _swap_hint(exc: PublishError) -> str:
    """Advice for a swap the store refused as too large (Virtuoso's after-image limit)."""
    if "SR325" in str(exc) or "after image" in str(exc):
        return (" -- the swap is one transaction and Virtuoso's TransactionAfterImageLimit (virtuoso.ini,"
                " [Parameters], default 50000000 bytes) is too small for it; raise it (tests/virtuoso/virtuoso.ini"
                " uses 1500000000). Nothing was replaced.")
    return " (the swap request failed; on a store that runs it as one transaction nothing was replaced)"


def _drop_staging(remote: Remote, graphs: Iterable[pyoxigraph.NamedNode]) -> None:
    """Best effort: a store that stopped answering keeps its staging graphs (the next run replaces them)."""
    try:
        remote.update(" ;\n".join(f"DROP SILENT GRAPH {staging_graph(g)}" for g in graphs))
    except PublishError as exc:
        log.warning("could not drop the staging graphs: %s", exc)


def publish(
    store: pyoxigraph.Store | str | Path,
    remote: Remote,
    *,
    chunk_size: int = 50_000,
) -> PublishReport:
    """Upload every named graph of a built store to ``remote``, replacing what nigraph published there before.

    :param store: the built store, or its directory (``dist/store``).
    :param remote: where to publish.
    :param chunk_size: most triples per upload request.
    :returns: the report; :attr:`PublishReport.ok` is false if a graph's count differs after the swap.
    :raises LoginRefused: on HTTP 401 or 403.
    :raises Unreachable: if the store does not answer.
    :raises CountMismatch: if a staging graph does not hold exactly the triples sent.
    :raises PublishError: if the store rejects an upload. In these cases the published graphs are
        left as they were.
    """
    if not isinstance(store, pyoxigraph.Store):
        store = open_store(store)
    graphs = read_graphs(store)
    old = _previously_published(remote)  # first contact: unreachable or refused stops here
    uploader = _Uploader(remote, chunk_size)
    sizes: dict[pyoxigraph.NamedNode, int] = {}
    try:
        for graph in graphs:  # one graph in memory at a time
            triples = [q.triple for q in store.quads_for_pattern(None, None, None, graph)]
            sizes[graph] = len(triples)  # a store holds no duplicates
            log.info("uploading %s (%d triples)", graph.value, len(triples))
            uploader.upload(staging_graph(graph), triples)
            del triples
        expected = {g.value: n for g, n in sizes.items()}
        found = remote.counts(staging_graph(g) for g in graphs)
        wrong = [f"{g.value}: {found[staging_graph(g).value]} of {expected[g.value]} triples"
                 for g in graphs if found[staging_graph(g).value] != expected[g.value]]
        if wrong:
            raise CountMismatch("the store did not keep every triple sent (nothing replaced): " + "; ".join(wrong))
        stale = [g for g in old if pyoxigraph.NamedNode(g) not in sizes]
        try:
            remote.update(_swap(sizes, stale))
        except PublishError as exc:
            raise type(exc)(f"{exc}{_swap_hint(exc)}") from None
    except BaseException:
        if sizes:
            _drop_staging(remote, sizes)
        raise
    found = remote.counts(graphs)
    return PublishReport(
        method=uploader.method,
        graphs=tuple(GraphCount(g, expected[g], found[g]) for g in sorted(expected)),
        dropped=tuple(stale),
        requests=uploader.requests,
        warnings=tuple(uploader.warnings),
    )
