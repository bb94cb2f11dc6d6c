"""The SPARQL 1.1 Protocol's request rules, apart from any HTTP server: what was asked, on which
dataset, in which media type.

:func:`parse_request` reads the query string, the body and its ``Content-Type``;
:func:`choose_media` turns ``format`` values and ``Accept`` into a media type per query form.
Both raise :class:`ProtocolError` with the HTTP status to answer.

>>> r = parse_request("query=ASK%20%7B%7D&default-graph-uri=urn%3Ag", None, None)
>>> r.query, r.dataset.default
('ASK {}', ('urn:g',))
>>> parse_request("query=%E9", None, None)
Traceback (most recent call last):
...
nigraph.serve.protocol.ProtocolError: the query string is not UTF-8: percent-encode the query's UTF-8 bytes
>>> choose_media(("xml",), None)
('application/sparql-results+xml', 'application/rdf+xml')
>>> choose_media(("csv",), "text/turtle")
('text/csv', 'text/turtle')
>>> choose_media((), "application/sparql-results+json")
('application/sparql-results+json', 'text/turtle')
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs

from ..query.dataset import Dataset, DatasetError
from .formats import GRAPHS, RESULTS, negotiate

__all__ = ["ProtocolError", "SparqlRequest", "parse_request", "choose_media", "FORMAT_PARAM"]

_JSON, _XML, _CSV, _TSV = RESULTS
_TTL, _NT, _JSONLD, _RDFXML = GRAPHS

#: ``format`` parameter → (media type for SELECT/ASK, media type for CONSTRUCT/DESCRIBE); a value
#: names a result format, a graph format or, like ``xml`` and ``json``, one of each.
FORMAT_PARAM: dict[str, tuple[str | None, str | None]] = {
    "json": (_JSON, _JSONLD), "application/json": (_JSON, _JSONLD), _JSON: (_JSON, None),
    "xml": (_XML, _RDFXML), "application/xml": (_XML, _RDFXML), "text/xml": (_XML, _RDFXML), _XML: (_XML, None),
    "csv": (_CSV, None), _CSV: (_CSV, None), "tsv": (_TSV, None), _TSV: (_TSV, None),
    "ttl": (None, _TTL), "turtle": (None, _TTL), _TTL: (None, _TTL), "application/x-turtle": (None, _TTL),
    "application/turtle": (None, _TTL),
    # N3 is a superset of Turtle, so a Turtle document is an N3 document
    "n3": (None, _TTL), "text/n3": (None, _TTL), "text/rdf+n3": (None, _TTL), "application/n3": (None, _TTL),
    "nt": (None, _NT), "ntriples": (None, _NT), "n-triples": (None, _NT), _NT: (None, _NT),
    "jsonld": (None, _JSONLD), "json-ld": (None, _JSONLD), _JSONLD: (None, _JSONLD),
    "rdfxml": (None, _RDFXML), "rdf": (None, _RDFXML), "rdf+xml": (None, _RDFXML), _RDFXML: (None, _RDFXML),
}
_UTF8 = ("utf-8", "utf8")


class ProtocolError(Exception):
    """A request the Protocol does not allow; ``status`` is the HTTP status (400, 403, 415)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class SparqlRequest:
    """What a request to ``/sparql`` asks.

    :param query: the query text, or ``None`` (then the service description is wanted).
    :param dataset: the protocol's dataset (empty: the query's own, else the union).
    :param formats: the ``format`` parameter's values, in order.
    :param form: whether the request was a POSTed form.
    """

    query: str | None
    dataset: Dataset
    formats: tuple[str, ...] = ()
    form: bool = False


def _fields(text: str, where: str) -> dict[str, list[str]]:
    try:
        return parse_qs(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise ProtocolError(f"{where} is not UTF-8: percent-encode the query's UTF-8 bytes") from None


def _media(content_type: str | None) -> tuple[str, str | None]:
    """``(media type, charset or None)`` of a ``Content-Type`` value."""
    parts = [p.strip() for p in (content_type or "").split(";")]
    charset = None
    for p in parts[1:]:
        key, _, value = p.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return parts[0].lower(), charset


def _utf8(body: bytes, charset: str | None, what: str) -> str:
    if charset is not None and charset not in _UTF8:
        raise ProtocolError(f"charset {charset!r} is not supported: send the {what} in UTF-8")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(f"the {what} is not valid UTF-8 (byte {exc.start})") from None


def parse_request(query_string: str, body: bytes | None, content_type: str | None) -> SparqlRequest:
    """Read a request to the endpoint (GET when ``body`` is ``None``, else POST).

    :param query_string: the URL's query string (after ``?``), still percent-encoded.
    :param body: the POST body.
    :param content_type: the POST's ``Content-Type`` header.
    :raises ProtocolError: 400 malformed (not UTF-8, two queries, bad graph IRI, form without a
        query), 403 an update, 415 a body type or charset the Protocol does not allow.
    """
    params = _fields(query_string, "the query string")
    form = False
    if body is not None:
        media, charset = _media(content_type)
        if media == "application/x-www-form-urlencoded":
            form = True
            text = _utf8(body, charset, "form")
            fields = _fields(text, "the form")
            for key, values in fields.items():
                params.setdefault(key, []).extend(values)
            if "query" not in fields and "update" not in fields:
                raise ProtocolError("a POSTed form needs a 'query' field")
        elif media == "application/sparql-query":
            params.setdefault("query", []).append(_utf8(body, charset, "query"))
        elif media == "application/sparql-update":
            raise ProtocolError("updates are refused: this endpoint is read-only", 403)
        else:
            raise ProtocolError("POST needs application/x-www-form-urlencoded or application/sparql-query", 415)
    if "update" in params:
        raise ProtocolError("updates are refused: this endpoint is read-only", 403)
    queries = params.get("query", [])
    if len(queries) > 1:
        raise ProtocolError("more than one query parameter")
    try:
        dataset = Dataset.of(params.get("default-graph-uri", []), params.get("named-graph-uri", []))
    except DatasetError as exc:
        raise ProtocolError(str(exc)) from None
    formats = tuple(v for v in params.get("format", []) if v.strip())
    return SparqlRequest(queries[0] if queries else None, dataset, formats, form)


def choose_media(formats: tuple[str, ...], accept: str | None) -> tuple[str | None, str | None]:
    """The media type for a SELECT/ASK result and for a CONSTRUCT/DESCRIBE result.

    A ``format`` value counts only for the query forms it fits (``csv`` says nothing about a
    CONSTRUCT; ``xml`` means SPARQL XML results or RDF/XML); otherwise ``Accept`` decides. A client
    whose ``Accept`` names only result formats (roqet, many libraries) still gets a CONSTRUCT,
    as RDF/XML if it asked for XML results, else Turtle, rather than 406.

    :param formats: the ``format`` parameter's values.
    :param accept: the ``Accept`` header.
    :returns: ``(results, graphs)``; ``None`` where nothing acceptable fits (406).
    :raises ProtocolError: 400 if ``format`` values were given and none is known.
    """
    known = [FORMAT_PARAM[f.strip().lower()] for f in formats if f.strip().lower() in FORMAT_PARAM]
    if formats and not known:
        raise ProtocolError(f"unknown format {formats[0]!r}; use json, xml, csv, tsv, ttl, n3, nt, jsonld or rdfxml")
    accepted = negotiate(accept, RESULTS)
    results = next((r for r, _ in known if r), None) or accepted
    graphs = next((g for _, g in known if g), None) or negotiate(accept, GRAPHS)
    if graphs is None and results is not None and accepted is not None:
        graphs = _RDFXML if results == _XML else _TTL
    return results, graphs
