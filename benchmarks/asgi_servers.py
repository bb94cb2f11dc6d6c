"""The same ASGI application (``nigraph.serve.asgi:app``) on uvicorn and on granian, same store, same run.

What chose the server ``nigraph serve`` runs on. Each server is started the way a deployer
would (its own command line, configured by ``NIGRAPH_*`` variables) and driven by the mixed load
of ``serve_throughput.py`` (a GROUP BY aggregate and a single-resource look-up, alternating;
answer cache off), at 1, 8 and 32 clients; ``nigraph serve`` itself (uvicorn, started by nigraph)
is run too. Rounds alternate the order of the servers.

    nice python benchmarks/asgi_servers.py [--seconds 5] [--clients 1,8,32] [--standards 13220] [--rounds 2]

Needs granian (the ``bench`` extra).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import percentile, stop_group  # noqa: E402
from serve_throughput import BIN, ROOT, drive, free_port, memory_of_group, synthetic, wait_up  # noqa: E402

from nigraph.core.load import load_files, project_files  # noqa: E402
from nigraph.core.store import build_store  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--clients", default="1,8,32")
    ap.add_argument("--standards", type=int, default=13220)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    counts = [int(c) for c in args.clients.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="nigraph-asgi-"))
    try:
        quads = load_files(project_files(ROOT), ROOT) + synthetic(args.standards)
        print(f"data: {len(quads)} triples", flush=True)
        build_store(quads, tmp / "store")
        env = dict(os.environ, NIGRAPH_ROOT=str(ROOT), NIGRAPH_STORE=str(tmp / "store"), NIGRAPH_DUMPS=str(tmp),
                   NIGRAPH_CACHE_MB="0", NIGRAPH_TIMEOUT="120")
        servers = {
            "nigraph serve": lambda port: [str(BIN / "nigraph"), "serve", "--root", str(ROOT), "--store",
                                           str(tmp / "store"), "--port", str(port), "--timeout", "120", "--cache-mb", "0"],
            "uvicorn": lambda port: [str(BIN / "uvicorn"), "nigraph.serve.asgi:app", "--port", str(port),
                                     "--h11-max-incomplete-event-size", "65536", "--no-access-log", "--log-level", "warning"],
            "granian": lambda port: [str(BIN / "granian"), "--interface", "asgi", "--port", str(port),
                                     "--no-ws", "--log-level", "warning", "nigraph.serve.asgi:app"],
        }
        runs: dict[tuple[str, int], list] = {}
        names = list(servers)
        for r in range(args.rounds):
            for name in (names if r % 2 == 0 else names[::-1]):
                port = free_port()
                proc = subprocess.Popen(servers[name](port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        start_new_session=True, env=env)
                endpoint = f"http://127.0.0.1:{port}/sparql"
                try:
                    wait_up(endpoint, proc)
                    drive(endpoint, 1, 1.0, args.standards)
                    for c in counts:
                        st = drive(endpoint, c, args.seconds, args.standards)
                        look = st.latencies.get("lookup", [])
                        runs.setdefault((name, c), []).append((st.rate(), look, memory_of_group(proc.pid),
                                                               sum(st.errors.values())))
                        print(f"{name:14} clients={c:3} req/s={st.rate():7.1f} lookup p50="
                              f"{percentile(look, 50) * 1000:6.1f} ms errors={sum(st.errors.values())}", flush=True)
                finally:
                    stop_group(proc)
        print("\n| server | clients | req/s | lookup p50 ms | lookup p95 ms | memory MiB | errors |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name in names:
            for c in counts:
                done = runs[(name, c)]
                rates = sorted(d[0] for d in done)
                look = [x for d in done for x in d[1]]
                print(f"| {name} | {c} | {rates[len(rates) // 2]:.1f} | {percentile(look, 50) * 1000:.1f} | "
                      f"{percentile(look, 95) * 1000:.1f} | {max(d[2] for d in done) / 2**20:.0f} | "
                      f"{sum(d[3] for d in done)} |")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
