"""Validate data against ``shapes/*.ttl`` (SHACL) and ``shapes/checks/*-violation.rq`` → :class:`Report`.

The data graph is the ontology and its imports, the project's ``data/`` (unless left out), and the
user's files, merged: the ontology makes ``rdfs:subClassOf`` visible to ``sh:targetClass`` and
``sh:class``, and the project's data lets a user's catalogue point to the plan's industries and
vocabularies. Two engines give the same results:

* ``fast`` (default): shapes compiled to SPARQL (:mod:`nigraph.validate.compiler`) on a pyoxigraph store;
  a shape that uses a feature the compiler does not know is checked by pySHACL;
* ``pyshacl``: the reference engine, on an rdflib graph.

A check in ``shapes/checks/`` is a SELECT that returns the bad rows (``?focus``, optionally ``?value``);
its first comment line states the rule in English, a ``# zh:`` line in Chinese.

>>> import nigraph.validate.run as v
>>> v.ENGINES
('fast', 'pyshacl')
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph

from ..core.errors import InputError, NigraphError
from ..core.iri import GRAPH, PREFIXES, SHAPES
from ..core.load import FORMATS, check_file, load_files, parse_error, project_files
from .results import SH, Report, Result
from .compiler import compile_shapes, run_compiled

__all__ = ["ENGINES", "Check", "validate", "validate_quads", "validate_loaded", "load_checks", "FORMAT_NAMES"]

ENGINES = ("fast", "pyshacl")
#: ``--format`` names → pyoxigraph formats.
FORMAT_NAMES: dict[str, pyoxigraph.RdfFormat] = {
    "ttl": pyoxigraph.RdfFormat.TURTLE,
    "nt": pyoxigraph.RdfFormat.N_TRIPLES,
    "jsonld": pyoxigraph.RdfFormat.JSON_LD,
}
_RDFLIB_FORMATS = {
    pyoxigraph.RdfFormat.TURTLE: "turtle", pyoxigraph.RdfFormat.N_TRIPLES: "nt",
    pyoxigraph.RdfFormat.N_QUADS: "nquads", pyoxigraph.RdfFormat.TRIG: "trig",
    pyoxigraph.RdfFormat.JSON_LD: "json-ld", pyoxigraph.RdfFormat.RDF_XML: "xml",
}
_SHAPES_GRAPHS = GRAPH + "shapes/"
_QUAD_FORMATS = (pyoxigraph.RdfFormat.N_QUADS, pyoxigraph.RdfFormat.TRIG)
_CHECK_IRI = SHAPES + "checks/"


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
    :raises InputError: if a check does not parse as SPARQL or has no rule comment.
    """
    checks = []
    for path in sorted((Path(root) / "shapes" / "checks").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        comments = [ln[1:].strip() for ln in text.splitlines() if ln.startswith("#")]
        en = next((c for c in comments if c and not c.startswith(("zh:", "shapes/"))), None)
        zh = next((c[3:].strip() for c in comments if c.startswith("zh:")), None)
        if en is None:
            raise InputError(path.relative_to(root), 1, None, "a check must start with a comment stating its rule")
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
    :raises InputError: if a file is missing, a directory, empty, of an unknown format, or does not parse.
    """
    root = Path(root).resolve()
    if engine not in ENGINES:
        raise NigraphError(f"unknown engine {engine!r} (known: {', '.join(ENGINES)})")
    user = [(Path(f), _user_format(Path(f), fmt)) for f in files]
    context = load_files(_context_files(root, with_data=with_data), root)
    shapes = load_files(_shape_files(root), root)
    found = load_checks(root) if checks else []
    if engine == "pyshacl":
        return _validate_pyshacl(context, user, shapes, found)
    return _validate_fast(context, user, shapes, found)


def validate_quads(data: Iterable[pyoxigraph.Quad], shapes: Iterable[pyoxigraph.Quad], *,
                   engine: str = "fast", checks: Sequence[Check] = ()) -> Report:
    """Validate quads already in memory (all graphs merged) against shape quads.

    :param data: the data graph's quads (with the ontology).
    :param shapes: the shapes graph's quads.
    :param engine: ``"fast"`` or ``"pyshacl"``.
    :param checks: checks to run as well.
    :returns: the report.
    """
    if engine == "pyshacl":
        return _validate_pyshacl(list(data), [], list(shapes), list(checks))
    return _validate_fast(list(data), [], list(shapes), list(checks))


def _default(quads: Iterable[pyoxigraph.Quad]) -> Iterable[pyoxigraph.Quad]:
    return (pyoxigraph.Quad(q.subject, q.predicate, q.object) for q in quads)


def _report(results: Iterable[Result], engine: str) -> Report:
    ordered = tuple(sorted(set(results), key=Result.sort_key))
    return Report(conforms=not any(r.severity == "Violation" for r in ordered), results=ordered, engine=engine)


def _validate_fast(context: list[pyoxigraph.Quad], user: list[tuple[Path, pyoxigraph.RdfFormat]],
                   shapes: list[pyoxigraph.Quad], checks: list[Check]) -> Report:
    data = pyoxigraph.Store()
    data.extend(_default(context))
    for path, fmt in user:
        try:
            if fmt in _QUAD_FORMATS:  # named graphs are merged into the data graph too
                data.extend(_default(pyoxigraph.parse(path=str(path), format=fmt)))
            else:
                data.bulk_load(path=str(path), format=fmt, to_graph=pyoxigraph.DefaultGraph())
        except (SyntaxError, ValueError, OSError) as exc:
            raise parse_error(path, exc) from None
    shapes_store = pyoxigraph.Store()
    shapes_store.extend(_default(shapes))
    return validate_loaded(data, shapes_store, checks)


def validate_loaded(data: pyoxigraph.Store, shapes_store: pyoxigraph.Store, checks: Sequence[Check] = ()) -> Report:
    """Validate with the fast engine, the data and shapes already in stores (default graphs).

    :param data: the data graph (with the ontology), in the default graph; not changed.
    :param shapes_store: the shapes, in the default graph.
    :param checks: checks to run as well.
    :returns: the report.
    """
    compiled, unsupported = compile_shapes(shapes_store)
    results = run_compiled(compiled, data)
    if unsupported:
        results += _pyshacl_results(_rdflib_from_store(data), _shapes_subset(shapes_store, unsupported))
    for check in checks:
        results += _check_results(check, _oxi_rows(data, check.query))
    return _report(results, "fast")


# --- pySHACL ------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _raw_literals():
    """Keep lexical forms as written while rdflib parses (as pyoxigraph does), so values compare equal."""
    import logging

    import rdflib

    saved = rdflib.NORMALIZE_LITERALS
    logger = logging.getLogger("rdflib.term")  # it logs every ill-typed literal; the report names them
    level = logger.level
    rdflib.NORMALIZE_LITERALS = False
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = saved
        logger.setLevel(level)


def _rdflib_graph(quads: Iterable[pyoxigraph.Quad]):
    import rdflib

    text = "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in quads)
    graph = rdflib.Graph()
    with _raw_literals():
        graph.parse(data=text, format="nt")
    return graph


def _rdflib_from_store(store: pyoxigraph.Store):
    return _rdflib_graph(store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()))


def _shapes_subset(shapes: pyoxigraph.Store, nodes: list[str]):
    """The triples reachable from the given node shapes (their property shapes, lists, constraints)."""
    seen: set[str] = set()
    todo = [pyoxigraph.BlankNode(n[2:]) if n.startswith("_:") else pyoxigraph.NamedNode(n) for n in nodes]
    quads = []
    while todo:
        node = todo.pop()
        if str(node) in seen:
            continue
        seen.add(str(node))
        for q in shapes.quads_for_pattern(node, None, None):
            quads.append(q)
            if isinstance(q.object, (pyoxigraph.BlankNode,)) or (
                    isinstance(q.object, pyoxigraph.NamedNode) and q.object.value.startswith(SHAPES)):
                todo.append(q.object)
    return _rdflib_graph(quads)


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
    return str(_stored(pyoxigraph.Literal(str(term), language=lang, datatype=dtype)))


def _stored(literal: pyoxigraph.Literal) -> pyoxigraph.Literal:
    """The literal as a pyoxigraph store gives it back (numbers in canonical form, e.g. 120.0 → 120)."""
    store = pyoxigraph.Store()
    node = pyoxigraph.NamedNode("urn:x")
    store.add(pyoxigraph.Quad(node, node, literal))
    return next(iter(store)).object


def _pyshacl_results(data_graph, shapes_graph) -> list[Result]:
    import pyshacl
    import rdflib

    sh = rdflib.Namespace(SH)
    conforms, report, _ = pyshacl.validate(data_graph, shacl_graph=shapes_graph, inference="none",
                                           advanced=False, allow_warnings=True)
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
        results.append(Result(
            focus=_rdflib_text(one(sh.focusNode), True), path=_rdflib_text(one(sh.resultPath), True),
            component=str(one(sh.sourceConstraintComponent)), shape=_rdflib_text(one(sh.sourceShape), True),
            value=_rdflib_text(one(sh.value), False), constraint=_rdflib_text(one(sh.sourceConstraint), True),
            severity=str(severity)[len(SH):] if severity is not None else "Violation", messages=messages))
    return results


def _validate_pyshacl(context: list[pyoxigraph.Quad], user: list[tuple[Path, pyoxigraph.RdfFormat]],
                      shapes: list[pyoxigraph.Quad], checks: list[Check]) -> Report:
    import rdflib

    graph = _rdflib_graph(context)
    for path, fmt in user:
        try:  # pyoxigraph first, for the same error positions as the fast engine; nothing is kept
            for _ in pyoxigraph.parse(path=str(path), format=fmt):
                pass
        except (SyntaxError, ValueError, OSError) as exc:
            raise parse_error(path, exc) from None
        with _raw_literals():
            if fmt in _QUAD_FORMATS:
                dataset = rdflib.Dataset()
                with warnings.catch_warnings():  # rdflib's own parser uses a deprecated attribute
                    warnings.simplefilter("ignore", DeprecationWarning)
                    dataset.parse(str(path), format=_RDFLIB_FORMATS[fmt])
                for s, p, o, _ in dataset.quads((None, None, None, None)):
                    graph.add((s, p, o))
            else:
                graph.parse(str(path), format=_RDFLIB_FORMATS[fmt])
    results = _pyshacl_results(graph, _rdflib_graph(shapes))
    for check in checks:
        rows = []
        for sol in graph.query(check.query):
            d = sol.asdict()
            rows.append({k: _rdflib_text(d[k], k == "focus") for k in ("focus", "value") if d.get(k) is not None})
        results += _check_results(check, rows)
    return _report(results, "pyshacl")
