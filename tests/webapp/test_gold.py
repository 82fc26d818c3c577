"""``kharita export-gold``: corrected documents round-trip through ``kharita eval`` and
``kharita eval --events`` (real pipeline, real gazetteer)."""

from __future__ import annotations

import json
from datetime import date, timedelta

from click.testing import CliRunner

from geo.event_gold import check_document
from geo.gazetteer import get_gazetteer
from webapp.cli import cli

SQUARE = {"type": "Polygon", "coordinates": [[[0, 10], [2, 10], [2, 12], [0, 12], [0, 10]]]}


def save(client, doc_id: str, *changes: dict) -> None:
    tag = client.get(f"/api/v1/documents/{doc_id}").headers["ETag"]
    answer = client.post(f"/api/v1/documents/{doc_id}/corrections",
                         json={"changes": list(changes)}, headers={"If-Match": tag})
    assert answer.status_code == 200, answer.get_json()


def export(app, tmp_path, *args: str) -> list[dict]:
    out = tmp_path / "gold.jsonl"
    result = CliRunner().invoke(cli, ["export-gold", *args, "-o", str(out)],
                                env={"KHARITA_DATABASE_URL": app.config["DATABASE_URL"]})
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_corrected_documents_round_trip_through_both_scorers(app, client, document, tmp_path):
    assert export(app, tmp_path) == []  # nothing corrected yet: nothing is gold
    mentions = client.get(f"/api/v1/documents/{document.id}").get_json()["document"]["mentions"]
    niger = next(i for i, m in enumerate(mentions) if m["surface"] == "Niger")
    shown = client.get(f"/documents/{document.id}.geojson").get_json()["features"]
    zone = next(f["id"] for f in shown if f["properties"]["layer"] == "control_zones")
    meeting = next(f["id"] for f in shown if f["properties"]["layer"] == "meetings")
    save(client, document.id, {"op": "not_place", "mention": niger})
    shown = client.get(f"/documents/{document.id}.geojson").get_json()["features"]
    flows = [f["id"] for f in shown if f["properties"]["layer"] == "displacement"]
    save(client, document.id, {"op": "feature", "id": zone, "action": "verify"},
         {"op": "feature", "id": meeting, "geometry": SQUARE},
         *({"op": "feature", "id": flow, "action": "reject"} for flow in flows),
         {"op": "add_feature", "layer": "deployments", "name": "Gao garrison",
          "evidence": [0, 40], "geometry": {"type": "Point", "coordinates": [-0.04, 16.27]}})

    gold = export(app, tmp_path)
    assert len(gold) == 1
    doc = gold[0]
    assert doc["id"] == document.id and doc["lang"] == "en"
    assert "Niger" not in [t["name"] for t in doc["toponyms"]]
    assert {t["name"] for t in doc["toponyms"]} >= {"Kidal", "Mali", "Nouakchott"}
    assert {e["layer"] for e in doc["events"]} == {"control_zones", "meetings", "deployments"}
    drawn = next(e for e in doc["events"] if e["layer"] == "meetings")
    assert drawn["anchors"][0]["point"][0] > 10 and drawn["anchors"][0]["radius_km"] >= 50
    check_document(doc, get_gazetteer(), where="gold.jsonl:1")  # the events gold validator

    path = tmp_path / "gold.jsonl"
    runner = CliRunner()
    mentions_run = runner.invoke(cli, ["eval", str(path), "--json"])
    assert mentions_run.exit_code == 0, mentions_run.output
    scores = json.loads(mentions_run.output)["gold.jsonl"]["en"]
    assert scores["gold"] == len(doc["toponyms"]) and scores["recall"] == 1.0
    assert scores["predicted"] == scores["gold"] + 1  # the machine still reads "Niger"
    events_run = runner.invoke(cli, ["eval", "--events", str(path), "--json"])
    assert events_run.exit_code == 0, events_run.output
    layers = json.loads(events_run.output)["layers"]
    assert layers["control_zones"]["tp"] == 1  # verified: the machine was right
    assert layers["displacement"] == {**layers["displacement"], "gold": 0, "tp": 0}  # rejected
    assert layers["displacement"]["predicted"] >= 1
    assert (layers["meetings"]["gold"], layers["meetings"]["tp"]) == (1, 0)  # moved by hand
    assert (layers["deployments"]["gold"], layers["deployments"]["tp"]) == (1, 0)  # missed


def test_since_keeps_documents_corrected_from_that_day(app, client, document, tmp_path):
    shown = client.get(f"/documents/{document.id}.geojson").get_json()["features"]
    save(client, document.id, {"op": "feature", "id": shown[0]["id"], "action": "verify"})
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert export(app, tmp_path, "--since", tomorrow) == []
    assert len(export(app, tmp_path, "--since", date.today().isoformat())) == 1
