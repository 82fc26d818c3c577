"""Benchmark: layer build time for the seed article after warm-up, its GeoJSON size,
and how layer building scales with the length of a text.

Usage::

    .venv/bin/python bench/bench_layers.py [TEXT_FILE ...] [--repeat N]
        [--sizes 1 4 16] [--rss-mb 20] [--no-scale]

Without files it reads the seed articles in ``../shared/seeds``. The geoparse
itself is timed separately (it is not part of the layer build); the build is
run once to warm the outline and corridor caches, then ``--repeat`` times.
Targets (issue 3): build under 200 ms, GeoJSON under 1 MB.

Scale (issue 10): the texts repeated up to 1, 4 and 16 MB (UTF-8), layer build
time per MB for each (best of two runs below 16 MB: the development machine is
shared); targets: the 16 MB figure within 1.3x of the 1 MB one, and a peak RSS
under 2 GB for geoparsing and drawing a 20 MB text (measured in a fresh process).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo import geoparse  # noqa: E402
from geo.layers import build_layers, to_feature_collection  # noqa: E402

TARGET_MS, TARGET_BYTES = 200.0, 1_000_000
TARGET_SCALE, TARGET_RSS_MB = 1.3, 2048.0
MB = 1_000_000


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


def long_text(files: list[Path], megabytes: float) -> str:
    """The texts joined and repeated up to ``megabytes`` MB of UTF-8."""
    unit = "\n".join(f.read_text(encoding="utf-8") for f in files) + "\n"
    copies = max(1, round(megabytes * MB / len(unit.encode("utf-8"))))
    return unit * copies


def seconds_per_mb(text: str, runs: int) -> tuple[float, float]:
    """Geoparse time and best layer build time of ``text``, both per MB."""
    size = len(text.encode("utf-8")) / MB
    start = time.perf_counter()
    result = geoparse(text)
    parse = time.perf_counter() - start
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        build_layers(result)
        best = min(best, time.perf_counter() - start)
    return parse / size, best / size


def scale(files: list[Path], sizes: list[float]) -> bool:
    """Print layer build time per MB at each size; whether the largest stays near the first."""
    build_layers(geoparse(files[0].read_text(encoding="utf-8")))  # warm caches
    figures = []
    for size in sizes:
        parse, build = seconds_per_mb(long_text(files, size), 1 if size >= 16 else 2)
        figures.append(build)
        print(f"scale {size:g} MB: layers {build:.2f} s/MB (geoparse {parse:.2f} s/MB)")
    ratio = figures[-1] / figures[0]
    print(f"  {sizes[-1]:g} MB / {sizes[0]:g} MB per-MB time: {ratio:.2f}x "
          f"(target <= {TARGET_SCALE}x)")
    return ratio <= TARGET_SCALE


def peak_rss(files: list[Path], megabytes: float) -> bool:
    """Geoparse and draw a ``megabytes`` MB text in a fresh process; print its peak RSS."""
    code = ("import sys, resource; sys.path.insert(0, sys.argv[1]); "
            "from pathlib import Path; from bench.bench_layers import long_text; "
            "from geo import geoparse; from geo.layers import build_layers; "
            "build_layers(geoparse(long_text([Path(p) for p in sys.argv[3:]], "
            "float(sys.argv[2])))); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    done = subprocess.run([sys.executable, "-c", code, str(ROOT), str(megabytes),
                           *map(str, files)], capture_output=True, text=True, check=True)
    rss_mb = int(done.stdout.split()[-1]) / 1024  # ru_maxrss is in KiB on Linux
    print(f"peak RSS for {megabytes:g} MB (geoparse + layers): {rss_mb:,.0f} MB "
          f"(target < {TARGET_RSS_MB:,.0f} MB)")
    return rss_mb < TARGET_RSS_MB


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--sizes", type=float, nargs="+", default=[1.0, 4.0, 16.0],
                        help="text sizes in MB for the scale figures")
    parser.add_argument("--rss-mb", type=float, default=20.0,
                        help="text size in MB for the peak RSS figure (0: skip)")
    parser.add_argument("--no-scale", action="store_true", help="seed figures only")
    args = parser.parse_args(argv)
    files = args.files or sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))
    if not files:
        print("no input: pass text files or provide ../shared/seeds/*.txt", file=sys.stderr)
        return 2
    ok = all([bench(f, args.repeat) for f in files])
    print(f"targets (<{TARGET_MS:.0f} ms, <{TARGET_BYTES:,} bytes): {'met' if ok else 'MISSED'}")
    if not args.no_scale:
        ok = scale(files, sorted(args.sizes)) and ok
        ok = (args.rss_mb <= 0 or peak_rss(files, args.rss_mb)) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
