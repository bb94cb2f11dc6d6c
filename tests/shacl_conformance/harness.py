"""Run SHACL test manifests (the W3C format: ``mf:Manifest``, ``sht:Validate`` entries) on nigraph's engines.

Each ``sht:Validate`` entry names a data graph and a shapes graph (``mf:action``) and the expected
report (``mf:result``: an ``sh:ValidationReport``, or ``sht:Failure`` when the shapes must be refused).
An entry passes on an engine when the engine's report has the expected ``sh:conforms`` and the same
results, compared as a multiset of (focus node, path, component, source shape, value, severity), blank
nodes counted as one anonymous node; a ``sht:Failure`` entry passes when the engine refuses with an
error. An entry may say which way the fast engine must take its shapes, with
``nigt:route "compiled"`` or ``"pyshacl"`` (``nigt:`` = ``https://w3id.org/nigraph/def/test#``).

Run on a directory (every ``*.ttl`` below it that holds a manifest with entries is read)::

    python tests/shacl_conformance/harness.py DIR [--engine fast|pyshacl|both] [-v]

The public W3C suite: ``git archive`` ``data-shapes-test-suite/tests`` out of github.com/w3c/data-shapes
and point this at it (see docs/validate.md).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
import rdflib

from nigraph.core.errors import NigraphError
from nigraph.validate.run import validate_quads

MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = rdflib.Namespace("http://www.w3.org/ns/shacl-test#")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
NIGT = rdflib.Namespace("https://w3id.org/nigraph/def/test#")
ENGINES = ("fast", "pyshacl")


@dataclass(frozen=True)
class Entry:
    """One ``sht:Validate`` entry."""

    name: str
    manifest: Path
    data: Path
    shapes: Path
    expected: Counter | None  # None: sht:Failure
    conforms: bool | None
    route: str | None


def _nt(term) -> str:
    """A report term as nigraph's results hold it (blank nodes anonymous)."""
    if term is None:
        return ""
    if isinstance(term, rdflib.BNode):
        return "_:"
    if isinstance(term, rdflib.URIRef):
        return str(term)
    lang = term.language.lower() if term.language else None
    dtype = pyoxigraph.NamedNode(str(term.datatype)) if term.datatype and not lang else None
    return str(pyoxigraph.Literal(str(term), language=lang, datatype=dtype))


def _value(term) -> str:
    return f"<{term}>" if isinstance(term, rdflib.URIRef) else _nt(term)


def _path(graph: rdflib.Graph, node) -> str:
    if node is None:
        return ""
    if isinstance(node, rdflib.URIRef):
        return str(node)
    if (node, rdflib.RDF.first, None) in graph:
        return "( " + " ".join(_step(graph, i) for i in rdflib.collection.Collection(graph, node)) + " )"
    for name in ("inversePath", "alternativePath", "zeroOrMorePath", "oneOrMorePath", "zeroOrOnePath"):
        value = graph.value(node, SH[name])
        if value is not None:
            return f"[ sh:{name} {_step(graph, value)} ]"
    return "_:"


def _step(graph: rdflib.Graph, node) -> str:
    return f"<{node}>" if isinstance(node, rdflib.URIRef) else _path(graph, node)


def _local(iri, base: Path) -> Path:
    text = str(iri)
    return Path(text[len("file://"):]) if text.startswith("file://") else base / text


def read_entries(directory: Path) -> list[Entry]:
    """Every ``sht:Validate`` entry of every manifest below ``directory``, sorted by file and name."""
    entries = []
    for path in sorted(directory.rglob("*.ttl")):
        g = rdflib.Graph()
        with _quiet():
            g.parse(path, format="turtle", publicID=path.resolve().as_uri())
        for manifest in g.subjects(rdflib.RDF.type, MF.Manifest):
            head = g.value(manifest, MF.entries)
            if head is None:
                continue
            for entry in rdflib.collection.Collection(g, head):
                if (entry, rdflib.RDF.type, SHT.Validate) not in g:
                    continue
                action = g.value(entry, MF.action)
                result = g.value(entry, MF.result)
                route = g.value(entry, NIGT.route)
                if result == SHT.Failure:
                    expected, conforms = None, None
                else:
                    expected = Counter(
                        (_nt(g.value(r, SH.focusNode)), _path(g, g.value(r, SH.resultPath)),
                         _nt(g.value(r, SH.sourceConstraintComponent)), _nt(g.value(r, SH.sourceShape)),
                         _value(g.value(r, SH.value)), _nt(g.value(r, SH.resultSeverity)))
                        for r in g.objects(result, SH.result))
                    conforms = g.value(result, SH.conforms).toPython()
                entries.append(Entry(str(entry).rsplit("/", 1)[-1], path,
                                     _local(g.value(action, SHT.dataGraph), path.parent),
                                     _local(g.value(action, SHT.shapesGraph), path.parent),
                                     expected, conforms, None if route is None else str(route)))
    return entries


class _quiet:
    """Literals as written (no normalising), and no log line for each ill-typed literal a test has on purpose."""

    def __enter__(self):
        import logging
        import warnings
        self.logger = logging.getLogger("rdflib.term")
        self.level = self.logger.level
        self.logger.setLevel(logging.CRITICAL)
        self.normalize = rdflib.NORMALIZE_LITERALS
        rdflib.NORMALIZE_LITERALS = False
        self.warnings = warnings.catch_warnings()
        self.warnings.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc):
        self.warnings.__exit__(*exc)
        rdflib.NORMALIZE_LITERALS = self.normalize
        self.logger.setLevel(self.level)


def _quads(path: Path) -> list[pyoxigraph.Quad]:
    return list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE,
                                 base_iri=path.resolve().as_uri()))


def _got(report) -> Counter:
    sh = str(SH)

    def anon(text):
        return "_:" if text and text.startswith("_:") else (text or "")

    return Counter((anon(r.focus), anon(r.path), r.component, anon(r.shape), anon(r.value),
                    sh + r.severity if r.severity in ("Violation", "Warning", "Info") else r.severity)
                   for r in report.results)


@dataclass(frozen=True)
class Outcome:
    entry: Entry
    engine: str
    passed: bool
    detail: str


def run_entry(entry: Entry, engine: str) -> Outcome:
    """Run one entry on one engine and compare with the expected report."""
    try:
        with _quiet():
            report = validate_quads(_quads(entry.data), _quads(entry.shapes), engine=engine)
    except NigraphError as exc:
        return Outcome(entry, engine, entry.expected is None, f"refused: {exc}")
    except Exception as exc:  # noqa: BLE001 - an engine crash is a failed entry, reported as such
        return Outcome(entry, engine, False, f"crashed: {type(exc).__name__}: {str(exc)[:200]}")
    if entry.expected is None:
        return Outcome(entry, engine, False, "expected a failure, got a report")
    got = _got(report)
    routes = {how for _, how, _ in report.routes if how != "note"}
    if engine == "fast" and entry.route is not None and routes and routes != {entry.route}:
        return Outcome(entry, engine, False, f"expected every shape {entry.route}, got {sorted(report.routes)}")
    if got == entry.expected and report.conforms == entry.conforms:
        return Outcome(entry, engine, True, "")
    missing, extra = entry.expected - got, got - entry.expected
    return Outcome(entry, engine, False, f"conforms {report.conforms} (expected {entry.conforms}); "
                                         f"missing {sorted(missing)}; unexpected {sorted(extra)}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("directory", type=Path)
    ap.add_argument("--engine", choices=ENGINES + ("both",), default="both")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every failed entry and why")
    a = ap.parse_args(argv)
    entries = read_entries(a.directory)
    engines = ENGINES if a.engine == "both" else (a.engine,)
    passed: dict[str, set[str]] = {e: set() for e in engines}
    for entry in entries:
        for engine in engines:
            out = run_entry(entry, engine)
            key = f"{entry.manifest.relative_to(a.directory)}#{entry.name}"
            if out.passed:
                passed[engine].add(key)
            elif a.verbose:
                print(f"FAIL [{engine}] {key}: {out.detail}")
    for engine in engines:
        print(f"{engine}: {len(passed[engine])}/{len(entries)} entries agree with the expected report")
    if len(engines) == 2:
        worse = sorted(passed["pyshacl"] - passed["fast"])
        print(f"fast fails where pySHACL passes: {len(worse)}" + "".join(f"\n  {k}" for k in worse))
        return 1 if worse else 0
    return 0 if len(passed[engines[0]]) == len(entries) else 1


if __name__ == "__main__":
    sys.exit(main())
