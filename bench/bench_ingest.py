"""Time ``kharita ingest --engine dask`` with 1 and 2 workers on one corpus.

Prints, per worker count: wall time (cluster start and each worker's gazetteer
load included: what a user waits for), items/s, MB/s, and the peak resident
memory of each Dask worker process (sampled twice a second), and the steady
items/s once every worker has finished a partition (start-up left out); then
the speed ratios of the last count over the first. The workers' CPU time (sampled
with the memory) gives MB per CPU-second, which moves less than the wall clock
when other work shares the machine. Targets (issue 16): 2 workers at least
1.7x one worker, at most 1.2 GB per worker.

Usage::

    .venv/bin/python bench/bench_ingest.py                       # builds a 50 MB corpus
    .venv/bin/python bench/bench_ingest.py corpus.jsonl --workers 1,2 --partition-size 4MB
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
KHARITA = [sys.executable, "-c", "from webapp.cli import main; main()"]


def worker_processes(parent: psutil.Process) -> list[psutil.Process]:
    """The Dask worker processes under ``parent`` (spawned by the nannies)."""
    found = []
    for child in parent.children(recursive=True):
        try:
            cmdline = " ".join(child.cmdline())
        except psutil.Error:
            continue
        if "spawn_main" in cmdline and "resource_tracker" not in cmdline:
            found.append(child)
    return found


def run_ingest(corpus: Path, out: Path, workers: int, partition_size: str) -> dict:
    """One timed run; its summary, wall time and peak RSS per worker (bytes)."""
    shutil.rmtree(out, ignore_errors=True)
    command = [*KHARITA, "ingest", str(corpus), "-o", str(out), "--engine", "dask",
               "--workers", str(workers), "--partition-size", partition_size, "--no-progress"]
    peaks: dict[int, int] = {}
    cpu: dict[int, float] = {}
    started = time.perf_counter()
    with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True) as process:
        parent = psutil.Process(process.pid)
        while process.poll() is None:
            for worker in worker_processes(parent):
                try:
                    peaks[worker.pid] = max(peaks.get(worker.pid, 0), worker.memory_info().rss)
                    times = worker.cpu_times()
                    cpu[worker.pid] = times.user + times.system
                except psutil.Error:
                    continue
            time.sleep(0.5)
        stderr = process.stderr.read() if process.stderr else ""
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"kharita ingest failed:\n{stderr}")
    summary = json.loads(stderr.strip().splitlines()[-1])
    return {"workers": workers, "seconds": elapsed, "summary": summary,
            "peak_rss": sorted(peaks.values(), reverse=True),
            "worker_cpu_seconds": sum(cpu.values()),
            "steady_items_per_s": steady_rate(out, workers)}


def steady_rate(out: Path, workers: int) -> float | None:
    """Items/s once every worker has finished a partition (start-up and warm-up left out).

    Read from the partitions' done markers: the items of those finished after the
    first ``workers`` ones, over the time from the last of those to the end.
    """
    markers = sorted((out / "_done").glob("part-*.json"), key=lambda m: m.stat().st_mtime)
    if len(markers) <= workers:
        return None
    items = 0
    for marker in markers[workers:]:
        counts = json.loads(marker.read_text(encoding="utf-8"))
        items += counts.get("documents", 0) + sum(counts.get("failures", {}).values())
    span = markers[-1].stat().st_mtime - markers[workers - 1].stat().st_mtime
    return items / span if span > 0 else None


def main() -> None:
    """Build the corpus if needed, run each worker count, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path)
    parser.add_argument("--size", default="50MB", help="Corpus to build when none is given.")
    parser.add_argument("--workers", default="1,2", help="Worker counts (default 1,2).")
    parser.add_argument("--partition-size", default="4MB")
    parser.add_argument("--json", action="store_true", help="Print JSON instead of text.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kharita-bench-") as tmp:
        corpus = args.corpus
        if corpus is None:
            corpus = Path(tmp) / "corpus.jsonl"
            subprocess.run([sys.executable, str(ROOT / "bench" / "make_corpus.py"), str(corpus),
                            "--size", args.size], check=True)
        megabytes = corpus.stat().st_size / 1024 ** 2
        runs = [run_ingest(corpus, Path(tmp) / f"out-{n}", n, args.partition_size)
                for n in map(int, args.workers.split(","))]
    for run in runs:
        s = run["summary"]
        run["items"] = s["documents"] + sum(s["failures"].values())
        run["items_per_s"] = run["items"] / run["seconds"]
        run["mb_per_s"] = megabytes / run["seconds"]
        run["mb_per_cpu_s"] = megabytes / max(run["worker_cpu_seconds"], 1e-9)
    ratio = runs[-1]["items_per_s"] / runs[0]["items_per_s"]
    first, last = runs[0]["steady_items_per_s"], runs[-1]["steady_items_per_s"]
    steady = last / first if first and last else None
    if args.json:
        print(json.dumps({"corpus_mb": megabytes, "runs": runs, "ratio": ratio,
                          "steady_ratio": steady}, indent=2))
        return
    print(f"corpus {corpus.name}: {megabytes:.1f} MB, partitions of {args.partition_size}")
    for run in runs:
        rss = ", ".join(f"{r / 1024 ** 3:.2f}" for r in run["peak_rss"]) or "-"
        print(f"{run['workers']} worker(s): {run['seconds']:7.1f} s  {run['items']} items  "
              f"{run['items_per_s']:8.1f} items/s  {run['mb_per_s']:.3f} MB/s  "
              f"peak RSS per worker {rss} GB  steady {run['steady_items_per_s'] or 0:.1f} items/s  "
              f"workers' CPU {run['worker_cpu_seconds']:.0f} s ({run['mb_per_cpu_s']:.3f} MB "
              "per CPU-second)")
    print(f"ratio {runs[-1]['workers']} vs {runs[0]['workers']} worker(s): {ratio:.2f}x "
          f"end to end, {steady or 0:.2f}x steady (target >= 1.7x)")


if __name__ == "__main__":
    main()
