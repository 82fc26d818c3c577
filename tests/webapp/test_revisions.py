"""Revisions: history, viewing and restoring, maps that follow corrections, and a server killed
mid-save (SIGKILL during a batch of saves) that leaves every revision whole."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from tests.webapp.conftest import TEXT_EN, sample_result
from webapp.feature_ids import layer_feature_ids
from webapp.store import RevisionConflictError, Store


def zone_id(doc_id: str) -> str:
    """The id of the zone of ``sample_result`` (and ``big_layers``) in a document."""
    zone = sample_result()[1]["control_zones"]["features"]
    return layer_feature_ids(doc_id, "control_zones", zone)[0]


def note_change(doc_id: str, note: str) -> dict:
    return {"op": "feature", "id": zone_id(doc_id), "note": note}


def save(client, doc_id: str, *changes: dict, tag: str):
    return client.post(f"/api/v1/documents/{doc_id}/corrections",
                       json={"changes": list(changes)}, headers={"If-Match": tag})


def test_history_lists_every_revision_and_restore_is_a_new_one(client, stored):
    first = save(client, stored.id, note_change(stored.id, "first"), tag='"rev-0"')
    assert first.status_code == 200
    assert save(client, stored.id, {"op": "feature", "id": zone_id(stored.id),
                                    "action": "reject"}, tag='"rev-1"').status_code == 200
    page = client.get(f"/documents/{stored.id}/history").get_data(as_text=True)
    for number in (0, 1, 2):
        assert f'data-revision="{number}"' in page
    assert "machine reading" in page and "rejected" in page
    listed = client.get(f"/api/v1/documents/{stored.id}/revisions").get_json()["revisions"]
    assert [r["number"] for r in listed] == [2, 1, 0]
    assert {r["author"] for r in listed} == {"owner", "kharita"}
    assert client.get(f"/documents/{stored.id}.geojson").get_json()["features"][-1][
        "properties"]["layer"] == "mentions"  # the zone is rejected: off the download
    old = client.get(f"/api/v1/documents/{stored.id}/revisions/1").get_json()["revision"]
    assert old["layers"]["control_zones"]["features"][0]["properties"]["note"] == "first"
    view = client.get(f"/documents/{stored.id}/revisions/1")
    assert view.status_code == 200 and "first" in view.get_data(as_text=True)
    restored = client.post(f"/api/v1/documents/{stored.id}/revisions/1/restore",
                           headers={"If-Match": '"rev-2"'})
    assert restored.status_code == 200 and restored.headers["ETag"] == '"rev-3"'
    assert restored.get_json()["revision"]["summary"] == "restored revision 1"
    zone = [f for f in client.get(f"/documents/{stored.id}.geojson").get_json()["features"]
            if f["properties"]["layer"] == "control_zones"]
    assert zone and zone[0]["properties"]["note"] == "first"
    assert zone[0]["properties"]["review"] == "machine"  # a note alone does not edit it
    form = client.post(f"/documents/{stored.id}/revisions/0/restore", data={"revision": "3"})
    assert form.status_code == 303
    assert client.get(f"/api/v1/documents/{stored.id}").headers["ETag"] == '"rev-4"'
    assert client.get(f"/documents/{stored.id}/revisions/9").status_code == 404


def test_a_correction_changes_the_map_and_embed(client, stored):
    before = client.get(f"/embed/{stored.map_id}").get_data(as_text=True)
    assert save(client, stored.id, {"op": "feature", "id": zone_id(stored.id),
                                    "action": "verify"}, tag='"rev-0"').status_code == 200
    data = client.get(f"/maps/{stored.map_id}.geojson").get_json()
    zone = next(f for f in data["features"] if f["properties"]["layer"] == "control_zones")
    assert zone["properties"]["review"] == "verified"
    assert client.get(f"/embed/{stored.map_id}").get_data(as_text=True) != before


def test_the_map_history_lists_its_documents_revisions(client, stored):
    assert save(client, stored.id, note_change(stored.id, "seen on the ground"),
                tag='"rev-0"').status_code == 200
    page = client.get(f"/maps/{stored.map_id}/history").get_data(as_text=True)
    assert f'data-document="{stored.id}" data-revision="1"' in page
    assert f'data-document="{stored.id}" data-revision="0"' in page
    assert page.index('data-revision="1"') < page.index('data-revision="0"')  # newest first
    assert "Stored report" in page
    assert f"/maps/{stored.map_id}/history" in client.get(f"/maps/{stored.map_id}").get_data(
        as_text=True)


def test_the_store_refuses_a_save_from_an_old_revision(app, stored):
    store: Store = app.extensions["kharita.store"]
    state = store.document_state(stored.id)
    assert state is not None
    store.save_revision(stored.id, expected=0, author="a", summary="one",
                        mentions=state.mentions, layers=state.layers)
    with pytest.raises(RevisionConflictError) as caught:
        store.save_revision(stored.id, expected=0, author="b", summary="two",
                            mentions=[], layers={})
    assert caught.value.current == 1
    again = store.document_state(stored.id)
    assert again is not None and again.mentions == state.mentions  # "two" left no trace
    assert [r.number for r in store.list_revisions(stored.id)] == [1, 0]




def test_racing_saves_from_one_revision_keep_exactly_one(store):
    mentions, layers = sample_result()
    doc = store.add_document(text=TEXT_EN, title="Race", lang="en", mentions=mentions,
                             layers=layers)
    outcomes: list[str] = []
    start = threading.Barrier(4)

    def save_as(author: str) -> None:
        changed = json.loads(json.dumps(layers))
        changed["control_zones"]["features"][0]["properties"]["note"] = author
        start.wait()
        try:
            store.save_revision(doc.id, expected=0, author=author, summary=author,
                                mentions=mentions, layers=changed)
            outcomes.append(author)
        except RevisionConflictError as error:
            assert error.current == 1
            outcomes.append("conflict")

    threads = [threading.Thread(target=save_as, args=(f"editor {n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [o for o in outcomes if o != "conflict"]
    assert len(winners) == 1 and outcomes.count("conflict") == 3
    state = store.document_state(doc.id)
    assert state is not None and state.record.revision == 1
    zone = state.layers["control_zones"]["features"][0]["properties"]
    assert zone["note"] == winners[0]
    assert [(r.number, r.author) for r in store.list_revisions(doc.id)] == [
        (1, winners[0]), (0, "kharita")]
    assert store.corrected_documents() == [doc.id]
    assert store.get_layers(doc.id)["control_zones"]["features"][0]["properties"]["review"] == (
        "machine")


# --- the kill test ---------------------------------------------------------------------------
ROOT = Path(__file__).resolve().parents[2]  # this checkout: the server runs its code


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "KHARITA_DATABASE_URL": f"sqlite:///{db}", "KHARITA_DEMO_MAP": "0",
           "KHARITA_PARSE_WORKERS": "0",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    code = ("from webapp import create_app, serve; "
            f"serve(create_app(), host='127.0.0.1', port={port}, threads=4)")
    server = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=db.parent,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/api/v1/documents", timeout=1)
            return server
        except requests.ConnectionError:
            time.sleep(0.1)
    server.kill()
    raise AssertionError("the server did not start")


def big_layers(text: str) -> tuple[list, dict]:
    """The hand-made result with a zone of 20,000 vertices: each save writes ~1 MB."""
    mentions, layers = sample_result(text)
    ring = [[-4 + 8 * i / 20_000, 15 + (i % 2) * 0.001] for i in range(20_000)]
    ring += [[4.0, 20.0], [-4.0, 20.0], ring[0]]
    layers["control_zones"]["features"][0]["geometry"] = {"type": "Polygon",
                                                          "coordinates": [ring]}
    return mentions, layers


def renamed(store, doc_id: str, name: str) -> None:
    """Save a correction renaming the document's mention feature to ``name``."""
    state = store.document_state(doc_id, private=True)
    layers = json.loads(json.dumps(state.layers))
    layers["mentions"]["features"][0]["properties"]["name"] = name
    mentions = [{**m, "surface": name} if m.get("place") else m for m in state.mentions]
    store.save_revision(doc_id, expected=state.record.revision, author="ed", summary=name,
                        mentions=mentions, layers=layers)


def public_names(store, doc_id: str, *, private: bool = False) -> dict[str, object]:
    """What every store read shows of ``doc_id``'s Kidal feature, public or private."""
    def names(features) -> list[str]:
        return [f["properties"]["name"] for f in features]

    index = store.layer_index("mentions", private=private)["mentions"]
    return {
        "layers": names(store.get_layers(doc_id, ["mentions"], private=private)["mentions"]
                        ["features"]),
        "features": names(store.features("mentions", private=private)),
        "mentions": [m["surface"] for m in store.get_mentions(doc_id, private=private)
                     if m.get("place")],
        "revision": store.get_document(doc_id, private=private).revision,
        "index": [entry.revision for entry in index],
        "history": [r.number for r in store.list_revisions(doc_id, private=private)],
    }


def test_the_public_reads_the_published_revision(store):
    mentions, layers = sample_result()
    doc = store.add_document(text=TEXT_EN, title="Pinned", lang="en", mentions=mentions,
                             layers=layers, public=False)
    renamed(store, doc.id, "Kidal one")
    store.set_document_public(doc.id, True)
    renamed(store, doc.id, "Kidal two")
    renamed(store, doc.id, "Kidal three")
    assert public_names(store, doc.id) == {
        "layers": ["Kidal one"], "features": ["Kidal one"], "mentions": ["Kidal one"],
        "revision": 1, "index": [1], "history": [1, 0]}
    assert public_names(store, doc.id, private=True) == {
        "layers": ["Kidal three"], "features": ["Kidal three"], "mentions": ["Kidal three"],
        "revision": 3, "index": [3], "history": [3, 2, 1, 0]}
    assert store.get_revision(doc.id, 2) is None and store.get_revision(doc.id, 1) is not None
    store.set_document_public(doc.id, True)
    assert public_names(store, doc.id)["layers"] == ["Kidal three"]
    store.set_document_public(doc.id, False)
    assert store.get_layers(doc.id) == {} and store.layer_ids() == []


def test_a_server_killed_mid_batch_leaves_the_last_complete_revision(tmp_path):
    db = tmp_path / "kill.sqlite3"
    store = Store(f"sqlite:///{db}")
    mentions, layers = big_layers(TEXT_EN)
    doc = store.add_document(text=TEXT_EN, title="Kill", lang="en", mentions=mentions,
                             layers=layers)
    store.close()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(db, port)
    acknowledged: list[int] = []
    failures: list[str] = []
    stop = threading.Event()

    def batch() -> None:
        with requests.Session() as http:
            revision = 0
            while not stop.is_set():
                try:
                    answer = http.post(
                        f"{base}/api/v1/documents/{doc.id}/corrections", timeout=10,
                        json={"changes": [note_change(doc.id, f"note {revision + 1}")]},
                        headers={"If-Match": f'"rev-{revision}"'})
                except requests.ConnectionError:
                    return  # the server is gone
                if answer.status_code != 200:
                    failures.append(answer.text)
                    return
                revision += 1
                acknowledged.append(revision)

    sender = threading.Thread(target=batch)
    sender.start()
    deadline = time.monotonic() + 60
    while len(acknowledged) < 5 and sender.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    if len(acknowledged) < 5:
        server.kill()
        server.wait()
        raise AssertionError(f"the saves before the kill did not go through: {failures}")
    time.sleep(0.137)  # somewhere inside a save
    server.send_signal(signal.SIGKILL)
    server.wait()
    stop.set()
    sender.join()

    server = start_server(db, port)  # the restart
    try:
        with requests.Session() as http:
            current = int(http.get(f"{base}/api/v1/documents/{doc.id}").headers["ETag"][5:-1])
            listed = http.get(f"{base}/api/v1/documents/{doc.id}/revisions").json()["revisions"]
            assert [r["number"] for r in listed] == list(range(current, -1, -1))
            # nothing acknowledged was lost; at most the save in flight committed unanswered
            assert current - acknowledged[-1] in (0, 1)
            for number in range(1, current + 1):
                body = http.get(f"{base}/api/v1/documents/{doc.id}/revisions/{number}").json()
                zone = body["revision"]["layers"]["control_zones"]["features"][0]
                assert zone["properties"]["note"] == f"note {number}"
                assert len(zone["geometry"]["coordinates"][0]) == 20_003
            shown = http.get(f"{base}/documents/{doc.id}.geojson").json()["features"]
            zone = next(f for f in shown if f["properties"]["layer"] == "control_zones")
            assert zone["properties"]["note"] == f"note {current}"
            after = http.post(f"{base}/api/v1/documents/{doc.id}/corrections",
                              json={"changes": [note_change(doc.id, "after")]},
                              headers={"If-Match": f'"rev-{current}"'})
            assert after.status_code == 200
    finally:
        server.kill()
        server.wait()
