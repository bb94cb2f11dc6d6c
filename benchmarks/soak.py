"""Soak: drive ``nigraph serve`` with many clients and a mix of requests; report rates, latencies, memory.

The mix: canned-style queries on /sparql (a GROUP BY, a lookup, an ASK), resource pages (HTML),
dereferenced IRIs (303 then Turtle), the home page and a dump. It prints requests/s, p50/p99 per
kind, errors, the slowest request, and the server's memory (its process and its query workers,
RSS from /proc) before and after. Goal: 0 errors, nothing slower than the query timeout, memory flat.

    nice python benchmarks/soak.py [--clients 64] [--seconds 60] [--budget 2000]

Without ``--url`` it needs a built store (``nigraph build``,
``nigraph export``) and starts its own server on a free port; with ``--url`` it drives a running one.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import Stats, percentile, run_load, stop_group  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
IRIS = [f"id/industry/E0{i}" for i in range(1, 9)] + [f"id/industry/F0{i}" for i in range(1, 10)] + \
       [f"id/task/{i}" for i in range(1, 6)] + ["id/goal/2025", "id/target/2025-3", "def/EmergingIndustry"]
QUERIES = [
    "PREFIX nig: <https://w3id.org/nigraph/def/> SELECT ?type (COUNT(?x) AS ?n) WHERE { ?x a ?type } GROUP BY ?type ORDER BY DESC(?n) ?type",
    "SELECT ?p ?o WHERE { <https://w3id.org/nigraph/id/industry/E03> ?p ?o } ORDER BY ?p ?o",
    "PREFIX nig: <https://w3id.org/nigraph/def/> ASK { ?t a nig:QuantitativeTarget }",
]
KINDS = ("query", "page", "deref", "home", "dump")


def pick(client: int, n: int) -> tuple[str, str, dict[str, str]]:
    """The n-th request of a client: kinds in turn, each spread over its targets."""
    kind = KINDS[(client + n) % len(KINDS)]
    k = client * 31 + n
    if kind == "query":
        q = QUERIES[k % len(QUERIES)]
        return kind, "/sparql?" + urllib.parse.urlencode({"query": q}), {"Accept": "application/sparql-results+json"}
    if kind == "page":
        return kind, "/" + IRIS[k % len(IRIS)] + ".html", {"Accept": "text/html"}
    if kind == "deref":
        return kind, "/" + IRIS[k % len(IRIS)], {"Accept": "text/turtle"}
    if kind == "home":
        return kind, "/", {"Accept": "text/html"}
    return kind, "/dumps/nigraph.ttl", {}


def ok(status: int) -> bool:
    return status in (200, 303)


def memory_kib(pid: int) -> int:
    """RSS of a process and all its descendants (the forkserver and the query workers), in KiB, from /proc."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return total


def report(stats: Stats, before: int | None, after: int | None, timeout: float) -> list[str]:
    """Lines for people: totals, per kind, memory."""
    lat = stats.all_latencies
    lines = [f"requests {stats.requests} in {stats.seconds:.1f} s: {stats.rate():.1f} req/s, "
             f"errors {sum(stats.errors.values())}, slowest {max(lat, default=0):.3f} s (timeout {timeout:g} s)",
             "| kind | requests | p50 ms | p99 ms | errors |", "| --- | ---: | ---: | ---: | ---: |"]
    for kind in KINDS:
        v = stats.latencies.get(kind, [])
        lines.append(f"| {kind} | {len(v)} | {percentile(v, 50) * 1000:.1f} | {percentile(v, 99) * 1000:.1f} | "
                     f"{stats.errors.get(kind, 0)} |")
    if before is not None and after is not None:
        lines.append(f"server memory (RSS incl. workers): before {before / 1024:.1f} MiB, after {after / 1024:.1f} MiB")
    lines += [f"error: {e}" for e in stats.error_samples]
    return lines


def soak(url: str, *, clients: int, seconds: float, budget: int, pid: int | None, timeout: float) -> tuple[Stats, list[str]]:
    """Run the soak against ``url``; return the statistics and the report lines."""
    before = memory_kib(pid) if pid else None
    stats = run_load(url, pick, clients=clients, seconds=seconds, budget=budget, timeout=timeout + 30, ok=ok)
    after = memory_kib(pid) if pid else None
    return stats, report(stats, before, after, timeout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=64)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--budget", type=int, default=2000, help="requests per client at most")
    ap.add_argument("--url", default=None, help="drive a running server instead of starting one")
    ap.add_argument("--timeout", type=float, default=30.0, help="the server's query timeout")
    args = ap.parse_args()
    proc = None
    url = args.url
    if url is None:
        log = ROOT / "dist" / "soak-serve.log"
        exe = Path(sys.executable).parent / "nigraph"
        with open(log, "wb") as fh:
            proc = subprocess.Popen([str(exe), "serve", "--root", str(ROOT), "--port", "0", "--timeout", str(args.timeout)],
                                    stdout=fh, stderr=fh, start_new_session=True)
        for _ in range(600):
            text = log.read_text(errors="replace")
            if "serving http" in text:
                url = text.split("serving ", 1)[1].split()[0]
                break
            if proc.poll() is not None:
                sys.exit("server did not start:\n" + text)
            time.sleep(0.1)
    try:
        run_load(url, pick, clients=4, seconds=1.0, ok=ok)  # warm up
        _, lines = soak(url, clients=args.clients, seconds=args.seconds, budget=args.budget,
                        pid=proc.pid if proc else None, timeout=args.timeout)
        print("\n".join(lines))
    finally:
        if proc is not None:
            stop_group(proc)


if __name__ == "__main__":
    main()
