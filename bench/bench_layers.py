"""Benchmark: layer build time for the seed article after warm-up, and its GeoJSON size.

Usage::

    .venv/bin/python bench/bench_layers.py [TEXT_FILE ...] [--repeat N]

Without files it reads the seed articles in ``../shared/seeds``. The geoparse
itself is timed separately (it is not part of the layer build); the build is
run once to warm the outline and corridor caches, then ``--repeat`` times.
Targets (issue 3): build under 200 ms, GeoJSON under 1 MB.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo import geoparse  # noqa: E402
from geo.layers import build_layers, to_feature_collection  # noqa: E402

TARGET_MS, TARGET_BYTES = 200.0, 1_000_000


def bench(path: Path, repeat: int) -> bool:
    """Print the figures for one text; return whether both targets are met."""
    text = path.read_text(encoding="utf-8")
    start = time.perf_counter()
    result = geoparse(text)
    parse_ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    build_layers(result)
    cold_ms = (time.perf_counter() - start) * 1000
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        layers = build_layers(result)
        times.append((time.perf_counter() - start) * 1000)
    size = len(json.dumps(to_feature_collection(layers), ensure_ascii=False).encode("utf-8"))
    counts = ", ".join(f"{k}={len(v)}" for k, v in layers.items())
    warm = statistics.median(times)
    print(f"{path.name}: {len(text)} chars, geoparse {parse_ms:.0f} ms (first call loads "
          f"the gazetteer), first build {cold_ms:.1f} ms, warm build median {warm:.1f} ms "
          f"(min {min(times):.1f}, max {max(times):.1f}, n={repeat}), GeoJSON {size:,} bytes")
    print(f"  layers: {counts}")
    print(f"  skipped: {len(layers['mentions'].attrs['skipped'])}")
    return warm < TARGET_MS and size < TARGET_BYTES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    files = args.files or sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))
    if not files:
        print("no input: pass text files or provide ../shared/seeds/*.txt", file=sys.stderr)
        return 2
    ok = all([bench(f, args.repeat) for f in files])
    print(f"targets (<{TARGET_MS:.0f} ms, <{TARGET_BYTES:,} bytes): {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
