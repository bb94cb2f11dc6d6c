"""Why queries run in worker processes: the pool's cost against threads over one in-process store.

Runs the same mix (a GROUP BY over ~70k triples and single-resource lookups) from 1 and 8
threads, (a) directly on one read-only pyoxigraph Store shared by the threads, and (b) through
:class:`nigraph.serve.pool.Pool` (2 worker processes, answer cache off). Threads cannot end a runaway query;
the pool can, and this measures what that costs.

    nice python benchmarks/pool_vs_threads.py [--seconds 8]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve_throughput import GROUP_BY, LOOKUP, ROOT, synthetic  # noqa: E402

from nigraph.core.iri import mint  # noqa: E402
from nigraph.core.load import load_files, project_files  # noqa: E402
from nigraph.serve.pool import Pool  # noqa: E402
from nigraph.core.store import build_store  # noqa: E402


def run(call, threads: int, seconds: float) -> float:
    done = [0] * threads
    stop = time.monotonic() + seconds

    def loop(i: int) -> None:
        n = 0
        while time.monotonic() < stop:
            q = GROUP_BY if n % 2 == 0 else LOOKUP.format(iri=mint("standard", f"S{(i * 7919 + n) % 10000:05d}").value)
            call(q)
            n += 1
        done[i] = n

    ts = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
    start = time.monotonic()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return sum(done) / (time.monotonic() - start)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=8.0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="nigraph-pool-") as tmp:
        build_store(load_files(project_files(ROOT), ROOT) + synthetic(10000), Path(tmp) / "store")
        store = ox.Store.read_only(str(Path(tmp) / "store"))

        def direct(q: str) -> bytes:
            r = store.query(q, use_default_graph_as_union=True)
            return r.serialize(format=ox.QueryResultsFormat.JSON)

        pool = Pool(Path(tmp) / "store", workers=2, max_workers=2, timeout_s=60, cache_bytes=0)
        try:
            print("| threads | in-process store, req/s | pool of 2 processes, req/s | ratio |")
            print("| ---: | ---: | ---: | ---: |")
            for n in (1, 8):
                a = run(direct, n, args.seconds)
                b = run(lambda q: pool.run(q).body, n, args.seconds)
                print(f"| {n} | {a:.1f} | {b:.1f} | {b / a:.2f} |", flush=True)
        finally:
            pool.close()
            del store


if __name__ == "__main__":
    main()
