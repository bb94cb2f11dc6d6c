"""Validate a synthetic catalogue with the project's shapes: the fast path against pySHACL.

Each (engine, size) runs in its own subprocess, so its peak RSS is its own; parsing is included
(the catalogue file is read by the engine, with the ontology and the project's data). The result
sets are compared wherever both engines finished. pySHACL parses every SPARQL-based constraint
again for every focus node, so at catalogue scale it is bounded by ``--timeout``; a run that hits
it is reported as a lower bound.

Run (nice, bounded)::

    nice .venv/bin/python benchmarks/bench_validate.py                 # 2k, 5k: both; 1M: fast + pySHACL capped
    nice .venv/bin/python benchmarks/bench_validate.py --sizes 20000 --timeout 60
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import catalogue  # noqa: E402


def child(engine: str, path: str, out: str) -> None:
    """Run one validation and write time, peak RSS and the result keys to ``out`` (JSON)."""
    from nigraph.validate.run import validate

    start = time.perf_counter()
    report = validate(ROOT, [path], engine=engine)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    keys = [list(k) for k in report.key_list()]  # every result, duplicates kept
    handed = sorted(shape for shape, route, _ in report.routes if route == "pyshacl")
    Path(out).write_text(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "results": keys, "handed": handed}),
                         encoding="utf-8")


def run(engine: str, path: Path, timeout: float, work: Path) -> dict | None:
    out = work / f"{engine}-{path.stem}.json"
    cmd = [sys.executable, __file__, "--child", engine, str(path), str(out)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, start_new_session=True)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.wait()
        return {"timeout": time.perf_counter() - start}
    if proc.returncode != 0:
        raise SystemExit(f"{engine} on {path.name} failed with exit status {proc.returncode}")
    return json.loads(out.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--child", nargs=3, metavar=("ENGINE", "FILE", "OUT"), help=argparse.SUPPRESS)
    ap.add_argument("--sizes", type=int, nargs="+", default=[2000, 5000, 1_000_000],
                    help="catalogue sizes in triples (default: 2000 5000 1000000)")
    ap.add_argument("--violations-per-100k", type=int, default=20, help="seeded broken records per 100k triples (min 4)")
    ap.add_argument("--timeout", type=float, default=600, help="seconds before a pySHACL run is stopped (default 600)")
    ap.add_argument("--work", type=Path, default=None, help="where to write catalogues (default: a temporary directory)")
    a = ap.parse_args(argv)
    if a.child:
        child(*a.child)
        return
    work = a.work or Path(tempfile.mkdtemp(prefix="nigraph-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in a.sizes:
        violations = max(4, size * a.violations_per_100k // 100_000)
        path = work / f"catalogue-{size}.nt"
        triples = catalogue.write_ntriples(path, n_triples=size, violations=violations)
        fast = run("fast", path, 24 * 3600, work)
        ref = run("pyshacl", path, a.timeout, work)
        rows.append((triples, violations, fast, ref))
        print(f"{triples} triples done", file=sys.stderr, flush=True)
    print("| triples | seeded | fast: time | fast: peak RSS | fast: shapes to pySHACL | pySHACL: time | pySHACL: peak RSS "
          "| speed-up | results (fast / pySHACL) | identical |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |")
    for triples, violations, fast, ref in rows:
        if "timeout" in ref:
            ref_time, ref_mem = f"> {ref['timeout']:.0f} s (stopped)", "-"
            ratio = f"> {ref['timeout'] / fast['seconds']:.0f}x"
            results, same = f"{len(fast['results'])} / -", "-"
        else:
            ref_time, ref_mem = f"{ref['seconds']:.1f} s", f"{ref['peak_mb']:.0f} MB"
            ratio = f"{ref['seconds'] / fast['seconds']:.0f}x"
            results = f"{len(fast['results'])} / {len(ref['results'])}"
            same = "yes" if fast["results"] == ref["results"] else "NO"
        handed = len(fast.get("handed", []))
        print(f"| {triples:,} | {violations} | {fast['seconds']:.1f} s | {fast['peak_mb']:.0f} MB | {handed} | {ref_time} | "
              f"{ref_mem} | {ratio} | {results} | {same} |")


if __name__ == "__main__":
    main()
