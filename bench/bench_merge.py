"""Benchmark: merging the event features of many reports into events (geo.merge).

Usage::

    .venv/bin/python bench/bench_merge.py [--reports 10000] [--per-report 3] [--seed 15]

Generates ``--reports`` reports from 20 outlets over one year, each drawing
``--per-report`` event features (attacks, strikes, control zones, deployments)
around 300 towns of the Sahel, with a fifth of the reports retelling an
earlier report's event (same town, a day or two later, another outlet), then
times :func:`geo.merge.merge_features` and :func:`geo.timeline.close_states`
over all of them, as a map combining those reports does. Target (issue 15):
under 60 s on the 2-core development machine.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta

from geo.merge import Source, merge_features
from geo.timeline import close_states, stamp

LAYERS = ("attacks", "strikes", "control_zones", "deployments")
ACTORS = ("JNIM", "ISGS", "Malian army", "Wagner", "MNLA", "")


def reports(count: int, per_report: int, seed: int) -> tuple[list[dict], dict[str, Source]]:
    """Features of ``count`` synthetic reports and their sources."""
    rng = random.Random(seed)
    towns = [(rng.uniform(-12, 15), rng.uniform(10, 24)) for _ in range(300)]
    start = date(2024, 1, 1)
    features: list[dict] = []
    sources: dict[str, Source] = {}
    for n in range(count):
        doc = f"d{n:06d}"
        outlet = rng.randrange(20)
        sources[doc] = Source(title=f"Report {n}", url=f"https://outlet{outlet}.example/{n}")
        retold = features and rng.random() < 0.2
        for k in range(per_report):
            if retold:
                base = rng.choice(features)["properties"]
                lon, lat, layer, actor = base["lon"], base["lat"], base["layer"], base["actor"]
                day = date.fromisoformat(base["date"]) + timedelta(days=rng.randint(0, 2))
            else:
                lon, lat = rng.choice(towns)
                layer, actor = rng.choice(LAYERS), rng.choice(ACTORS)
                day = start + timedelta(days=rng.randrange(366))
            lon, lat = lon + rng.gauss(0, 0.02), lat + rng.gauss(0, 0.02)
            props = {"layer": layer, "name": "x", "actor": actor, "date": day.isoformat(),
                     "confidence": round(rng.uniform(0.3, 0.9), 3), "precision": 1,
                     "document": doc, "lon": lon, "lat": lat, "places": [f"t{lon:.1f}"]}
            features.append({"type": "Feature", "id": f"{doc}.{layer}.{k}",
                             "geometry": {"type": "Point", "coordinates": [lon, lat]},
                             "properties": stamp(props, layer=layer,
                                                 reported=day.isoformat())})
    return features, sources


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--per-report", type=int, default=3)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    features, sources = reports(args.reports, args.per_report, args.seed)
    began = time.perf_counter()
    merged = merge_features(features, sources)
    after_merge = time.perf_counter()
    closed = close_states(merged)
    done = time.perf_counter()
    several = sum(1 for f in merged if len(f["properties"].get("sources", ())) > 1)
    contested = sum(1 for f in merged if f["properties"].get("contested"))
    print(f"{args.reports} reports, {len(features)} features -> {len(merged)} features "
          f"({several} told by several reports, {contested} contested, "
          f"{sum(1 for f in closed if f['properties'].get('valid_to'))} states closed)")
    print(f"merge {after_merge - began:.2f} s, close states {done - after_merge:.2f} s, "
          f"total {done - began:.2f} s (target < 60 s)")


if __name__ == "__main__":
    main()
