"""Content negotiation: from an ``Accept`` header or a ``format`` parameter to a media type.

>>> negotiate("text/csv;q=0.5, application/sparql-results+json", RESULTS)
'application/sparql-results+json'
>>> negotiate("*/*", GRAPHS)
'text/turtle'
>>> negotiate("image/png", GRAPHS) is None
True
>>> negotiate("text/n3", GRAPHS)
'text/turtle'
>>> from_param("csv", RESULTS), from_param("jsonld", GRAPHS), from_param("nope", GRAPHS)
('text/csv', 'application/ld+json', None)
"""

from __future__ import annotations

__all__ = ["RESULTS", "GRAPHS", "PAGES", "ALIASES", "EXTENSIONS", "negotiate", "from_param", "parse_accept"]

#: SELECT/ASK result media types, preferred first.
RESULTS = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
#: CONSTRUCT/DESCRIBE and linked-data media types, preferred first.
GRAPHS = ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml")
#: What a resource IRI can be negotiated to: a page for people, or a graph.
PAGES = ("text/html",) + GRAPHS

#: Other names clients use for the same types (and the ``format`` parameter's short names).
ALIASES = {
    "json": "application/sparql-results+json",
    "application/json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "application/x-turtle": "text/turtle",
    "application/turtle": "text/turtle",
    # N3 is a superset of Turtle: a Turtle document is an N3 document
    "n3": "text/turtle",
    "text/n3": "text/turtle",
    "text/rdf+n3": "text/turtle",
    "application/n3": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "text/plain": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "rdf": "application/rdf+xml",
    "html": "text/html",
    "application/xhtml+xml": "text/html",
}
#: File extension of each document form of a resource (303 targets).
EXTENSIONS = {
    "text/html": "html",
    "text/turtle": "ttl",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdf",
}


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Split an ``Accept`` header into ``(media type, q)`` pairs, best first (stable).

    :param header: the header value, or ``None`` (taken as ``*/*``).
    :returns: the ranges with ``q > 0``.

    >>> parse_accept("text/html;q=0.9, application/json")
    [('application/json', 1.0), ('text/html', 0.9)]
    """
    out = []
    for i, part in enumerate((header or "*/*").split(",")):
        bits = [b.strip() for b in part.split(";")]
        media = bits[0].lower()
        if not media:
            continue
        q = 1.0
        for b in bits[1:]:
            if b.lower().startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            out.append((media, q, i))
    out.sort(key=lambda t: (-t[1], t[2]))
    return [(m, q) for m, q, _ in out]


def negotiate(header: str | None, offered: tuple[str, ...]) -> str | None:
    """Pick the offered media type the client likes best.

    :param header: the ``Accept`` header (``None`` means anything).
    :param offered: media types the server can write, preferred first.
    :returns: one of ``offered``, or ``None`` if the client accepts none of them.
    """
    for media, _q in parse_accept(header):
        media = ALIASES.get(media, media)
        if media in offered:
            return media
        if media == "*/*":
            return offered[0]
        if media.endswith("/*"):
            for o in offered:
                if o.startswith(media[:-1]):
                    return o
    return None


def from_param(value: str, offered: tuple[str, ...]) -> str | None:
    """Map a ``format`` parameter (short name or media type) to an offered media type.

    :param value: e.g. ``"csv"`` or ``"text/csv"``.
    :param offered: the media types that apply.
    :returns: the media type, or ``None`` if it does not apply.
    """
    media = value.strip().lower()
    media = ALIASES.get(media, media)
    return media if media in offered else None
