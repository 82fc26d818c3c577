"""``kharita ingest``: corpora to partitioned GeoParquet, on local processes or Dask."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import click

from geo.errors import KharitaError


@click.command("ingest")
@click.argument("sources", nargs=-1, required=True)
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False),
              help="Output folder: one GeoParquet dataset per layer, plus 'mentions'.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local",
              show_default=True, help="Local process pool, or a Dask cluster.")
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
              help="Dask scheduler to run on (--engine dask); a local cluster when omitted.")
@click.option("--workers", type=click.IntRange(min=1), default=os.cpu_count() or 1,
              show_default=True, help="Processes of the local pool or local Dask cluster.")
@click.option("--partition-size", default="64MB", show_default=True,
              help="Bytes of input per partition (the unit of work and of resuming).")
@click.option("--max-item-size", default="5MB", show_default=True,
              help="Longer items are recorded as failures (too_large) and skipped.")
@click.option("--lang", type=click.Choice(["ar", "fr", "en"]), default=None,
              help="Language of items that name none (detected when omitted).")
@click.option("--progress/--no-progress", default=True, show_default=True,
              help="Show a progress bar on standard error.")
def ingest_command(sources: tuple[str, ...], output: str, engine: str, scheduler: str | None,
                   workers: int, partition_size: str, max_item_size: str, lang: str | None,
                   progress: bool) -> None:
    """Geoparse and map SOURCES (JSON lines, CSV or Parquet with a 'text' column, folders
    of .txt/.html files; paths or fsspec URLs) into GeoParquet under OUTPUT.

    A restarted run with the same arguments skips the partitions already done.
    """
    _check_installed()
    from geo.bulk import run
    from geo.bulk.sources import parse_size

    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    try:
        options = run.Options(output=str(Path(output).resolve()), lang=lang,
                              max_bytes=parse_size(max_item_size))
        plan = run.prepare([_absolute(s) for s in sources], options, parse_size(partition_size))
        click.echo(f"{len(plan.partitions)} partition(s), {len(plan.pending)} to do", err=True)
        results = (run.run_dask(plan, workers, scheduler) if engine == "dask"
                   else run.run_local(plan, workers))
        _follow(results, plan, progress)
    except KharitaError as exc:
        raise click.ClickException(str(exc)) from None
    out = Path(options.output)
    run.gather_failures(out)
    click.echo(_summary_text(run.summary(out), out), err=True)


def _check_installed() -> None:
    """Fail with the install command when the ``bulk`` extra is missing."""
    import importlib.util

    missing = [m for m in ("pyarrow", "fsspec") if importlib.util.find_spec(m) is None]
    if missing:
        raise click.ClickException(f"kharita ingest needs {' and '.join(missing)}: "
                                   "pip install 'kharita[bulk]'")


def _absolute(source: str) -> str:
    """A local path made absolute (workers may start elsewhere); URLs as given."""
    return source if "://" in source else str(Path(source).resolve())


def _follow(results: Any, plan: Any, progress: bool) -> None:
    """Consume the finished partitions, with a bar of bytes done, items/s and ETA."""
    started, documents = time.perf_counter(), 0

    def rate(_: Any) -> str:
        elapsed = max(time.perf_counter() - started, 1e-6)
        return f"{documents} items, {documents / elapsed:.1f} items/s"

    with click.progressbar(length=sum(p.size for p in plan.pending) or 1, label="ingest",
                           show_eta=True, item_show_func=rate, file=sys.stderr,
                           hidden=not progress) as bar:
        for partition, counts in results:
            documents += int(counts.get("documents", 0))
            bar.update(partition.size, current_item=partition)


def _summary_text(totals: dict[str, Any], out: Path) -> str:
    """The end-of-run summary (also readable as JSON on the last line)."""
    features = ", ".join(f"{k} {v}" for k, v in totals["features"].items()) or "none"
    failures = ", ".join(f"{k} {v}" for k, v in totals["failures"].items()) or "none"
    return (f"{totals['documents']} documents, {totals['mentions']} mentions\n"
            f"features: {features}\nfailures: {failures} (see {out / 'failures.jsonl'})\n"
            f"{json.dumps(totals, sort_keys=True)}")
