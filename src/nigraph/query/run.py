"""Canned SPARQL queries: read their ``#+`` headers, bind parameters as RDF terms, run them.

A canned query is a plain ``queries/<id>.rq`` file that any SPARQL 1.1 tool can run. Its header
(lines starting ``#+``, style guide §3) documents it::

    #+ summary: Standardization directions of one industry
    #+ summary_zh: 某一产业的标准化方向
    #+ description: The directions the sources give for one industry, in the plan's order.
    #+ description_zh: 来源给出的某一产业的标准化方向,按方案顺序排列。
    #+ param: industry (iri, default <https://w3id.org/nigraph/id/industry/F04>) the industry
    #+ columns: direction, ordinal, label_en, label_zh
    #+ tags: [industry, direction]

A line ``#+   more text`` continues the key above it. Each parameter ``p`` is a line
``VALUES ?p { <default> }`` in the query body (more than one if subqueries need it), so the file
runs as it is with the default; :func:`bind` replaces the term in those lines by a term built with pyoxigraph's
``NamedNode``/``Literal`` (which validate and escape), never by user text.

>>> q = parse_query('#+ summary: S\\n#+ summary_zh: 中\\n#+ description: D\\n#+ description_zh: 描述\\n'
...                 '#+ param: x (iri, default <http://e/a>) the x\\n#+ columns: x\\n#+ tags: [t]\\n'
...                 'SELECT ?x WHERE {\\n  VALUES ?x { <http://e/a> }\\n} ORDER BY ?x\\n', "q.rq")
>>> q.id, q.title, q.params["x"].type, q.params["x"].default, q.columns, q.tags
('q', 'S', 'iri', '<http://e/a>', ('x',), ('t',))
>>> import pyoxigraph
>>> run_query(bind(q.text, {"x": term_for(q.params["x"], "http://e/b")}), store=pyoxigraph.Store()).rows
[('http://e/b',)]
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph

from ..core.errors import InputError, NigraphError
from ..core.iri import NID, PREFIXES
from .dataset import (UNION, Dataset, InexactDataset, has_dataset_clause, query_options, shared_graphs,
                      with_union_default)

__all__ = [
    "bindings_for",
    "HEADER_KEYS",
    "PARAM_TYPES",
    "FORMATS",
    "Param",
    "CannedQuery",
    "QueryResult",
    "parse_header",
    "parse_query",
    "load_queries",
    "find_query",
    "term_for",
    "bind",
    "run_query",
    "to_python",
    "format_result",
]

#: Every key a ``#+`` header may use; any other key is an error.
HEADER_KEYS: frozenset[str] = frozenset(
    {"summary", "summary_zh", "description", "description_zh", "param", "columns", "reads", "tags"}
)
#: Keys every canned query must have.
REQUIRED_KEYS: tuple[str, ...] = ("summary", "summary_zh", "description", "description_zh", "tags")
_XSD = PREFIXES["xsd"]
#: Parameter types and the datatype of the literal each one makes (``iri`` makes a NamedNode).
PARAM_TYPES: dict[str, str | None] = {
    "iri": None,
    "string": _XSD + "string",
    "integer": _XSD + "integer",
    "decimal": _XSD + "decimal",
    "date": _XSD + "date",
    "boolean": _XSD + "boolean",
}
#: Output formats of :func:`format_result`.
FORMATS: tuple[str, ...] = ("table", "csv", "tsv", "json")

_HEADER_LINE = re.compile(r"^#\+(?P<cont>\s{2,})?\s*(?:(?P<key>[A-Za-z_][\w-]*)\s*:)?\s*(?P<value>.*?)\s*$")
_READS = re.compile(r"<" + re.escape(NID) + r"cube/[A-Za-z0-9._-]+>")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s*\(\s*(?P<type>\w+)\s*,\s*default\s+(?P<default>[^)]+?)\s*\)\s*(?P<doc>.*)$")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Param:
    """A query parameter.

    :param name: the SPARQL variable it binds (without ``?``).
    :param type: one of :data:`PARAM_TYPES`.
    :param default: the default term as written in SPARQL (``<iri>`` or a literal).
    :param description: what it means.
    """

    name: str
    type: str
    default: str
    description: str = ""


@dataclass(frozen=True)
class CannedQuery:
    """A ``queries/<id>.rq`` file and its header."""

    id: str
    path: Path
    title: str
    title_zh: str
    description: str
    description_zh: str
    params: dict[str, Param]
    columns: tuple[str, ...]
    tags: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class QueryResult:
    """Rows of a SELECT, as comparable Python values (see :func:`to_python`).

    :param columns: the projected variables, in order.
    :param rows: one tuple per solution; ``None`` where a variable is unbound.
    """

    columns: list[str]
    rows: list[tuple] = field(default_factory=list)


def parse_header(text: str, path: str | Path = "<query>") -> dict[str, list[str]]:
    """Read the ``#+`` header of a query into ``{key: [value, ...]}``.

    Continuation lines (``#+`` followed by two or more spaces and no ``key:``) are joined to
    the previous value with a space. Only keys in :data:`HEADER_KEYS` are allowed.

    :param text: the query file's text.
    :param path: the file, for error messages.
    :returns: each key with its values in file order (``param`` may repeat; other keys may not).
    :raises InputError: ``path:line: message`` on an unknown, repeated or empty key.

    >>> parse_header("#+ summary: Two\\n#+   lines\\n#+ tags: [a, b]\\nSELECT * {}")
    {'summary': ['Two lines'], 'tags': ['[a, b]']}
    >>> parse_header("#+ summry: x")
    Traceback (most recent call last):
    ...
    nigraph.core.errors.InputError: <query>:1: unknown header key 'summry' (known: columns, ...)
    """
    header: dict[str, list[str]] = {}
    last: str | None = None
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#+"):
            if line.strip() and not line.lstrip().startswith("#"):
                break  # the header ends at the first line of SPARQL
            continue
        m = _HEADER_LINE.match(line)
        assert m is not None  # the pattern matches any line starting with "#+"
        key, value = m["key"], m["value"]
        if key is None or m["cont"]:
            if last is None or not value:
                raise InputError(path, lineno, None, "header line has no 'key:' and continues nothing")
            header[last][-1] = f"{header[last][-1]} {line[2:].strip()}".strip()
            continue
        if key not in HEADER_KEYS:
            known = ", ".join(sorted(HEADER_KEYS))
            raise InputError(path, lineno, None, f"unknown header key {key!r} (known: {known})")
        if key in header and key != "param":
            raise InputError(path, lineno, None, f"header key {key!r} given twice")
        header.setdefault(key, []).append(value)
        last = key
    for key, values in header.items():
        if any(not v for v in values):
            raise InputError(path, None, None, f"header key {key!r} is empty")
    return header


def _values_line(name: str) -> re.Pattern[str]:
    return re.compile(r"(?m)^(?P<head>[ \t]*VALUES[ \t]+\?" + re.escape(name) + r"[ \t]*\{)(?P<term>[^{}\n]*)(?P<tail>\}.*)$")


def _list(value: str) -> tuple[str, ...]:
    value = value.strip()
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    return tuple(v.strip() for v in value.split(",") if v.strip())


def parse_query(text: str, path: str | Path, *, canned: bool = True) -> CannedQuery:
    """Build a :class:`CannedQuery` from a file's text; its id is the file name without ``.rq``.

    :param text: the query file's text.
    :param path: the file (its stem is the id).
    :param canned: a file of ``queries/`` must have every key of :data:`REQUIRED_KEYS`; any other
        file (``nigraph query FILE.rq``) may have no header, or only some keys, which are then
        read and checked the same way.
    :raises InputError: if the header is malformed, a required key is missing, a parameter is
        ill-formed or has no ``VALUES ?name { default }`` line matching its default.

    >>> q = parse_query("SELECT * WHERE { ?s ?p ?o } LIMIT 1", "mine.rq", canned=False)
    >>> q.id, q.title, q.params, q.tags
    ('mine', 'mine.rq', {}, ())
    """
    path = Path(path)
    header = parse_header(text, path)
    missing = [k for k in REQUIRED_KEYS if k not in header]
    if missing and not canned:
        for key in ("summary", "summary_zh", "description", "description_zh"):
            header.setdefault(key, [path.name if key.startswith("summary") else ""])
        header.setdefault("tags", [""])
    elif missing:
        raise InputError(path, None, None, f"header lacks {', '.join(missing)}")
    params: dict[str, Param] = {}
    for value in header.get("param", []):
        m = _PARAM.match(value)
        if not m:
            raise InputError(path, None, None, f"bad param {value!r}: write 'NAME (TYPE, default TERM) description'")
        if m["type"] not in PARAM_TYPES:
            raise InputError(path, None, None, f"param {m['name']!r}: unknown type {m['type']!r} (known: {', '.join(PARAM_TYPES)})")
        lines = _values_line(m["name"]).findall(text)
        if not lines or any(line[1].strip() != m["default"] for line in lines):
            raise InputError(path, None, None, f"param {m['name']!r}: every line 'VALUES ?{m['name']} {{ … }}' "
                             f"must hold the default, and there must be one: 'VALUES ?{m['name']} {{ {m['default']} }}'")
        params[m["name"]] = Param(m["name"], m["type"], m["default"], m["doc"])
    for value in header.get("reads", []):
        if not _READS.fullmatch(value):
            raise InputError(path, None, None, f"bad reads {value!r}: write '<{NID}cube/NAME>', the data set "
                             "of the coverage cube the query reads (the cube guard checks the store has it)")
    return CannedQuery(
        id=path.stem,
        path=path,
        title=header["summary"][0],
        title_zh=header["summary_zh"][0],
        description=header["description"][0],
        description_zh=header["description_zh"][0],
        params=params,
        columns=_list(header.get("columns", [""])[0]),
        tags=_list(header["tags"][0]),
        text=text,
    )


def _read(path: Path, *, canned: bool = True) -> CannedQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, None, None, f"cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    return parse_query(text, path, canned=canned)


def load_queries(root: str | Path) -> list[CannedQuery]:
    """Read every ``queries/*.rq`` of a project, sorted by id.

    :param root: the project directory (or the ``queries/`` directory itself).
    :returns: the queries.
    :raises InputError: if a file is unreadable, misnamed (ids are kebab-case) or its header is bad.
    """
    root = Path(root)
    folder = root / "queries" if (root / "queries").is_dir() else root
    queries = []
    for path in sorted(folder.glob("*.rq")):
        if not _ID.match(path.stem):
            raise InputError(path, None, None, "query file names must be kebab-case ids (a-z, 0-9, '-')")
        queries.append(_read(path))
    return queries


def find_query(root: str | Path, name: str) -> CannedQuery:
    """Find a canned query by id, or read a ``.rq`` file given by path (its ``#+`` header is optional).

    :param root: the project directory.
    :param name: a query id such as ``industries-by-kind``, or a path to a ``.rq`` file.
    :raises NigraphError: if there is no such query (the message lists close ids).
    :raises InputError: if the file's header is bad.
    """
    path = Path(name)
    if name.endswith(".rq") or path.is_file():
        if not path.is_file():
            raise NigraphError(f"{name}: no such query file")
        return _read(path, canned=False)
    queries = {q.id: q for q in load_queries(root)}
    if name not in queries:
        close = [i for i in queries if name in i or i in name][:5]
        hint = f"; did you mean {', '.join(close)}?" if close else "; run `nigraph query --list`"
        raise NigraphError(f"unknown query {name!r}{hint}")
    return queries[name]


def bindings_for(query: CannedQuery, params: Iterable[str]) -> dict[str, pyoxigraph.NamedNode | pyoxigraph.Literal]:
    """The values of ``--param NAME=VALUE`` options for ``query``, each checked against its declared type.

    :raises NigraphError: on an item without ``=``, an unknown parameter or a bad value.
    """
    bindings = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep:
            raise NigraphError(f"--param {item!r}: write NAME=VALUE")
        if key not in query.params:
            known = ", ".join(query.params) or "none"
            raise NigraphError(f"unknown parameter {key!r} for query {query.id} (parameters: {known})")
        bindings[key] = term_for(query.params[key], value)
    return bindings


def term_for(param: Param, value: str) -> pyoxigraph.NamedNode | pyoxigraph.Literal:
    """Turn a user's value into the RDF term a parameter takes.

    An ``iri`` may be written ``<…>``, in full, or with a nigraph prefix (``nid:industry/F04``).

    :param param: the parameter.
    :param value: the value as typed.
    :returns: a NamedNode or a typed Literal.
    :raises NigraphError: if the value is not a valid IRI or literal of the type.

    >>> term_for(Param("i", "iri", ""), "nid:industry/F04")
    <NamedNode value=https://w3id.org/nigraph/id/industry/F04>
    >>> term_for(Param("n", "integer", ""), "7")
    <Literal value=7 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
    >>> term_for(Param("i", "iri", ""), "not an iri")
    Traceback (most recent call last):
    ...
    nigraph.core.errors.NigraphError: parameter i: bad IRI 'not an iri': ...
    """
    if param.type == "iri":
        iri = value[1:-1] if value.startswith("<") and value.endswith(">") else value
        prefix, sep, local = iri.partition(":")
        if sep and prefix in PREFIXES and not local.startswith("//"):
            iri = PREFIXES[prefix] + local
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", iri):
            raise NigraphError(f"parameter {param.name}: bad IRI {value!r}: not absolute (give a scheme such as https:)")
        try:
            return pyoxigraph.NamedNode(iri)
        except ValueError as exc:
            raise NigraphError(f"parameter {param.name}: bad IRI {value!r}: {exc}") from None
    checks = {
        "integer": lambda v: int(v),
        "decimal": lambda v: Decimal(v) if Decimal(v).is_finite() else int("x"),
        "date": lambda v: dt.date.fromisoformat(v),
        "boolean": lambda v: {"true": 1, "false": 0}[v],
    }
    try:
        if param.type in checks:
            checks[param.type](value)
    except (ValueError, KeyError, InvalidOperation):
        raise NigraphError(f"parameter {param.name}: {value!r} is not a valid {param.type}") from None
    datatype = PARAM_TYPES[param.type]
    return pyoxigraph.Literal(value, datatype=pyoxigraph.NamedNode(datatype)) if datatype else pyoxigraph.Literal(value)


def bind(text: str, bindings: dict[str, pyoxigraph.NamedNode | pyoxigraph.Literal | pyoxigraph.BlankNode]) -> str:
    """Put terms into a query's ``VALUES ?name { … }`` lines.

    Each term is written with ``str()`` of a pyoxigraph term, which escapes it, so a value cannot
    end the VALUES block or add to the query.

    :param text: the query.
    :param bindings: variable name → term.
    :returns: the query with each named VALUES line holding just that term.
    :raises NigraphError: if a name has no ``VALUES ?name { … }`` line (several are all bound).

    >>> bind("SELECT ?x {\\n VALUES ?x { 1 }\\n}", {"x": pyoxigraph.Literal('"} UNION {')})
    'SELECT ?x {\\n VALUES ?x { "\\\\"} UNION {" }\\n}'
    """
    for name, term in bindings.items():
        if not isinstance(term, (pyoxigraph.NamedNode, pyoxigraph.Literal)):
            raise NigraphError(f"parameter {name}: bind an IRI or a literal, not {type(term).__name__}")
        pattern = _values_line(name)
        if not pattern.search(text):
            raise NigraphError(f"unknown parameter {name!r}: the query has no line 'VALUES ?{name} {{ … }}'")
        written = str(term)
        text = pattern.sub(lambda m, w=written: f"{m['head']} {w} {m['tail']}", text)
    return text


def to_python(term: object) -> object:
    """Convert an RDF term to a comparable Python value.

    IRIs → ``str``; integers → ``int``; ``xsd:decimal`` → :class:`~decimal.Decimal`; doubles and
    floats → ``float``; booleans → ``bool``; ``xsd:date`` → :class:`datetime.date`; blank nodes →
    ``"_:id"``; any other literal → its lexical form; unbound → ``None``.

    >>> to_python(pyoxigraph.Literal("2.50", datatype=pyoxigraph.NamedNode(_XSD + "decimal")))
    Decimal('2.50')
    >>> to_python(pyoxigraph.Literal("2023-08-03", datatype=pyoxigraph.NamedNode(_XSD + "date")))
    datetime.date(2023, 8, 3)
    """
    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return term.value
    if isinstance(term, pyoxigraph.BlankNode):
        return "_:" + term.value
    if isinstance(term, pyoxigraph.Literal):
        dtype = term.datatype.value[len(_XSD):] if term.datatype.value.startswith(_XSD) else ""
        value = term.value
        try:
            if dtype in _INTEGER_TYPES:
                return int(value)
            if dtype == "decimal":
                return Decimal(value)
            if dtype in ("double", "float"):
                return float(value)
            if dtype == "boolean":
                return value.strip() in ("true", "1")
            if dtype == "date" and len(value) == 10:
                return dt.date.fromisoformat(value)
        except (ValueError, InvalidOperation):
            return value
        return value
    return str(term)


_INTEGER_TYPES = frozenset(
    "integer int long short byte nonNegativeInteger positiveInteger nonPositiveInteger negativeInteger "
    "unsignedLong unsignedInt unsignedShort unsignedByte".split()
)


def run_query(
    query_text: str,
    *,
    store: pyoxigraph.Store | None = None,
    endpoint: str | None = None,
    bindings: dict[str, pyoxigraph.NamedNode | pyoxigraph.Literal] | None = None,
    timeout_s: float | None = None,
    dataset: Dataset = UNION,
    shared: frozenset[tuple[str, str]] | None = None,
    any_form: bool = False,
) -> QueryResult:
    """Run a SELECT on the embedded store or an endpoint.

    The query's dataset is exact on the store (:mod:`nigraph.query.dataset`): ``dataset`` if
    given, else the query's ``FROM``/``FROM NAMED``, else the union of every graph. An endpoint
    gets ``dataset`` as ``default-graph-uri``/``named-graph-uri`` and applies the rest itself.

    :param query_text: the query (a canned query's ``text`` or any SELECT).
    :param store: a pyoxigraph store; exactly one of ``store`` and ``endpoint``.
    :param endpoint: the URL of a SPARQL 1.1 endpoint, asked through SPARQLWrapper.
    :param bindings: variable name → term, put into the query's ``VALUES`` lines (:func:`bind`).
    :param timeout_s: give up after this long (endpoint: the HTTP timeout; store: checked while
        reading rows, since an embedded query cannot be interrupted).
    :param dataset: graphs given outside the query (they replace its ``FROM``/``FROM NAMED``).
    :param shared: :func:`~nigraph.query.dataset.shared_graphs` of ``store``, when the caller runs
        many queries on one store it does not change (else found here: one scan per call).
    :param any_form: on the store, also answer ASK (one column ``ask``, one row) and CONSTRUCT or
        DESCRIBE (columns ``subject``, ``predicate``, ``object``, one row per distinct triple,
        sorted); otherwise only SELECT is run. An endpoint is always asked for SELECT results.
    :returns: the rows, converted with :func:`to_python`.
    :raises NigraphError: bad query, bad binding, unreachable endpoint, endpoint error, timeout.

    >>> store = pyoxigraph.Store()
    >>> run_query("ASK { }", store=store, any_form=True)
    QueryResult(columns=['ask'], rows=[(True,)])
    >>> run_query("CONSTRUCT { <http://e/s> <http://e/p> 1 } WHERE { }", store=store, any_form=True).rows
    [('http://e/s', 'http://e/p', 1)]
    """
    if (store is None) == (endpoint is None):
        raise NigraphError("run_query needs exactly one of store= and endpoint=")
    text = bind(query_text, bindings or {})
    if store is not None:
        return _run_store(text, store, timeout_s, dataset, shared, any_form)
    return _run_endpoint(text, endpoint, timeout_s, dataset)  # type: ignore[arg-type]


def _run_store(text: str, store: pyoxigraph.Store, timeout_s: float | None, dataset: Dataset,
               shared: frozenset[tuple[str, str]] | None = None, any_form: bool = False) -> QueryResult:
    start = time.monotonic()
    try:
        if shared is None:
            shared = shared_graphs(store)
        if shared and not dataset.given and not has_dataset_clause(text):
            # a triple is in two graphs: query a copy whose default graph is their union, as a set
            store = with_union_default(store)
            solutions = store.query(text)
        else:
            solutions = store.query(text, **query_options(text, dataset, shared=shared))
    except SyntaxError as exc:
        raise NigraphError(f"query does not parse: {str(exc).splitlines()[0]}") from None
    except InexactDataset as exc:
        raise NigraphError(f"query refused: {exc}") from None
    except OSError as exc:
        raise NigraphError(f"query failed: {exc}") from None
    if any_form and isinstance(solutions, pyoxigraph.QueryBoolean):
        return QueryResult(["ask"], [(bool(solutions),)])
    if any_form and isinstance(solutions, pyoxigraph.QueryTriples):
        try:
            triples = {str(t): t for t in solutions}
        except OSError as exc:
            raise NigraphError(f"query failed: {exc}") from None
        rows = [tuple(to_python(x) for x in (t.subject, t.predicate, t.object)) for _, t in sorted(triples.items())]
        return QueryResult(["subject", "predicate", "object"], rows)
    if not isinstance(solutions, pyoxigraph.QuerySolutions):
        raise NigraphError("only SELECT queries can be run here")
    columns = [v.value for v in solutions.variables]
    rows = []
    try:
        for solution in solutions:
            rows.append(tuple(to_python(solution[c]) for c in columns))
            if timeout_s is not None and time.monotonic() - start > timeout_s:
                raise NigraphError(f"query timed out after {timeout_s:g} s")
    except OSError as exc:
        raise NigraphError(f"query failed: {exc}") from None
    return QueryResult(columns, rows)


def _json_term(b: dict | None) -> object:
    if b is None:
        return None
    kind, value = b.get("type"), b.get("value", "")
    if kind == "uri":
        return pyoxigraph.NamedNode(value)
    if kind == "bnode":
        return pyoxigraph.BlankNode(value)
    if "xml:lang" in b:
        return pyoxigraph.Literal(value, language=b["xml:lang"])
    if b.get("datatype"):
        return pyoxigraph.Literal(value, datatype=pyoxigraph.NamedNode(b["datatype"]))
    return pyoxigraph.Literal(value)


def _run_endpoint(text: str, endpoint: str, timeout_s: float | None, dataset: Dataset = UNION) -> QueryResult:
    import urllib.error

    from SPARQLWrapper import JSON, POST, SELECT, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    if not re.match(r"^https?://", endpoint):
        raise NigraphError(f"endpoint {endpoint!r}: give an http:// or https:// URL")
    client = SPARQLWrapper(endpoint)
    client.setQuery(text)
    # SPARQLWrapper guesses the query form with a regex that misses every other comment line, so a
    # word like "loaded" in a header can make it send the query as an update: only SELECT is run here.
    client.queryType = SELECT
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    for graph in dataset.default:
        client.addDefaultGraph(graph)
    for graph in dataset.named:
        client.addNamedGraph(graph)
    if timeout_s is not None:
        client.setTimeout(max(1, int(round(timeout_s))))
    try:
        data = client.queryAndConvert()
    except SPARQLWrapperException as exc:
        detail = " ".join(str(exc).split())[:300]
        raise NigraphError(f"endpoint {endpoint} answered with an error: {detail}") from None
    except urllib.error.HTTPError as exc:
        raise NigraphError(f"endpoint {endpoint} answered HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise NigraphError(f"endpoint {endpoint} is unreachable: {reason}") from None
    except ValueError as exc:  # not JSON
        raise NigraphError(f"endpoint {endpoint} did not answer with SPARQL JSON results: {exc}") from None
    if not isinstance(data, dict) or "results" not in data or "head" not in data:
        raise NigraphError(f"endpoint {endpoint} did not answer with SPARQL JSON SELECT results")
    columns = list(data["head"].get("vars", []))
    rows = [tuple(to_python(_json_term(b.get(c))) for c in columns) for b in data["results"].get("bindings", [])]
    return QueryResult(columns, rows)


def _text(value: object) -> str:
    """A value as CSV/TSV text: decimals in canonical xsd form, booleans lower-case, dates ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        s = format(value.normalize(), "f") if value != 0 else "0"
        return s if "." in s else s + ".0"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def compact(iri: str) -> str:
    """Write an IRI with a nigraph prefix where one fits (for tables).

    >>> compact("https://w3id.org/nigraph/id/industry/F04")
    'nid:industry/F04'
    """
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else iri


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Render rows as an aligned table (IRIs compacted), CSV, TSV or JSON.

    :param result: the rows.
    :param fmt: one of :data:`FORMATS`.
    :returns: the text, ending with a newline.

    >>> r = QueryResult(["x", "n"], [("https://w3id.org/nigraph/id/task/1", Decimal("50"))])
    >>> print(format_result(r, "csv"), end="")
    x,n
    https://w3id.org/nigraph/id/task/1,50.0
    >>> print(format_result(r, "table"), end="")
    x           n
    ----------  ----
    nid:task/1  50.0
    (1 row)
    """
    import csv
    import io

    if fmt not in FORMATS:
        raise NigraphError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    if fmt in ("csv", "tsv"):
        out = io.StringIO()
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(result.columns)
        for row in result.rows:
            cells = [_text(v) for v in row]
            if fmt == "tsv":
                cells = [c.replace("\t", " ").replace("\n", " ") for c in cells]
            writer.writerow(cells)
        return out.getvalue()
    if fmt == "json":
        def plain(v: object) -> object:
            if isinstance(v, Decimal):
                return float(v)
            if isinstance(v, dt.date):
                return v.isoformat()
            return v

        rows = [{c: plain(v) for c, v in zip(result.columns, row)} for row in result.rows]
        return json.dumps({"columns": result.columns, "rows": rows}, ensure_ascii=False, indent=1) + "\n"
    cells = [[compact(_text(v)) if isinstance(v, str) else _text(v) for v in row] for row in result.rows]
    cells = [[" ".join(c.split()) for c in row] for row in cells]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(result.columns)]
    lines = ["  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths)).rstrip()
             for row in [list(result.columns), ["-" * w for w in widths], *cells]]
    n = len(result.rows)
    lines.append(f"({n} row{'s' if n != 1 else ''})")
    return "\n".join(lines) + "\n"
