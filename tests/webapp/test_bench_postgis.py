"""bench/bench_postgis.py at 10,000 features: the bulk load writes the rows the store would,
and the timed way answers what a walk over every feature answers."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest
from shapely.geometry import box, shape

from webapp.ogc.features import Collection, FeatureCache, select_features
from webapp.store import Store

pytestmark = pytest.mark.postgres
BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_postgis.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_postgis", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bulk_load_answers_like_the_store(bench, postgres_url):
    store = Store(postgres_url)
    try:
        bench.load(store, features=10_000, documents=20)
        assert store.postgis and store.has_layer(bench.LAYER)
        every = store.features(bench.LAYER)
        assert len(every) == 10_000
        item = Collection(bench.LAYER, bench.LAYER, indexed=False)
        ask = bench.store_asker(store)
        for bbox in bench.random_boxes(random.Random(3), 20):
            expected = [f["id"] for f in every if shape(f["geometry"]).intersects(box(*bbox))]
            assert [f.id for f in select_features(store, FeatureCache(), item, bbox=bbox)
                    ] == expected
            assert ask(bbox) == len(expected)
        latencies, matched = bench.run_clients(ask, bench.random_boxes(random.Random(4), 40), 4)
        assert len(latencies) == len(matched) == 40
    finally:
        store.close()
