"""API batches: a JSON array of reports sent onto a map, queued as jobs like a feed's items,
deduplicated by their text, and refused whole with a 400 naming the bad item."""

from __future__ import annotations

import time

import pytest

from tests.webapp.conftest import TEXT_EN, TEXT_FR
from tests.webapp.stored import TOKEN, token_app
from webapp.ingest import text_digest
from webapp.store import get_store

AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def app(tmp_path):
    return token_app(tmp_path)


@pytest.fixture
def target(app) -> str:
    """An empty public map the batches go onto."""
    with app.app_context():
        return get_store().create_map(title="Sahel wire", document_ids=[]).id


def send(client, map_id: str, body, headers=AUTH):
    return client.post(f"/api/v1/maps/{map_id}/reports", json=body, headers=headers)


def finished(client, job_url: str) -> dict:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        answer = client.get(job_url)
        if answer.status_code != 202:
            return answer.json["job"]
        time.sleep(0.05)
    raise AssertionError(f"{job_url} still parsing")


def on_map(client, map_id: str) -> list[str]:
    return client.get(f"/api/v1/maps/{map_id}").json["map"]["document_ids"]


def test_a_batch_goes_onto_the_map_once(client, app, target):
    batch = [{"text": TEXT_EN, "title": "Kidal wire", "url": "https://wire.example/1",
              "published": "2024-05-01"},
             {"text": TEXT_FR},
             {"text": "  " + TEXT_EN.replace("\n", "\n\n")}]  # the first again, spaced out
    answer = send(client, target, batch)
    assert answer.status_code == 202
    reports = answer.json["reports"]
    assert [r["status"] for r in reports] == ["queued", "queued", "duplicate"]
    jobs = [finished(client, r["job"]["links"]["self"]) for r in reports[:2]]
    assert [j["status"] for j in jobs] == ["done", "done"]
    documents = [j["document_id"] for j in jobs]
    assert on_map(client, target) == documents
    first = client.get(f"/api/v1/documents/{documents[0]}").json["document"]
    assert (first["title"], first["source_url"], first["published"]) == (
        "Kidal wire", "https://wire.example/1", "2024-05-01")
    with app.app_context():
        assert get_store().get_document(documents[0]).map_id is None  # no map of its own
        assert get_store().seen_digest(target, text_digest(TEXT_FR))  # a feed skips it too
    again = send(client, target, batch)
    assert [r["status"] for r in again.json["reports"]] == ["duplicate"] * 3
    assert on_map(client, target) == documents


GOOD = {"text": TEXT_FR}


@pytest.mark.parametrize("body, says", [
    ({"text": TEXT_EN}, "JSON array"),
    ([], "1 to 100 reports"),
    ([GOOD] * 101, "1 to 100 reports"),
    ([GOOD, "just text"], "item 1: expected an object"),
    ([GOOD, {"text": TEXT_EN, "lang": "fr"}], "item 1: unknown field 'lang'"),
    ([GOOD, {"title": "no text"}], "item 1: 'text'"),
    ([GOOD, {"text": "   "}], "item 1: 'text' should not be empty"),
    ([GOOD, {"text": TEXT_EN, "url": "javascript:alert(1)"}], "item 1: 'url' should start"),
    ([GOOD, {"text": TEXT_EN, "published": "yesterday"}],
     "item 1: 'published' should be a date"),
])
def test_a_bad_item_refuses_the_whole_batch_and_queues_nothing(client, app, target, body, says):
    answer = send(client, target, body)
    assert answer.status_code == 400, answer.json
    assert says in answer.json["error"]
    assert on_map(client, target) == []
    with app.app_context():
        assert not get_store().seen_digest(target, text_digest(TEXT_FR))  # the good one too


def test_batches_need_a_write_token_and_a_map_the_caller_sees(client, target):
    assert send(client, target, [{"text": TEXT_EN}], headers={}).status_code == 401
    assert send(client, "m0000000000", [{"text": TEXT_EN}]).status_code == 404
    plain = client.post(f"/api/v1/maps/{target}/reports", data="[]",
                        headers={**AUTH, "Content-Type": "text/plain"})
    assert plain.status_code == 415
