"""Run a bulk ingestion: partitions processed on local processes or a Dask cluster.

The output folder keeps the run's state beside the datasets, in names that
readers skip (a leading ``_``):

* ``_ingest.json``: the fingerprint of the inputs and arguments. A run on a
  folder made with other ones stops with an error instead of mixing them.
* ``_done/part-NNNNN.json``: one marker per finished partition, with its
  counts. A restarted run skips those partitions, and the summary adds them.
* ``_tmp/part-NNNNN/``: where a partition writes (its batches of rows, then
  its files, flat); the files are moved into the datasets only when all are
  written, then the marker is written. A
  partition interrupted half way is redone from scratch and its files, named
  by partition number, replace the ones it may have moved: nothing doubles.
* ``failures.jsonl``: every bad item (source, item, reason, detail), gathered
  from ``_failures/part-NNNNN.jsonl`` at the end of each run.

Each worker process loads the gazetteer once (:func:`geo.gazetteer.get_gazetteer`
keeps it for the life of the process) and reuses it for every partition.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from geo.bulk.sources import Failure, Partition, plan_partitions, read_items
from geo.errors import InputError

#: Bumped when the output layout or the partition plan changes meaning (2: one file
#: per partition and ``(date, country)``, no more ``-CCC`` batch suffix).
LAYOUT_VERSION = 2
#: Documents whose rows are held in memory before a partition spills them to disk. At
#: 10,000, a one-process ingest of 12,000 reports peaked at 924 MiB against 793 MiB at
#: 2,000, in about the same CPU time (139 s, 141 s): spilling is cheap, rows in memory
#: (dicts, geometries) are not.
DOCS_PER_BATCH = 2_000
STATE = "_ingest.json"
DONE = "_done"
TMP = "_tmp"
FAILURES = "_failures"
#: Under a partition's ``_tmp`` folder: its spilled batches, and its finished files.
SPILL, FILES = "spill", "files"


@dataclass(frozen=True, slots=True)
class Options:
    """What every partition is processed with (part of the run's fingerprint)."""

    output: str
    lang: str | None = None
    max_bytes: int = 5 * 1024 * 1024


def fingerprint(sources: Iterable[str], partitions: list[Partition], options: Options) -> str:
    """A digest of the inputs (names, partition plan) and the processing options."""
    plan = [asdict(p) for p in partitions]
    data = {"version": LAYOUT_VERSION, "sources": list(sources), "plan": plan,
            "lang": options.lang, "max_bytes": options.max_bytes}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def part_name(partition: Partition) -> str:
    """``part-NNNNN``: the partition's files and marker are named by its number."""
    return f"part-{partition.index:05d}"


def process_partition(partition: Partition, options: Options) -> dict[str, Any]:
    """Geoparse and map one partition's items and write its files; return its counts.

    Runs in a worker. Does nothing but read the marker when the partition is
    already done (a task run twice by a cluster after a worker loss).
    """
    from geo.bulk.tables import PartitionTables, published_of, write_datasets
    from geo.gazetteer import get_gazetteer
    from geo.layers import layer_features
    from geo.pipeline import geoparse

    out, name = Path(options.output), part_name(partition)
    marker = out / DONE / f"{name}.json"
    if marker.exists():
        return dict(json.loads(marker.read_text(encoding="utf-8")))
    tmp = out / TMP / name
    shutil.rmtree(tmp, ignore_errors=True)
    gazetteer = get_gazetteer()
    tables = PartitionTables(gazetteer.countries_of)
    failures: list[Failure] = []
    for found in read_items(partition, lang=options.lang, max_bytes=options.max_bytes):
        if isinstance(found, Failure):
            failures.append(found)
            continue
        result = geoparse(found.text, lang=found.lang, gazetteer=gazetteer)
        features, _ = layer_features(result, gazetteer=gazetteer,
                                     published=published_of(found.date))
        tables.add(found, result, features)
        if tables.counts["documents"] % DOCS_PER_BATCH == 0:
            tables.spill(tmp / SPILL)
    tables.spill(tmp / SPILL)
    files = write_datasets(tmp / SPILL, tmp / FILES, name)
    counts = {**tables.counts, "failures": dict(Counter(f.reason for f in failures))}
    failed = tmp / f"{name}.jsonl"
    _write_failures(failed, failures)
    _publish([*files, (failed, Path(FAILURES, failed.name))], out)
    _write_atomic(marker, json.dumps(counts, sort_keys=True))
    shutil.rmtree(tmp, ignore_errors=True)
    with contextlib.suppress(OSError):  # other partitions may still be writing there
        (out / TMP).rmdir()
    return counts


def _write_failures(path: Path, failures: list[Failure]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(f.to_dict(), ensure_ascii=False) + "\n"
                            for f in failures), encoding="utf-8")


def _publish(files: list[tuple[Path, Path]], out: Path) -> None:
    """Move each written file to its place under ``out`` (replacing)."""
    for path, place in files:
        target = out / place
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


@dataclass(frozen=True, slots=True)
class Plan:
    """A run ready to go: every partition, and those still to do."""

    partitions: list[Partition]
    pending: list[Partition]
    options: Options
    digest: str


def prepare(sources: list[str], options: Options, partition_size: int) -> Plan:
    """Plan the partitions and check or record the output folder's fingerprint.

    Raises
    ------
    InputError
        For a bad source, or an output folder holding a run with other inputs
        or arguments.
    """
    partitions = plan_partitions(sources, partition_size)
    digest = fingerprint(sources, partitions, options)
    out = Path(options.output)
    state = out / STATE
    if state.exists():
        recorded = json.loads(state.read_text(encoding="utf-8")).get("fingerprint")
        if recorded != digest:
            raise InputError(f"{out} holds the output of a run with other inputs or "
                             "arguments; give a new output folder (or remove this one)")
    else:
        _write_atomic(state, json.dumps({"fingerprint": digest, "sources": sources,
                                         "partitions": len(partitions)}, indent=2))
    shutil.rmtree(out / TMP, ignore_errors=True)  # left by a killed run; redone below
    pending = [p for p in partitions if not (out / DONE / f"{part_name(p)}.json").exists()]
    return Plan(partitions=partitions, pending=pending, options=options, digest=digest)


Runner = Callable[[Plan], Iterator[tuple[Partition, dict[str, Any]]]]


def run_local(plan: Plan, workers: int) -> Iterator[tuple[Partition, dict[str, Any]]]:
    """Process the pending partitions inline (1 worker) or on a local process pool.

    The gazetteer is loaded before the pool starts, so that forked workers
    share it instead of each loading its own.
    """
    if workers <= 1 or len(plan.pending) <= 1:
        for partition in plan.pending:
            yield partition, process_partition(partition, plan.options)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from geo.extract import default_matcher
    from geo.gazetteer import get_gazetteer

    default_matcher(get_gazetteer())
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        futures = {pool.submit(process_partition, p, plan.options): p for p in plan.pending}
        for future in as_completed(futures):
            yield futures[future], future.result()


def run_dask(plan: Plan, workers: int,
             scheduler: str | None) -> Iterator[tuple[Partition, dict[str, Any]]]:
    """Process the pending partitions on a Dask cluster: ``scheduler``'s, or a local one.

    A local cluster has ``workers`` processes of one thread each (geoparsing
    holds the GIL). Each task is one partition; Dask retries it elsewhere if a
    worker dies.
    """
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise InputError("--engine dask needs Dask: pip install 'kharita[bulk]'") from None
    if scheduler:
        client = Client(scheduler)
        cluster = None
    else:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=":0")
        client = Client(cluster)
    try:
        futures = {client.submit(process_partition, p, plan.options,
                                 key=f"kharita-ingest-{plan.digest[:12]}-{p.index:05d}"): p
                   for p in plan.pending}
        for future in as_completed(futures):
            yield futures[future], future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def gather_failures(out: Path) -> int:
    """Rewrite ``failures.jsonl`` from every partition's failures; return their number."""
    lines: list[str] = []
    for path in sorted((out / FAILURES).glob("part-*.jsonl")):
        lines += path.read_text(encoding="utf-8").splitlines(keepends=True)
    _write_atomic(out / "failures.jsonl", "".join(lines))
    return len(lines)


def summary(out: Path) -> dict[str, Any]:
    """Counts of the whole output (every done partition, this run's or earlier)."""
    total: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    for marker in sorted((out / DONE).glob("part-*.json")):
        counts = json.loads(marker.read_text(encoding="utf-8"))
        failures.update(counts.pop("failures", {}))
        total.update(counts)
    documents, mentions = total.pop("documents", 0), total.pop("mentions", 0)
    return {"documents": documents, "mentions": mentions, "features": dict(sorted(total.items())),
            "failures": dict(sorted(failures.items()))}
