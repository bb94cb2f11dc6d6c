"""Where ``nigraph build``'s validation stage spends its time: each query, on the build's own working store.

The working store is made as :func:`nigraph.build.pipeline._build` makes it (parse, canonical
graphs, the asserted lines in one in-memory store, the inferred graph beside them), then
:func:`nigraph.validate.run.validate_loaded` runs ``--rounds`` times on it, through a store that
times every query (its rows included). It prints the wall and CPU time (of this thread: the queries
run in it) of each run and the costliest queries of the last one. The build runs the consistency
check beside validation, so its validate stage takes longer than here. With ``--compare``, a second validate package (a copy of an older
``src/nigraph/validate`` placed beside it, e.g. as ``nigraph/validate_old``, and optionally the
project holding its ``shapes/checks``) runs in alternation with the first on the same store, both
reports are compared, and the ratio of each round is printed.

    nice python benchmarks/profile_validate.py PROJECT                 # the build's project directory
    nice python benchmarks/profile_validate.py PROJECT --rounds 4 \\
        --compare nigraph.validate_old@OLD_PROJECT                      # old and new, alternated
"""

from __future__ import annotations

import argparse
import collections
import gc
import importlib
import re
import time
from pathlib import Path

import pyoxigraph

from nigraph.build import pipeline
from nigraph.core.canonical import canonical, is_asserted, merged_lines
from nigraph.core.iri import INFERRED_GRAPH
from nigraph.core.load import project_files
from nigraph.reason.materialize import materialize_lines
from nigraph.reason.tbox import read_tbox


class TimedStore:
    """A store that adds the time of each query, the iteration of its rows included, to ``log``."""

    def __init__(self, store: pyoxigraph.Store, log: dict[str, float]) -> None:
        self.store, self.log = store, log

    def query(self, text: str, **kw):  # noqa: ANN201 - what pyoxigraph returns
        start = time.perf_counter()
        answer = self.store.query(text, **kw)
        spent = time.perf_counter() - start
        if isinstance(answer, pyoxigraph.QueryBoolean):
            self.log[text] += spent
            return answer
        return self._rows(text, answer, spent)

    def _rows(self, text, answer, spent):  # noqa: ANN001, ANN202
        rows = iter(answer)
        while True:
            start = time.perf_counter()
            try:
                row = next(rows)
            except StopIteration:
                self.log[text] += spent + time.perf_counter() - start
                return
            spent += time.perf_counter() - start
            yield row

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self.store, name)


def working_store(root: Path) -> tuple[pyoxigraph.Store, list[bytes], list[pyoxigraph.Quad]]:
    """The build's working store, its asserted lines and the shapes quads (as ``_build`` and ``_validate``)."""
    graphs = canonical(pipeline._load(root, project_files(root)))
    asserted = merged_lines(graphs, is_asserted)
    work = pipeline._working_store(b"".join(asserted))
    inferred = materialize_lines(asserted, read_tbox(work))
    pipeline._into(work, b"".join(inferred), INFERRED_GRAPH)
    shapes = [pyoxigraph.Quad(t.subject, t.predicate, t.object, pyoxigraph.NamedNode(g))
              for g, lines in graphs.items() if g.startswith(pipeline._SHAPES_GRAPHS)
              for t in pyoxigraph.parse(b"".join(lines), format=pipeline._NT)]
    return work, asserted, shapes


_SHORT = [(re.compile(r"PREFIX \S+ <[^>]*> "), ""), (re.compile(r"http://www\.w3\.org/1999/02/22-rdf-syntax-ns#"), "rdf:"),
          (re.compile(r"https://w3id\.org/nigraph/def/"), "nig:"), (re.compile(r"http://www\.w3\.org/2001/XMLSchema#"), "xsd:"),
          (re.compile(r"http://www\.w3\.org/2000/01/rdf-schema#"), "rdfs:")]


def short(text: str) -> str:
    text = " ".join(text.split())
    for pattern, by in _SHORT:
        text = pattern.sub(by, text)
    return text[:180]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--compare", help="MODULE[@PROJECT]: another validate package, run in alternation")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    root = args.project.resolve()
    start = time.perf_counter()
    work, asserted, shapes = working_store(root)
    print(f"working store: {len(asserted)} asserted lines, {time.perf_counter() - start:.1f} s", flush=True)
    sides = [("nigraph.validate", root)]
    if args.compare:
        name, _, other = args.compare.partition("@")
        sides.insert(0, (name, Path(other).resolve() if other else root))
    runs: dict[str, list[float]] = {name: [] for name, _ in sides}
    cpus: dict[str, list[float]] = {name: [] for name, _ in sides}
    logs: dict[str, dict[str, float]] = {}
    reports = {}
    for r in range(args.rounds):
        for name, checks_root in sides if r % 2 == 0 else sides[::-1]:
            run = importlib.import_module(name + ".run")
            importlib.import_module(name + ".compiler")._sparql_precheck.cache_clear()
            log: dict[str, float] = collections.defaultdict(float)
            gc.collect()
            start, cpu = time.perf_counter(), time.thread_time()
            report = run.validate_loaded(TimedStore(work, log), asserted, shapes, checks=run.load_checks(checks_root))
            seconds, cpu = time.perf_counter() - start, time.thread_time() - cpu
            runs[name].append(seconds)
            cpus[name].append(cpu)
            logs[name], reports[name] = log, report
            print(f"round {r} {name}: {seconds:.2f} s, CPU {cpu:.2f} s (queries {sum(log.values()):.2f} s), "
                  f"{len(report.results)} results", flush=True)
    for name, _ in sides:
        log = logs[name]
        print(f"\n{name}: {' '.join(f'{s:.2f}' for s in runs[name])} s; {len(log)} queries, {sum(log.values()):.2f} s; "
              "the costliest of the last run:")
        for text, seconds in sorted(log.items(), key=lambda kv: -kv[1])[:args.top]:
            print(f"{seconds:7.3f}  {short(text)}")
    if len(sides) == 2:
        (a, _), (b, _) = sides
        print(f"\n{b} / {a} per round: " + " ".join(f"{y / x:.3f}" for x, y in zip(runs[a], runs[b]))
              + "; CPU: " + " ".join(f"{y / x:.3f}" for x, y in zip(cpus[a], cpus[b])))
        same = ([r.as_dict() for r in reports[a].results] == [r.as_dict() for r in reports[b].results]
                and reports[a].routes == reports[b].routes)
        print("same report:", same)


if __name__ == "__main__":
    main()
