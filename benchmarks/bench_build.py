"""``nigraph build`` at catalogue scale, against the parse of the same data, in one run.

It copies the project (ontology/, data/, shapes/) to a temporary directory, adds a synthetic
catalogue of about ``--triples`` triples as ``data/catalogue.nt`` (:mod:`catalogue`, seeded), then
runs, each in its own child process (wall time and peak RSS from ``wait4``):

* ``parse``: pyoxigraph parsing the catalogue file and counting its triples (the baseline);
* ``build``: ``nigraph -v build``, whose log gives the time of each stage;
* ``store floor``: a fresh on-disk pyoxigraph store filled with the native bulk loader from the
  first build's ``nigraph.nq`` (``lenient``), then optimized: what the on-disk store alone costs
  natively, of the x10 budget (the build's store stage is printed beside it);
* ``rebuild``: the same build again, and a byte comparison of every dump with the first;
* ``export``: ``nigraph export`` of the first build, compared byte for byte with the build's dumps;
* ``incremental``: one small data file changed, ``nigraph build`` again into the first build's
  directory (it says what it re-did), and a clean build of the changed project elsewhere: every
  output compared byte for byte.

It prints one row per stage and the ratio of the build to the parse (the goal: at most 10x, and a
peak of at most 1.5 GiB). Data goes to a temporary directory that is removed afterwards.

    python benchmarks/bench_build.py                   # about 1M triples
    python benchmarks/bench_build.py --triples 100000  # a quick check
"""

from __future__ import annotations

import argparse
import os
import re
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

PARSE = """
import sys, pyoxigraph
n = sum(1 for _ in pyoxigraph.parse(path=sys.argv[1], format=pyoxigraph.RdfFormat.N_TRIPLES))
print(n)
"""
STORE = """
import sys, time, pyoxigraph
store = pyoxigraph.Store(sys.argv[2])
start = time.perf_counter()
store.bulk_load(path=sys.argv[1], format=pyoxigraph.RdfFormat.N_QUADS, lenient=True)
loaded = time.perf_counter()
store.optimize()
print(len(store), loaded - start, time.perf_counter() - loaded)
"""
NIGRAPH = [sys.executable, "-c", "from nigraph.cli import main; main()"]
STAGE = re.compile(r"nigraph\.build: (\w+)\s+(.*?)\s+([0-9.]+) s$")


def run(argv: list[str]) -> tuple[float, float, str, str]:
    """Run a child; return (wall seconds, peak RSS in MiB, stdout, stderr)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, text=True, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        text, error = out.read(), err.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv[-4:])}: exit {os.waitstatus_to_exitcode(status)}: {error.strip()[-600:]}")
    return seconds, usage.ru_maxrss / 1024, text, error


def same(a: Path, b: Path, names: list[str]) -> list[str]:
    return [n for n in names if (a / n).read_bytes() != (b / n).read_bytes()]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="catalogue size, in triples")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="nigraph-bench-build-"))
    try:
        project = work / "project"
        for sub in ("ontology", "data", "shapes"):
            shutil.copytree(ROOT / sub, project / sub)
        cat = project / "data" / "catalogue.nt"
        n = catalogue.write_ntriples(cat, n_triples=args.triples)
        print(f"catalogue: {n:,} triples, {cat.stat().st_size / 2**20:.0f} MiB of N-Triples")

        parse_s, parse_mib, out, _ = run([sys.executable, "-c", PARSE, str(cat)])
        print(f"{'parse (pyoxigraph)':24s} {parse_s:7.2f} s {parse_mib:7.0f} MiB  {int(out):,} triples")
        build_s, build_mib, _, log = run(NIGRAPH + ["build", "-v", "--root", str(project), "--out", str(work / "a"), "-q"])
        for line in log.splitlines():
            if m := STAGE.search(line):
                print(f"  {m.group(1):22s} {float(m.group(3)):7.2f} s            {m.group(2)}")
        print(f"{'build':24s} {build_s:7.2f} s {build_mib:7.0f} MiB  x{build_s / parse_s:.1f} the parse "
              f"(goal: at most x10 and 1536 MiB)")
        store_stage = next((float(m.group(3)) for m in map(STAGE.search, log.splitlines()) if m and m.group(1) == "store"), None)
        floor_s, floor_mib, out, _ = run([sys.executable, "-c", STORE, str(work / "a" / "nigraph.nq"), str(work / "floor")])
        quads, load_s, optimize_s = out.split()
        print(f"{'store floor (pyoxigraph bulk_load + optimize)':24s} {floor_s:7.2f} s {floor_mib:7.0f} MiB  "
              f"x{floor_s / parse_s:.1f} the parse; {int(quads):,} quads, bulk_load {float(load_s):.2f} s + optimize "
              f"{float(optimize_s):.2f} s" + (f"; the build's store stage {store_stage:.2f} s" if store_stage is not None else ""))
        shutil.rmtree(work / "floor", ignore_errors=True)
        names = sorted(p.name for p in (work / "a").iterdir() if p.is_file() and not p.name.startswith("."))
        rebuild_s, rebuild_mib, _, _ = run(NIGRAPH + ["build", "--root", str(project), "--out", str(work / "b"), "-q"])
        diff = same(work / "a", work / "b", names)
        print(f"{'rebuild':24s} {rebuild_s:7.2f} s {rebuild_mib:7.0f} MiB  "
              + ("dumps byte-identical" if not diff else f"DIFFERENT: {', '.join(diff)}"))
        export_s, export_mib, _, _ = run(NIGRAPH + ["export", "--root", str(project), "--store", str(work / "a" / "store"),
                                                    "--out", str(work / "e"), "-q"])
        built = [name for name in names if name in ("nigraph.nq", "nigraph.nt", "nigraph.ttl", "nigraph.jsonld")]
        diff = same(work / "a", work / "e", built)
        print(f"{'export (every format)':24s} {export_s:7.2f} s {export_mib:7.0f} MiB  "
              + ("same bytes as the build's dumps" if not diff else f"DIFFERENT: {', '.join(diff)}"))
        changed = project / "data" / "goals.ttl"
        with open(changed, "a", encoding="utf-8") as fh:
            fh.write('\n<https://w3id.org/nigraph/id/goal/bench-changed> '
                     '<http://www.w3.org/2000/01/rdf-schema#comment> "changed by bench_build"@en .\n')
        inc_s, inc_mib, _, inc_log = run(NIGRAPH + ["build", "-v", "--root", str(project), "--out", str(work / "a"), "-q"])
        said = next((line.split("nigraph.build: ", 1)[1] for line in inc_log.splitlines()
                     if "nigraph.build: incremental" in line or "nigraph.build: full build" in line), "?")
        for line in inc_log.splitlines():
            if m := STAGE.search(line):
                print(f"  {m.group(1):22s} {float(m.group(3)):7.2f} s            {m.group(2)}")
        print(f"{'incremental build':24s} {inc_s:7.2f} s {inc_mib:7.0f} MiB  x{inc_s / parse_s:.1f} the parse; "
              f"{said[:90]}")
        run(NIGRAPH + ["build", "--root", str(project), "--out", str(work / "c"), "-q"])
        diff = same(work / "a", work / "c", names)
        print(f"{'clean build of the same':24s} {'':7s}   {'':7s}      "
              + ("every output byte-identical to the incremental build's" if not diff else f"DIFFERENT: {', '.join(diff)}"))
        print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
