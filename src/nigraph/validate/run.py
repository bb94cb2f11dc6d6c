"""Validate data against ``shapes/*.ttl`` (SHACL) and ``shapes/checks/*-violation.rq`` → :class:`Report`.

The data graph is the ontology and its imports, the project's ``data/`` (unless left out), and the
user's files, merged: the ontology makes ``rdfs:subClassOf`` visible to ``sh:targetClass`` and
``sh:class``, and the project's data lets a user's catalogue point to the plan's industries and
vocabularies. Two engines give SHACL's answer:

* ``fast`` (default): each shape the compiler (:mod:`.compiler`) implements exactly is run as SPARQL
  on a pyoxigraph store; every other shape is handed over to pySHACL, which gets the *whole* shapes
  graph (only the targets of the compiled shapes are left out, so it checks nothing twice) and the
  data as written. The two result lists make one report; ``Report.routes`` says which shape went where.
* ``pyshacl``: the reference engine alone, on an rdflib graph.

Before anything runs, every SHACL-SPARQL query of the shapes graph is read: one that SHACL forbids
(``MINUS``, ``VALUES``, ``SERVICE``, …) or that could reach the network is refused with an
:class:`~nigraph.errors.InputError`; so is a check that could reach the network.

A check in ``shapes/checks/`` is a SELECT that returns the bad rows (``?focus``, optionally ``?value``);
its first comment line states the rule in English, a ``# zh:`` line in Chinese.

>>> import nigraph.validate.run as v
>>> v.ENGINES
('fast', 'pyshacl')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph

from ..core.errors import InputError, NigraphError
from ..core.iri import GRAPH, SHAPES
from ..core.load import check_file, load_files, parse_error, project_files
from .compiler import TARGETS, compile_shapes, run_compiled
from .literals import XSD, Rewrites, find_rewrites, may_be_rewritten, raw_literals, rewritten
from .results import SH, Report, Result
from .sparql_text import forbidden, network_reason, reads_any_of

__all__ = ["ENGINES", "Check", "validate", "validate_quads", "validate_stream", "validate_loaded", "load_checks",
           "FORMAT_NAMES"]

ENGINES = ("fast", "pyshacl")
#: ``--format`` names → pyoxigraph formats.
FORMAT_NAMES: dict[str, pyoxigraph.RdfFormat] = {
    "ttl": pyoxigraph.RdfFormat.TURTLE,
    "nt": pyoxigraph.RdfFormat.N_TRIPLES,
    "jsonld": pyoxigraph.RdfFormat.JSON_LD,
}
_CHECK_IRI = SHAPES + "checks/"
_NT = pyoxigraph.RdfFormat.N_TRIPLES
_FILE_GRAPHS = GRAPH


@dataclass(frozen=True)
class Check:
    """A ``shapes/checks/<name>.rq`` query: rows are violations.

    :param name: file name without ``.rq``.
    :param query: the SPARQL text.
    :param messages: ``(language, text)`` from the header comments.
    """

    name: str
    query: str
    messages: tuple[tuple[str, str], ...]

    @property
    def iri(self) -> str:
        return _CHECK_IRI + self.name


def load_checks(root: str | Path) -> list[Check]:
    """Read ``shapes/checks/*.rq`` (sorted); the first comment line is the English rule, ``# zh:`` the Chinese.

    :param root: the project directory.
    :returns: the checks.
    :raises InputError: if a check does not parse as SPARQL, has no rule comment, or could reach the network.
    """
    checks = []
    for path in sorted((Path(root) / "shapes" / "checks").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        comments = [ln[1:].strip() for ln in text.splitlines() if ln.startswith("#")]
        en = next((c for c in comments if c and not c.startswith(("zh:", "shapes/"))), None)
        zh = next((c[3:].strip() for c in comments if c.startswith("zh:")), None)
        if en is None:
            raise InputError(path.relative_to(root), 1, None, "a check must start with a comment stating its rule")
        reason = network_reason(text)  # first: parsing below runs the query (on an empty store)
        if reason:
            raise InputError(path.relative_to(root), None, None, f"{reason}; a check runs on local data only")
        try:
            pyoxigraph.Store().query(text)
        except SyntaxError as exc:
            raise parse_error(path.relative_to(root), exc) from None
        messages = (("en", en),) + ((("zh", zh),) if zh else ())
        checks.append(Check(path.stem, text, messages))
    return checks


def _check_results(check: Check, rows: Iterable[dict]) -> list[Result]:
    out = []
    for row in rows:
        focus = row.get("focus")
        out.append(Result(focus=focus or check.iri, path=None, component=SH + "SPARQLConstraintComponent",
                          shape=check.iri, value=row.get("value"), constraint=check.iri, messages=check.messages))
    return out


def _oxi_rows(store: pyoxigraph.Store, query: str) -> list[dict]:
    rows = []
    for sol in store.query(query):
        row = {}
        for name in ("focus", "value"):
            try:
                term = sol[name]
            except KeyError:
                term = None
            if term is not None:
                row[name] = _text(term, name == "focus")
        rows.append(row)
    return rows


def _text(term, bare: bool) -> str:
    if bare and isinstance(term, pyoxigraph.NamedNode):
        return term.value
    if isinstance(term, pyoxigraph.Literal) and term.language:
        return str(pyoxigraph.Literal(term.value, language=term.language.lower()))
    return str(term)


def _context_files(root: Path, *, with_data: bool) -> list[Path]:
    files = [p for p in project_files(root) if "shapes" not in p.relative_to(root).parts[:1]]
    if not with_data:
        files = [p for p in files if p.relative_to(root).parts[0] == "ontology"]
    return files


def _shape_files(root: Path) -> list[Path]:
    return [p for p in project_files(root) if p.relative_to(root).parts[0] == "shapes"]


def _user_format(path: Path, fmt: str | None) -> pyoxigraph.RdfFormat:
    if fmt is None:
        return check_file(path, path)
    if fmt not in FORMAT_NAMES:
        raise InputError(path, None, None, f"unknown format {fmt!r} (known: {', '.join(FORMAT_NAMES)})")
    return check_file(path, path, FORMAT_NAMES[fmt])


def validate(root: str | Path, files: Sequence[str | Path] = (), *, fmt: str | None = None,
             engine: str = "fast", with_data: bool = True, checks: bool = True) -> Report:
    """Validate the project's data, or ``files`` together with it, against the project's shapes.

    :param root: the project directory (``ontology/``, ``data/``, ``shapes/``).
    :param files: the user's files; empty to validate the project's own data.
    :param fmt: ``"ttl"``, ``"nt"`` or ``"jsonld"``, for all ``files``; default from each extension.
    :param engine: ``"fast"`` or ``"pyshacl"``.
    :param with_data: merge the project's ``data/`` into the data graph.
    :param checks: also run ``shapes/checks/*.rq``.
    :returns: the report.
    :raises InputError: if a file is missing, a directory, empty, of an unknown format, or does not parse;
        if a SHACL-SPARQL query is one SHACL forbids or could reach the network.
    """
    root = Path(root).resolve()
    if engine not in ENGINES:
        raise NigraphError(f"unknown engine {engine!r} (known: {', '.join(ENGINES)})")
    user = [(Path(f), _user_format(Path(f), fmt)) for f in files]
    context = load_files(_context_files(root, with_data=with_data), root)
    shapes = load_files(_shape_files(root), root)
    found = load_checks(root) if checks else []
    return _validate(_sources(context, user), shapes, found, engine)


def validate_quads(data: Iterable[pyoxigraph.Quad], shapes: Iterable[pyoxigraph.Quad], *,
                   engine: str = "fast", checks: Sequence[Check] = ()) -> Report:
    """Validate quads already in memory (all graphs merged) against shape quads.

    The literals are taken as they are in ``data``: pass parsed quads (``pyoxigraph.parse``), not
    quads read back from a store, which rewrites numbers.

    :param data: the data graph's quads (with the ontology).
    :param shapes: the shapes graph's quads.
    :param engine: ``"fast"`` or ``"pyshacl"``.
    :param checks: checks to run as well.
    :returns: the report.
    :raises InputError: if a SHACL-SPARQL query is one SHACL forbids or could reach the network.
    """
    if engine not in ENGINES:
        raise NigraphError(f"unknown engine {engine!r} (known: {', '.join(ENGINES)})")
    return _validate(_sources(list(data), []), list(shapes), list(checks), engine)


def validate_stream(data: Callable[[], Iterator[pyoxigraph.Quad]], shapes: Iterable[pyoxigraph.Quad], *,
                    engine: str = "fast", checks: Sequence[Check] = ()) -> Report:
    """Validate data given as a function that yields its quads afresh at each call (so that a large
    graph, e.g. parsed from the build's N-Triples, is never held as a list of Python objects).

    :param data: returns an iterator over the data graph's quads (with the ontology).
    :param shapes: the shapes graph's quads.
    :param engine: ``"fast"`` or ``"pyshacl"``.
    :param checks: checks to run as well.
    :returns: the report.
    :raises InputError: as :func:`validate_quads`.
    """
    if engine not in ENGINES:
        raise NigraphError(f"unknown engine {engine!r} (known: {', '.join(ENGINES)})")
    return _validate(data, list(shapes), list(checks), engine)


def validate_loaded(store: pyoxigraph.Store, lines: Sequence[bytes], shapes: Iterable[pyoxigraph.Quad], *,
                    checks: Sequence[Check] = ()) -> Report:
    """Validate with the fast engine on a store the caller has already loaded (``nigraph build``
    loads its working store once and validates on it).

    :param store: an in-memory store whose default graph is exactly the data graph of ``lines``;
        it is only read.
    :param lines: the data graph as written, as N-Triples lines (the literals as written are read
        from the typed ones; pySHACL gets them all when a shape is handed over).
    :param shapes: the shapes graph's quads.
    :param checks: checks to run as well.
    :returns: the same report as :func:`validate_stream` on the same data.
    :raises InputError: as :func:`validate_quads`.
    """
    return _validate(lambda: pyoxigraph.parse(b"".join(lines), format=_NT), list(shapes), list(checks), "fast",
                     loaded=(store, find_rewrites(_rewrite_candidates(lines))))


def _rewrite_candidates(lines: Sequence[bytes]) -> list[tuple[str, str, pyoxigraph.Literal]]:
    """The ``(subject, predicate, literal)`` of ``lines`` that :func:`.literals.find_rewrites` looks at:
    those whose literal the store rewrites or is what a rewritten one becomes (every other one would
    be passed over there). Each distinct typed literal is parsed once (a catalogue repeats its dates),
    and only the lines of those literals are parsed whole."""
    typed = b"^^<" + XSD.encode()  # no IRI has a "^": only a literal's line has it
    objects = [(line.split(b" ", 2)[2][:-3], line) for line in lines if typed in line]
    distinct = sorted({o for o, _ in objects})
    terms = pyoxigraph.parse(b"".join(b"<urn:nigraph:o> <urn:nigraph:o> %s .\n" % o for o in distinct), format=_NT)
    literals = {o: q.object for o, q in zip(distinct, terms) if may_be_rewritten(q.object)}
    changed = rewritten(literals.values())
    forms = {str(v) for v in changed.values()}
    keep = {o for o, lit in literals.items() if lit in changed or str(lit) in forms}
    return [(str(q.subject), q.predicate.value, q.object)
            for q in pyoxigraph.parse(b"".join(line for o, line in objects if o in keep), format=_NT)]


def _sources(context: list[pyoxigraph.Quad], user: list[tuple[Path, pyoxigraph.RdfFormat]],
             ) -> Callable[[], Iterator[pyoxigraph.Quad]]:
    """A function that yields the data graph as written (every graph merged into the default graph)."""
    def quads() -> Iterator[pyoxigraph.Quad]:
        for q in context:
            yield pyoxigraph.Quad(q.subject, q.predicate, q.object)
        for path, fmt in user:
            try:
                for q in pyoxigraph.parse(path=str(path), format=fmt):
                    yield q if type(q.graph_name) is pyoxigraph.DefaultGraph \
                        else pyoxigraph.Quad(q.subject, q.predicate, q.object)
            except (SyntaxError, ValueError, OSError) as exc:
                raise parse_error(path, exc) from None
    return quads


def _file_of(graph) -> str:
    """The shapes file a quad came from (its graph is named after it), for error messages."""
    if isinstance(graph, pyoxigraph.NamedNode) and graph.value.startswith(_FILE_GRAPHS):
        return graph.value[len(_FILE_GRAPHS):]
    return "shapes graph"


def _refuse_forbidden_sparql(shapes: list[pyoxigraph.Quad]) -> None:
    """Every ``sh:select``/``sh:ask`` is read before anything runs; SHACL-forbidden ones are refused."""
    for q in shapes:
        if q.predicate.value in (SH + "select", SH + "ask") and isinstance(q.object, pyoxigraph.Literal):
            reason = forbidden(q.object.value)
            if reason:
                raise InputError(_file_of(q.graph_name), None, None, f"{_text(q.subject, True)}: {reason}; "
                                 "nothing was run")


def _validate(data: Callable[[], Iterator[pyoxigraph.Quad]], shapes: list[pyoxigraph.Quad], checks: list[Check],
              engine: str, loaded: tuple[pyoxigraph.Store, Rewrites] | None = None) -> Report:
    _refuse_forbidden_sparql(shapes)
    if engine == "pyshacl":
        graph = _rdflib_graph(data())
        results = _pyshacl_results(graph, _rdflib_graph(shapes))
        return _report(results + _rdflib_checks(graph, checks), "pyshacl")
    store, rewrites = loaded if loaded is not None else _load_store(data())
    compiled, handed = compile_shapes(shapes, rewrites=rewrites)
    results, redo = run_compiled(compiled, store, rewrites)
    redone = {s for s, _ in redo}
    compiled = [s for s in compiled if s.shape not in redone]
    handed = sorted(handed + redo)
    routes = [(s.shape, "compiled", "") for s in compiled] + [(s, "pyshacl", why) for s, why in handed]
    graph = None
    if handed:
        graph = _rdflib_graph(data())
        compiled_heads = {s.shape for s in compiled}
        kept = [q for q in shapes if not (q.predicate.value in TARGETS and _node(q.subject) in compiled_heads)]
        results += _pyshacl_results(graph, _rdflib_graph(kept))
    lossy = rewrites.hard_predicates | rewrites.soft_predicates
    for check in checks:  # one that reads literals the store rewrote runs on the data as written (rdflib)
        if reads_any_of(check.query, lossy):
            graph = graph if graph is not None else _rdflib_graph(data())
            results += _rdflib_checks(graph, [check])
        else:
            results += _check_results(check, _oxi_rows(store, check.query))
    if rewrites.count:
        routes.append(("(data)", "note", f"the store rewrites {rewrites.count} literal(s), e.g. {rewrites.example()}; "
                                         "results name them as written"))
    return _report(results, "fast", tuple(sorted(routes)))


def _node(term) -> str:
    return str(term) if isinstance(term, pyoxigraph.BlankNode) else term.value


def _load_store(quads: Iterable[pyoxigraph.Quad]) -> tuple[pyoxigraph.Store, Rewrites]:
    """Load the data into a store and work out which literals it rewrites (:mod:`.literals`)."""
    candidates: list[tuple[str, str, pyoxigraph.Literal]] = []

    literal = pyoxigraph.Literal

    def watch(stream: Iterable[pyoxigraph.Quad]) -> Iterator[pyoxigraph.Quad]:
        for q in stream:
            o = q.object
            if type(o) is literal and may_be_rewritten(o):
                candidates.append((str(q.subject), q.predicate.value, o))
            yield q

    store = pyoxigraph.Store()
    store.bulk_extend(watch(quads))
    return store, find_rewrites(candidates)


def _report(results: Iterable[Result], engine: str, routes: tuple = ()) -> Report:
    ordered = tuple(sorted(results, key=Result.sort_key))
    return Report(conforms=not ordered, results=ordered, engine=engine, routes=routes)


# --- pySHACL ------------------------------------------------------------------------------------------


def _rdflib_graph(quads: Iterable[pyoxigraph.Quad]):
    import rdflib

    text = "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads)
    graph = rdflib.Graph()
    with raw_literals():
        graph.parse(data=text, format="nt")
    return graph


def _rdflib_checks(graph, checks: list[Check]) -> list[Result]:
    results = []
    for check in checks:
        rows = []
        with raw_literals():
            for sol in graph.query(check.query):
                d = sol.asdict()
                rows.append({k: _rdflib_text(d[k], k == "focus") for k in ("focus", "value") if d.get(k) is not None})
        results += _check_results(check, rows)
    return results


def _rdflib_text(term, bare: bool) -> str | None:
    import rdflib

    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return str(term) if bare else f"<{term}>"
    if isinstance(term, rdflib.BNode):
        return f"_:{term}"
    lang = term.language.lower() if term.language else None
    dtype = pyoxigraph.NamedNode(str(term.datatype)) if term.datatype and not lang else None
    return str(pyoxigraph.Literal(str(term), language=lang, datatype=dtype))


def _path_text(graph, node) -> str | None:
    """``sh:resultPath`` as results hold it: an IRI, or the path written as Turtle (full IRIs, ``sh:``)."""
    import rdflib

    if node is None:
        return None
    if isinstance(node, rdflib.URIRef):
        return str(node)
    items = list(rdflib.collection.Collection(graph, node)) if (node, rdflib.RDF.first, None) in graph else None
    if items is not None:
        return "( " + " ".join(_path_step(graph, i) for i in items) + " )"
    for name in ("inversePath", "alternativePath", "zeroOrMorePath", "oneOrMorePath", "zeroOrOnePath"):
        value = graph.value(node, rdflib.URIRef(SH + name))
        if value is not None:
            return f"[ sh:{name} {_path_step(graph, value)} ]"
    return f"_:{node}"


def _path_step(graph, node) -> str:
    import rdflib

    text = _path_text(graph, node)
    return f"<{text}>" if isinstance(node, rdflib.URIRef) else text


def _pyshacl_results(data_graph, shapes_graph) -> list[Result]:
    import pyshacl
    import rdflib

    sh = rdflib.Namespace(SH)
    try:
        with raw_literals():
            _, report, _ = pyshacl.validate(data_graph, shacl_graph=shapes_graph, inference="none", advanced=False,
                                            allow_warnings=True, do_owl_imports=False)
    except Exception as exc:  # noqa: BLE001 - pySHACL's errors (ReportableRuntimeError, …) become one line
        raise NigraphError(f"pySHACL could not validate: {str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__}") from None
    if not isinstance(report, rdflib.Graph):
        raise NigraphError(f"pySHACL failed: {report}")
    results = []
    for node in report.objects(None, sh.result):
        def one(p):
            return next(iter(report.objects(node, p)), None)
        messages = tuple(sorted((m.language or "", str(m)) for m in report.objects(node, sh.resultMessage)))
        constraint = one(sh.sourceConstraint)
        if constraint is not None:  # pySHACL adds the shape's messages and drops the language tags here
            messages = tuple(sorted((m.language or "", str(m)) for m in shapes_graph.objects(constraint, sh.message)))
        severity = one(sh.resultSeverity)
        sev = "Violation" if severity is None else str(severity)
        if sev in (SH + "Violation", SH + "Warning", SH + "Info"):
            sev = sev[len(SH):]
        results.append(Result(
            focus=_rdflib_text(one(sh.focusNode), True), path=_path_text(report, one(sh.resultPath)),
            component=str(one(sh.sourceConstraintComponent)), shape=_rdflib_text(one(sh.sourceShape), True),
            value=_rdflib_text(one(sh.value), False), constraint=_rdflib_text(one(sh.sourceConstraint), True),
            severity=sev, messages=messages))
    return results
