"""The whole pipeline at scale: import → build --catalogue → every canned query → report.

For each size (default: about 100k and 1M triples) it writes a synthetic catalogue with
:mod:`catalogue` (CSV, seeded, with a few broken rows), then runs each stage in its own child
process and prints the wall time and the child's peak resident memory (``wait4`` rusage), and the
ratio of each stage to the smallest size (the baseline, measured in the same run).

Stages: ``import`` (``nigraph import``), ``build`` (``nigraph build --catalogue`` with the imported
Turtle: load, consistency, validation, materialisation, the coverage cube, dumps and the store),
``cube`` (the cube stage alone, :func:`nigraph.build.cube.cube_stage`, on the same data in memory:
the child prints the stage's own seconds, to compare with ``build``), ``queries`` (every
``queries/*.rq`` with its default parameters, on the store opened read-only), ``report``
(``nigraph report``).

The run is niced and bounded: every child gets ``--timeout`` seconds and an address-space limit
of ``--mem-gib`` GiB. Data goes to a temporary directory that is removed afterwards.

    python benchmarks/bench_pipeline.py                  # 100k and 1M triples
    python benchmarks/bench_pipeline.py --triples 20000  # a quick check
"""

from __future__ import annotations

import argparse
import os
import re
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

STAGE = re.compile(r"nigraph\.build: (\w+)\s+(.*?)\s+([0-9.]+) s$")

CUBE = """
import sys, time
from pathlib import Path
import pyoxigraph
from nigraph.build.cube import cube_stage
from nigraph.core.iri import graph_for
from nigraph.core.load import load_files, project_files
root, cat = Path(sys.argv[1]), Path(sys.argv[2])
quads = [q for q in load_files(project_files(root), root) if "/graph/shapes/" not in q.graph_name.value]
store = pyoxigraph.Store()
store.bulk_extend(quads)
store.load(path=str(cat), format=pyoxigraph.RdfFormat.TURTLE, to_graph=graph_for("catalogue/cat.ttl"))
t = time.perf_counter()
cube = cube_stage(store, root)
print(f"{time.perf_counter() - t:.2f} {len(cube)}")
"""

QUERIES = """
import sys, time
from nigraph.query.run import load_queries, run_query
from nigraph.core.store import open_store
store = open_store(sys.argv[2])
for q in load_queries(sys.argv[1]):
    t = time.perf_counter()  # each parameter's default is written in the query's VALUES line
    rows = len(run_query(q.text, store=store).rows)
    print(f"  query {q.id:42s} {time.perf_counter() - t:8.3f} s {rows:7d} rows")
"""

def _limits(mem_gib: float):  # type: ignore[no-untyped-def]
    def apply() -> None:
        os.nice(5)
        limit = int(mem_gib * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return apply


def stage(name: str, argv: list[str], *, timeout: float, mem_gib: float) -> tuple[float, float, float, str, str]:
    """Run one child; return (wall seconds, CPU seconds, peak RSS in MiB, from ``wait4``, its stdout and stderr)."""
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
    if proc.returncode not in (0, 1) or proc.returncode == 1 and name != "import":  # import exits 1 on rejected rows
        raise SystemExit(f"{name}: exit {proc.returncode}: {error.strip()[-400:]}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text, error  # ru_maxrss: KiB on Linux


def _run_size(triples: int, work: Path, args: argparse.Namespace) -> dict[str, tuple[float, float, float]]:
    py = sys.executable
    nigraph = [py, "-c", "from nigraph.cli import main; main()"]
    rows = max(1, triples * 10 // 145)
    cat_csv, cat_ttl, dist, report = work / "cat.csv", work / "cat.ttl", work / "dist", work / "report"
    store_dir = dist / "store"
    t = time.perf_counter()
    catalogue.write_csv(cat_csv, n_rows=rows, seed=2023, violations=max(4, rows // 1000))
    print(f"\n== ~{triples:,} triples: {rows:,} catalogue rows ({cat_csv.stat().st_size / 2**20:.1f} MiB CSV, "
          f"generated in {time.perf_counter() - t:.1f} s)", flush=True)
    results: dict[str, tuple[float, float, float]] = {}

    logs: dict[str, str] = {}

    def run(name: str, argv: list[str]) -> str:
        secs, cpu, peak, out, logs[name] = stage(name, argv, timeout=args.timeout, mem_gib=args.mem_gib)
        results[name] = (secs, cpu, peak)
        print(f"{name:10s} {secs:9.2f} s wall {cpu:9.2f} s CPU {peak:8.0f} MiB peak", flush=True)
        return out

    run("import", nigraph + ["import", "--root", str(ROOT), str(cat_csv), "--out", str(cat_ttl), "-q"])
    run("build", nigraph + ["build", "-v", "--root", str(ROOT), "--out", str(dist), "--catalogue", str(cat_ttl)])
    # the build's own log: each stage's seconds, the cube's among them (same run, same process)
    stages = {m.group(1): float(m.group(3)) for line in logs["build"].splitlines() if (m := STAGE.search(line))}
    for name, secs in stages.items():
        print(f"  {name:22s} {secs:8.2f} s", flush=True)
    if "cube" in stages:
        without = results["build"][0] - stages["cube"]
        results["build, no cube"] = (without, 0.0, 0.0)
        print(f"  build without the cube stage {without:.2f} s; with it x{results['build'][0] / without:.3f} "
              f"(+{100 * stages['cube'] / without:.1f} %)", flush=True)
    seconds, triples = run("cube", [py, "-c", CUBE, str(ROOT), str(cat_ttl)]).split()
    cube_share = float(seconds) / results["build"][0]
    results["cube stage"] = (float(seconds), float(seconds), 0.0)
    print(f"           the cube stage itself: {float(seconds):.2f} s for {int(triples):,} triples, "
          f"{100 * cube_share:.1f} % of the build's wall time", flush=True)
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
