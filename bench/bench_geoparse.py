"""Benchmark the geoparser on the shared development corpora.

Prints, per corpus: documents/s and KB/s of ``geo.geoparse`` on one core;
the index load time (build from scratch, first load in a fresh process, warm
load in a fresh process); the peak RSS of a process that loads the index and
parses everything; and the peer ``flashgeotext`` timed on the same English
texts in the same run, with the speed ratio.

Usage::

    .venv/bin/python bench/bench_geoparse.py [--eval-dir ../shared/eval] [--rebuild] [--cpu-time]
    KHARITA_PURE_PYTHON=1 .venv/bin/python bench/bench_geoparse.py   # the pure-Python geoparser
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ("anercorp_train", "idrisi_d_ar", "lgl", "tr_news", "hipe2020_fr")


def load_docs(eval_dir: Path, name: str) -> list[dict]:
    """Documents of one corpus."""
    with (eval_dir / f"{name}.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def time_load(rebuild: bool) -> float:
    """Seconds to get a ready gazetteer + match index in a fresh process."""
    flag = "True" if rebuild else "False"
    code = (
        "import time; t=time.perf_counter()\n"
        "from geo.gazetteer import Gazetteer; from geo.matchindex import match_index\n"
        f"g=Gazetteer.load(rebuild={flag}); match_index(g)\n"
        "print(time.perf_counter()-t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def geoparser_build() -> str:
    """Which geoparser runs: compiled modules or the pure-Python sources."""
    import importlib

    from geo.compiled import COMPILED_MODULES, PURE_ENV, is_compiled

    built = sum(is_compiled(importlib.import_module(m)) for m in COMPILED_MODULES)
    if not built:
        return f"pure Python ({PURE_ENV}=1 or no compiled modules; pip install -e . builds them)"
    return f"compiled by Cython ({built} of {len(COMPILED_MODULES)} modules)"


def bench_kharita(
    corpora: dict[str, list[dict]], clock: Callable[[], float] = time.perf_counter
) -> dict[str, dict[str, float]]:
    """Throughput of geoparse per corpus, in the order given, timed by ``clock``."""
    from geo import geoparse

    out = {}
    for name, docs in corpora.items():
        chars = sum(len(d["text"].encode("utf-8")) for d in docs)
        started = clock()
        mentions = sum(len(geoparse(d["text"], lang=d.get("lang")).mentions) for d in docs)
        seconds = clock() - started
        out[name] = {"docs": len(docs), "kb": chars / 1024, "seconds": seconds,
                     "docs_per_s": len(docs) / seconds, "kb_per_s": chars / 1024 / seconds,
                     "mentions": mentions}
    return out


def bench_flashgeotext(
    docs: list[dict], clock: Callable[[], float] = time.perf_counter
) -> float | None:
    """Seconds flashgeotext takes on ``docs`` by ``clock`` (None when it is not installed)."""
    try:
        from flashgeotext.geotext import GeoText
    except ImportError:
        return None
    geotext = GeoText()
    started = clock()
    for d in docs:
        geotext.extract(input_text=d["text"])
    return clock() - started


def peer_quality(docs: list[dict]) -> dict[str, dict[str, float]] | None:
    """Recognition P/R/F1 of kharita and of flashgeotext on the same gold
    documents, scored by :func:`geo.evaluate.evaluate` (flashgeotext gives
    names and spans but no coordinates, so only recognition compares)."""
    try:
        from flashgeotext.geotext import GeoText
    except ImportError:
        return None
    from geo import geoparse
    from geo.evaluate import evaluate
    from geo.gazetteer import get_gazetteer
    from geo.records import GeoparseResult, Mention

    geotext = GeoText()

    def peer(text: str, lang: str | None) -> GeoparseResult:
        found = geotext.extract(input_text=text, span_info=True)
        spans = sorted({span for group in found.values() for hit in group.values()
                        for span in hit["span_info"]})
        mentions = tuple(
            Mention(start=a, end=b, surface=text[a:b], kind="toponym", place=None,
                    precision=None, confidence=0.0, sentence=(0, 0), reason="peer")
            for a, b in spans)
        return GeoparseResult(text=text, lang=lang or "en", mentions=mentions, sentences=())

    def ours(text: str, lang: str | None) -> GeoparseResult:
        return geoparse(text, lang=lang)

    gazetteer = get_gazetteer()
    out = {}
    for label, parse in (("kharita", ours), ("flashgeotext", peer)):
        summary = evaluate(docs, parse, gazetteer=gazetteer)["en"].summary()
        out[label] = {k: summary[k] for k in ("precision", "recall", "f1", "acc161")}
    return out


def print_results(label: str, results: dict[str, dict[str, float]]) -> None:
    """One line per corpus and a total."""
    print(f"\n{label}\n{'corpus':<16} {'docs':>6} {'KB':>8} {'docs/s':>9} {'KB/s':>9} "
          f"{'mentions':>9}")
    for name, r in results.items():
        print(f"{name:<16} {r['docs']:>6} {r['kb']:>8.0f} {r['docs_per_s']:>9.0f} "
              f"{r['kb_per_s']:>9.0f} {r['mentions']:>9}")
    total_kb = sum(r["kb"] for r in results.values())
    total_s = sum(r["seconds"] for r in results.values())
    print(f"{'all':<16} {'':>6} {total_kb:>8.0f} {'':>9} {total_kb / total_s:>9.0f}")


def main() -> None:
    """Run every measurement and print a report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--rebuild", action="store_true", help="also time a full index build")
    parser.add_argument("--cpu-time", action="store_true",
                        help="time kharita and flashgeotext by this process's CPU time, not the "
                             "wall clock (steadier on a shared, loaded machine)")
    args = parser.parse_args()
    clock = time.process_time if args.cpu_time else time.perf_counter

    print(f"geoparser: {geoparser_build()}")
    if args.rebuild:
        print(f"index build from scratch: {time_load(rebuild=True):.2f} s")
    print(f"index load, first fresh process: {time_load(rebuild=False):.2f} s")
    print(f"index load, warm fresh process:  {time_load(rebuild=False):.2f} s")

    corpora = {n: load_docs(args.eval_dir, n) for n in CORPORA
               if (args.eval_dir / f"{n}.jsonl").exists()}
    from geo import geoparse

    geoparse("warm-up: Mali", lang="en")  # loads the index
    # First pass: caches (name lookups, place records, directional-part
    # geometry) fill as they go. Second pass: a long-running server's state.
    passes = {}
    for label in ("first pass (cold caches)", "second pass (warm caches)"):
        passes[label] = bench_kharita(corpora, clock)
        print_results(label, passes[label])

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    jobs = os.cpu_count() or 1
    if jobs > 1:
        from geo.pipeline import geoparse_many

        docs = [(d["text"], d.get("lang")) for c in corpora.values() for d in c]
        size = sum(len(text.encode("utf-8")) for text, _ in docs) / 1024
        started = time.perf_counter()
        for _ in geoparse_many(docs, jobs=jobs, chunksize=32):
            pass
        seconds = time.perf_counter() - started
        print(f"all corpora on {jobs} worker processes (geoparse_many): "
              f"{size / seconds:.0f} KB/s")
    print(f"peak RSS (index loaded, all corpora parsed): {rss_mb:.0f} MB")

    english = [d for n in ("lgl", "tr_news") for d in corpora.get(n, [])]
    peer = bench_flashgeotext(english, clock)
    for label, results in passes.items():
        ours = sum(results[n]["seconds"] for n in ("lgl", "tr_news") if n in results)
        if peer is not None and ours:
            print(f"English texts ({len(english)} docs), {label}: kharita {ours:.2f} s, "
                  f"flashgeotext {peer:.2f} s: kharita runs at {peer / ours:.2f}x its speed")
    quality = peer_quality(english)
    for label, q in (quality or {}).items():
        acc = "n/a (no coordinates)" if q["acc161"] is None else f"{q['acc161']:.3f}"
        print(f"English gold toponyms, {label:<12}: P {q['precision']:.3f} R {q['recall']:.3f} "
              f"F1 {q['f1']:.3f} acc@161 {acc}")


if __name__ == "__main__":
    main()
