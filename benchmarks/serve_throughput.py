"""Throughput of ``nigraph serve`` against rdflib-endpoint and Oxigraph's server, same data, same run.

Generates ~74k triples (the project's data plus synthetic catalogue standards; nothing is
committed), builds a nigraph store (one named graph per file, default graph = union), an
Oxigraph store for ``oxigraph serve-read-only --union-default-graph`` and an N-Triples file for
``rdflib-endpoint serve``. nigraph runs twice: as configured by default (answers of repeated
queries cached; the store is read-only) and with ``--cache-mb 0``. Each server is driven with 1, 8 and 32 closed-loop clients on
loopback, alternating a GROUP BY query and a lookup of one standard, for SECONDS each. The table
gives the throughput, the latency of all requests, the latency of the look-ups alone under this
mixed load (what a person clicking through pages waits) and the memory the server's processes
held at most (the sum of their proportional set sizes, PSS, sampled after each load).

    nice python benchmarks/serve_throughput.py [--seconds 10] [--clients 1,8,32] [--standards 10000]
        [--baseline-src DIR] [--rounds N] [--interleave]

With ``--baseline-src`` (the ``src`` folder of another checkout of nigraph, e.g. the commit before
a change), that version is run too, as "baseline" and "baseline-nocache", in the same run on the
same store, and a last column gives each nigraph row as a ratio of the baseline's; with ``--rounds`` above 1, the
ratio of each round (the two versions run back to back) is printed too, with its median and range.
With ``--interleave`` every server is started once and, for each client count, the servers take
turns of ``--seconds``, ``--rounds`` times: the two of a pair run seconds apart, so the machine's
drift moves a ratio less (their memory is then each one's while the other one is up too).

Needs the ``bench`` extra (``pip install -e '.[bench]'``: oxigraph, rdflib-endpoint[cli]).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadgen import percentile, run_load, stop_group  # noqa: E402

from nigraph.core.iri import NIG, PREFIXES, graph_for, mint  # noqa: E402
from nigraph.core.load import load_files, project_files  # noqa: E402
from nigraph.core.store import build_store  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
GROUP_BY = """PREFIX nig: <https://w3id.org/nigraph/def/>
SELECT ?industry (COUNT(?s) AS ?n) WHERE { ?s a nig:Standard ; nig:servesIndustry ?industry }
GROUP BY ?industry ORDER BY DESC(?n) ?industry"""
LOOKUP = "SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"


def synthetic(n: int) -> list[ox.Quad]:
    """``n`` catalogue-like standards, 7 triples each, spread over the 17 industries."""
    g = graph_for("benchmarks/standards.nq")
    rdf_type, label = ox.NamedNode(PREFIXES["rdf"] + "type"), ox.NamedNode(PREFIXES["rdfs"] + "label")
    industries = [mint("industry", f"E{i:02d}") for i in range(1, 9)] + [mint("industry", f"F{i:02d}") for i in range(1, 10)]
    out = []
    for i in range(n):
        s = mint("standard", f"S{i:05d}")
        out += [ox.Quad(s, rdf_type, ox.NamedNode(NIG + "Standard"), g),
                ox.Quad(s, label, ox.Literal(f"Synthetic standard {i}", language="en"), g),
                ox.Quad(s, label, ox.Literal(f"合成标准{i}", language="zh"), g),
                ox.Quad(s, ox.NamedNode(NIG + "servesIndustry"), industries[(i * 7) % 17], g),
                ox.Quad(s, ox.NamedNode(NIG + "standardNumber"), ox.Literal(f"GB/T {10000 + i}-2024"), g),
                ox.Quad(s, ox.NamedNode(NIG + "standardType"), mint("standard-type", "GBT"), g),
                ox.Quad(s, ox.NamedNode(NIG + "status"), mint("standard-status", "current" if i % 3 else "draft"), g)]
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, proc: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "?" + urllib.parse.urlencode({"query": "ASK {}"}), timeout=5):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up")


def drive(endpoint: str, clients: int, seconds: float, standards: int):
    def pick(i: int, n: int):
        if n % 2 == 0:
            kind, q = "aggregate", GROUP_BY
        else:
            kind, q = "lookup", LOOKUP.format(iri=mint("standard", f"S{(i * 7919 + n * 104729) % standards:05d}").value)
        return (kind, endpoint + "?" + urllib.parse.urlencode({"query": q}),
                {"Accept": "application/sparql-results+json"})

    return run_load("http://" + urllib.parse.urlsplit(endpoint).netloc + "/", pick, clients=clients,
                    seconds=seconds, timeout=120)


def memory_of_group(pgid: int) -> int:
    """Bytes held by the processes of group ``pgid``: the sum of their PSS (shared pages split
    among the processes sharing them, so forked workers are not counted twice); 0 if unknown."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[2]) != pgid:
                continue
            for line in (entry / "smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
        except (OSError, ValueError, IndexError):
            continue
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--clients", default="1,8,32")
    ap.add_argument("--standards", type=int, default=10000)
    ap.add_argument("--only", default="nigraph,nigraph-nocache,oxigraph,rdflib-endpoint")
    ap.add_argument("--rounds", type=int, default=1, help="run every server this many times (median req/s)")
    ap.add_argument("--interleave", action="store_true",
                    help="start every server once and, for each client count, run them in turns of --seconds, "
                         "--rounds times (pairs measured seconds apart, not minutes)")
    ap.add_argument("--baseline-src", type=Path, default=None,
                    help="src/ of another nigraph checkout, run as 'baseline' and 'baseline-nocache' too")
    args = ap.parse_args()
    only = args.only.split(",")
    if args.baseline_src:  # the old code beside each nigraph row asked for
        only += [n.replace("nigraph", "baseline") for n in only if n.startswith("nigraph")]
    counts = [int(c) for c in args.clients.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="nigraph-bench-"))
    try:
        quads = load_files(project_files(ROOT), ROOT) + synthetic(args.standards)
        print(f"data: {len(quads)} triples ({args.standards} synthetic standards)", flush=True)
        build_store(quads, tmp / "store")
        (tmp / "data.nq").write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
        (tmp / "data.nt").write_bytes(ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads],
                                                   format=ox.RdfFormat.N_TRIPLES))
        if "oxigraph" in only:
            subprocess.run([str(BIN / "oxigraph"), "load", "--location", str(tmp / "oxi"), "--file", str(tmp / "data.nq")],
                           check=True, capture_output=True)
        baseline = [sys.executable, "-c", "from nigraph.cli import main; main()", "serve", "--root", str(ROOT),
                    "--store", str(tmp / "store"), "--timeout", "120"]
        servers = {
            "nigraph": lambda port: [str(BIN / "nigraph"), "serve", "--root", str(ROOT), "--store", str(tmp / "store"),
                                     "--port", str(port), "--timeout", "120"],
            "nigraph-nocache": lambda port: [str(BIN / "nigraph"), "serve", "--root", str(ROOT), "--store",
                                             str(tmp / "store"), "--port", str(port), "--timeout", "120", "--cache-mb", "0"],
            "oxigraph": lambda port: [str(BIN / "oxigraph"), "serve-read-only", "--location", str(tmp / "oxi"),
                                      "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
            "rdflib-endpoint": lambda port: [str(BIN / "rdflib-endpoint"), "serve", "--host", "127.0.0.1",
                                             "--port", str(port), str(tmp / "data.nt")],
            "baseline": lambda port: baseline + ["--port", str(port)],
            "baseline-nocache": lambda port: baseline + ["--port", str(port), "--cache-mb", "0"],
        }
        paths = {"nigraph": "sparql", "nigraph-nocache": "sparql", "oxigraph": "query", "rdflib-endpoint": "",
                 "baseline": "sparql", "baseline-nocache": "sparql"}
        runs: dict[tuple[str, int], list] = {}

        def start(name: str) -> tuple[subprocess.Popen, str]:
            port = free_port()
            env = dict(os.environ)
            if name.startswith("baseline"):  # the other checkout's package comes first on the path
                env["PYTHONPATH"] = os.pathsep.join([str(args.baseline_src.resolve())]
                                                    + env.get("PYTHONPATH", "").split(os.pathsep))
            proc = subprocess.Popen(servers[name](port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    start_new_session=True, env=env)
            endpoint = f"http://127.0.0.1:{port}/{paths[name]}"
            try:
                wait_up(endpoint, proc)
                drive(endpoint, 1, 1.0, args.standards)  # warm up
            except BaseException:
                stop_group(proc)
                raise
            return proc, endpoint

        def measure(name: str, proc: subprocess.Popen, endpoint: str, c: int) -> None:
            st = drive(endpoint, c, args.seconds, args.standards)
            lat, look = st.all_latencies, st.latencies.get("lookup", [])
            mem = memory_of_group(proc.pid)
            runs.setdefault((name, c), []).append((st.rate(), lat, sum(st.errors.values()), look, mem))
            print(f"{name:16} clients={c:3} req/s={st.rate():8.1f} p50={percentile(lat, 50) * 1000:8.1f} ms "
                  f"p99={percentile(lat, 99) * 1000:8.1f} ms lookup p50={percentile(look, 50) * 1000:7.1f} ms "
                  f"p95={percentile(look, 95) * 1000:7.1f} ms memory={mem / 2**20:6.0f} MiB "
                  f"errors={sum(st.errors.values())}", flush=True)

        if args.interleave:  # every server up at once; for each client count, short turns in alternation
            up: dict[str, tuple[subprocess.Popen, str]] = {}
            try:
                for name in only:
                    up[name] = start(name)
                for c in counts:
                    for r in range(args.rounds):
                        for name in (only if r % 2 == 0 else only[::-1]):
                            measure(name, *up[name], c)
            finally:
                for proc, _ in up.values():
                    stop_group(proc)
        else:
            for r in range(args.rounds):
                # alternate the order, so that a change in the machine's load falls on every server alike
                for name in (only if r % 2 == 0 else only[::-1]):
                    proc, endpoint = start(name)
                    try:
                        for c in counts:
                            measure(name, proc, endpoint, c)
                    finally:
                        stop_group(proc)
        rows = []
        for name in only:
            for c in counts:
                done = runs[(name, c)]
                rates = sorted(d[0] for d in done)
                lat = [x for d in done for x in d[1]]
                look = [x for d in done for x in d[3]]
                rows.append((name, c, rates[len(rates) // 2], percentile(lat, 50), percentile(lat, 99),
                             sum(d[2] for d in done), percentile(look, 50), percentile(look, 95), max(d[4] for d in done)))
        print("\n| server | clients | req/s | p50 ms | p99 ms | lookup p50 ms | lookup p95 ms | memory MiB | errors "
              "| vs rdflib-endpoint | vs oxigraph | vs baseline |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        rate = {(n, c): r for n, c, r, *_ in rows}
        for n, c, r, p50, p99, err, l50, l95, mem in rows:
            vr = f"{r / rate[('rdflib-endpoint', c)]:.1f}x" if rate.get(("rdflib-endpoint", c)) else "-"
            vo = f"{r / rate[('oxigraph', c)]:.2f}x" if rate.get(("oxigraph", c)) else "-"
            base = {"nigraph": "baseline", "nigraph-nocache": "baseline-nocache"}.get(n)
            vb = f"{r / rate[(base, c)]:.2f}x" if base and rate.get((base, c)) else "-"
            print(f"| {n} | {c} | {r:.1f} | {p50 * 1000:.1f} | {p99 * 1000:.1f} | {l50 * 1000:.1f} | {l95 * 1000:.1f} "
                  f"| {mem / 2**20:.0f} | {err} | {vr} | {vo} | {vb} |")
        if args.baseline_src and args.rounds > 1:
            # each round ran both versions back to back: its ratio cancels the machine's slower drifts
            print("\nPaired ratios, each round's req/s over the baseline's in the same round (median, min-max):")
            for name in only:
                base = {"nigraph": "baseline", "nigraph-nocache": "baseline-nocache"}.get(name)
                if not base:
                    continue
                for c in counts:
                    pairs = sorted(a[0] / b[0] for a, b in zip(runs[(name, c)], runs[(base, c)]) if b[0])
                    if pairs:
                        print(f"  {name} clients={c}: {pairs[len(pairs) // 2]:.3f} ({pairs[0]:.3f}-{pairs[-1]:.3f}), "
                              f"{sum(p >= 1 for p in pairs)} of {len(pairs)} rounds at or above 1")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
