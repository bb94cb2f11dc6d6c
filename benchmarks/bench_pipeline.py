"""The whole pipeline at scale: import → validate → load → every canned query → report.

For each size (default: about 100k and 1M triples) it writes a synthetic catalogue with
:mod:`catalogue` (CSV, seeded, with a few broken rows), then runs each stage in its own child
process and prints the wall time and the child's peak resident memory (``wait4`` rusage), and the
ratio of each stage to the smallest size (the baseline, measured in the same run).

Stages: ``import`` (``nigraph import``), ``validate`` (only if ``nigraph.validate.run`` exists; else
skipped and said so), ``load`` (project files + the imported catalogue bulk-loaded into an
on-disk pyoxigraph store), ``queries`` (every ``queries/*.rq`` with its default parameters, on
the store opened read-only), ``report`` (``nigraph report``).

The run is niced and bounded: every child gets ``--timeout`` seconds and an address-space limit
of ``--mem-gib`` GiB. Data goes to a temporary directory that is removed afterwards.

    python benchmarks/bench_pipeline.py                  # 100k and 1M triples
    python benchmarks/bench_pipeline.py --triples 20000  # a quick check
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import catalogue  # noqa: E402  (benchmarks/catalogue.py)

LOAD = """
import sys
from pathlib import Path
import pyoxigraph
from nigraph.core.iri import graph_for
from nigraph.core.load import project_files
root, cat, store_dir = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
store = pyoxigraph.Store(store_dir)
for f in project_files(root):
    store.bulk_load(path=str(f), format=pyoxigraph.RdfFormat.TURTLE, to_graph=graph_for(f.relative_to(root)))
store.bulk_load(path=str(cat), format=pyoxigraph.RdfFormat.TURTLE,
                to_graph=pyoxigraph.NamedNode("https://w3id.org/nigraph/graph/catalogue"))
store.flush()
store.optimize()
print(len(store))
"""

QUERIES = """
import sys, time
from nigraph.query.run import load_queries, run_query, term_for
from nigraph.core.store import open_store
store = open_store(sys.argv[2])
for q in load_queries(sys.argv[1]):
    bindings = {n: term_for(p, p.default) for n, p in q.params.items() if getattr(p, "default", None)}
    t = time.perf_counter()
    rows = len(run_query(q.text, store=store, bindings=bindings or None).rows)
    print(f"  query {q.id:42s} {time.perf_counter() - t:8.3f} s {rows:7d} rows")
"""

VALIDATE = """
import sys
from nigraph.validate.run import validate_store
report = validate_store(sys.argv[1])
print("conforms" if report.conforms else f"{len(report.results)} results")
"""


def _limits(mem_gib: float):  # type: ignore[no-untyped-def]
    def apply() -> None:
        os.nice(5)
        limit = int(mem_gib * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return apply


def stage(name: str, argv: list[str], *, timeout: float, mem_gib: float) -> tuple[float, float, float, str]:
    """Run one child; return (wall seconds, CPU seconds, peak RSS in MiB, from ``wait4``, and its stdout)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, text=True, preexec_fn=_limits(mem_gib), cwd=ROOT)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > timeout:
                proc.kill()
                os.wait4(proc.pid, 0)
                raise SystemExit(f"{name}: timed out after {timeout:g} s")
            time.sleep(0.05)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, error = out.read(), err.read()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{name}: exit {proc.returncode}: {error.strip()[-400:]}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text  # ru_maxrss: KiB on Linux


def _run_size(triples: int, work: Path, args: argparse.Namespace) -> dict[str, tuple[float, float, float]]:
    py = sys.executable
    nigraph = [py, "-c", "from nigraph.cli import main; main()"]
    rows = max(1, triples * 10 // 145)
    cat_csv, cat_ttl, store_dir, report = work / "cat.csv", work / "cat.ttl", work / "store", work / "report"
    t = time.perf_counter()
    catalogue.write_csv(cat_csv, n_rows=rows, seed=2023, violations=max(4, rows // 1000))
    print(f"\n== ~{triples:,} triples: {rows:,} catalogue rows ({cat_csv.stat().st_size / 2**20:.1f} MiB CSV, "
          f"generated in {time.perf_counter() - t:.1f} s)", flush=True)
    results: dict[str, tuple[float, float, float]] = {}

    def run(name: str, argv: list[str]) -> str:
        secs, cpu, peak, out = stage(name, argv, timeout=args.timeout, mem_gib=args.mem_gib)
        results[name] = (secs, cpu, peak)
        print(f"{name:10s} {secs:9.2f} s wall {cpu:9.2f} s CPU {peak:8.0f} MiB peak", flush=True)
        return out

    run("import", nigraph + ["import", "--root", str(ROOT), str(cat_csv), "--out", str(cat_ttl), "-q"])
    if importlib.util.find_spec("nigraph.validate.run") is not None:
        run("validate", [py, "-c", VALIDATE, str(store_dir)])
    else:
        print("validate   skipped: nigraph.validate.run is not on this branch yet")
    out = run("load", [py, "-c", LOAD, str(ROOT), str(cat_ttl), str(store_dir)])
    print(f"           {int(out.strip()):,} quads in the store")
    if (ROOT / "queries").is_dir():
        print(run("queries", [py, "-c", QUERIES, str(ROOT), str(store_dir)]).rstrip(), flush=True)
    else:
        print("queries    skipped: no queries/ on this branch")
    run("report", nigraph + ["report", "--root", str(ROOT), "--store", str(store_dir), "--out", str(report), "-q"])
    return results


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, nargs="+", default=[100_000, 1_000_000], help="catalogue sizes, in triples")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds allowed per stage")
    ap.add_argument("--mem-gib", type=float, default=12, help="address-space limit per stage (GiB)")
    args = ap.parse_args(argv)
    os.nice(10)
    all_results = {}
    for n in sorted(args.triples):
        work = Path(tempfile.mkdtemp(prefix=f"nigraph-bench-{n}-"))
        try:
            all_results[n] = _run_size(n, work, args)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    base = min(all_results)
    sizes = sorted(all_results)
    print(f"\nper stage: wall s / CPU s / peak MiB; ratio = CPU time against the {base:,}-triple baseline "
          f"(load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print("stage     " + "".join(f"{n:>28,}" for n in sizes) + "   CPU ratio")
    for name in all_results[base]:
        cells = "".join(f"{all_results[n][name][0]:>10.1f} {all_results[n][name][1]:>8.1f} {all_results[n][name][2]:>8.0f}"
                        for n in sizes)
        ratios = " ".join(f"x{all_results[n][name][1] / max(all_results[base][name][1], 1e-9):.1f}" for n in sizes if n != base)
        print(f"{name:10s}{cells}   {ratios}", flush=True)


if __name__ == "__main__":
    main()
