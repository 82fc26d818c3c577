"""Budgets from the issue, on the seed article (read from ../shared/seeds, never copied)."""

from __future__ import annotations

import time

import pytest

from webapp.ingest import Submission, ingest
from webapp.store import get_store

pytestmark = pytest.mark.slow


@pytest.fixture
def seed_document(app, seed_text):
    with app.app_context():
        return ingest(get_store(), Submission(text=seed_text, title="Seed"))


def best_of(client, url: str, runs: int = 5) -> tuple[float, int]:
    client.get(url)  # warm: templates compiled, styles loaded
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200
    return min(timings), len(response.data)


def test_seed_document_page_under_300_ms(client, seed_document):
    seconds, size = best_of(client, f"/documents/{seed_document.id}")
    print(f"\nseed document page: {seconds * 1000:.0f} ms warm, {size / 1024:.0f} KiB")
    assert seconds < 0.3


def test_seed_embed_payload_under_1_mb(client, seed_document):
    seconds, size = best_of(client, f"/embed/{seed_document.map_id}")
    packed = client.get(f"/embed/{seed_document.map_id}", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    print(f"\nseed embed page: {size / 1024:.0f} KiB ({len(packed.data) / 1024:.0f} KiB gzip), "
          f"{seconds * 1000:.0f} ms warm")
    assert size < 1_000_000
