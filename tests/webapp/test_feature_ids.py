"""Feature ids name what a feature reports, so edits stay on their feature through rebuilds.

The document goes through the real pipeline (tests/webapp/conftest.py ``document``); a
correction of a mention rebuilds its layers, and every reader (download, API, OGC) must
still name the features an editor verified or edited by the ids they had.
"""

from __future__ import annotations

import copy
import json

from tests.webapp.test_corrections import feature_id, features, mention_index, save
from webapp.corrections import merge_pinned
from webapp.feature_ids import layer_feature_ids, legacy_origin_key, origin_key


def event(name: str, start: int, places: list[str], actor: str | None = "JNIM") -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1.0, 18.0]},
            "properties": {"layer": "attacks", "name": name, "trigger": "attacked",
                           "evidence": [{"start": start, "end": start + 20}],
                           "places": places, "actor": actor, "review": "machine"}}


def layer(*found: dict) -> dict[str, dict]:
    return {"attacks": {"type": "FeatureCollection", "features": list(found)}}


def test_a_verified_feature_keeps_its_id_and_state_through_a_rebuild(client, document):
    before = features(client, document.id)
    mention = next(fid for fid, f in before.items() if f["properties"]["name"] == "Kidal")
    meeting = feature_id(client, document.id, "meetings")
    assert save(client, document.id, {"op": "feature", "id": mention, "action": "verify"},
                {"op": "feature", "id": meeting, "action": "verify"}).status_code == 200
    niger = mention_index(client, document.id, "Niger")
    saved = save(client, document.id, {"op": "not_place", "mention": niger})
    assert saved.status_code == 200 and saved.get_json()["rebuilt"]
    after = features(client, document.id)
    assert after[mention]["properties"]["review"] == "verified"
    assert after[meeting]["properties"]["review"] == "verified"
    assert after[mention]["properties"]["name"] == "Kidal"
    niger = {fid for fid, f in before.items()
             if f["properties"]["layer"] == "mentions" and f["properties"]["name"] == "Niger"}
    assert len(niger) == 1 and not niger & set(after)
    # every other feature keeps its id, touched or not, though one before it went
    assert set(before) - niger <= set(after)


def test_every_reader_names_a_feature_by_the_same_id(client, document):
    zone = feature_id(client, document.id, "control_zones")
    assert save(client, document.id, {"op": "feature", "id": zone, "action": "verify"},
                {"op": "not_place", "mention": mention_index(client, document.id, "Niger")}
                ).status_code == 200
    api = client.get(f"/api/v1/documents/{document.id}/layers.geojson").get_json()
    on_map = client.get(f"/maps/{document.map_id}.geojson").get_json()
    ogc = client.get("/ogc/collections/control_zones/items?f=json").get_json()
    for body in (api, on_map, ogc):
        assert zone in {f["id"] for f in body["features"]}
    item = client.get(f"/ogc/collections/control_zones/items/{zone}?f=json")
    assert item.status_code == 200 and item.get_json()["properties"]["review"] == "verified"
    revision = client.get(f"/documents/{document.id}/revisions/1.geojson").get_json()
    assert zone in {f["id"] for f in revision["features"]}


def test_editing_a_feature_does_not_change_its_id(client, document):
    meeting = feature_id(client, document.id, "meetings")
    assert save(client, document.id, {"op": "feature", "id": meeting,
                                      "set": {"actor": "Ministers", "date": "2024-05"}}
                ).status_code == 200
    assert features(client, document.id)[meeting]["properties"]["actor"] == "Ministers"


def test_a_feature_drawn_before_a_verified_one_does_not_renumber_it():
    first, second = event("Gao", 100, ["gn:1"]), event("Kidal", 300, ["gn:2"])
    previous = layer(first, second)
    [_, second_id] = layer_feature_ids("d1", "attacks", previous["attacks"]["features"])
    second["properties"].update(review="verified",
                                origin_key=origin_key(second["properties"], "attacks"))
    rebuilt = merge_pinned(layer(event("Menaka", 10, ["gn:3"]), copy.deepcopy(first),
                                 event("Kidal", 300, ["gn:2"])), previous)
    shown = rebuilt["attacks"]["features"]
    ids = layer_feature_ids("d1", "attacks", shown)
    assert len(shown) == 3
    assert shown[ids.index(second_id)]["properties"]["review"] == "verified"


def test_true_duplicates_are_numbered_in_their_order():
    ids = layer_feature_ids("d1", "attacks", [event("Gao", 5, ["gn:1"])] * 3)
    key = ids[0].rpartition(".")[2]
    assert ids == [f"d1.attacks.{key}", f"d1.attacks.{key}-2", f"d1.attacks.{key}-3"]
    other = layer_feature_ids("d1", "attacks", [event("Gao", 5, ["gn:1"], actor="ISGS")])
    assert other[0] != ids[0]  # the actor tells two events of one sentence apart


def test_a_feature_pinned_before_actors_were_in_the_key_still_replaces_its_origin():
    machine = event("Gao", 5, ["gn:1"])
    edited = copy.deepcopy(machine)
    old_key = legacy_origin_key(origin_key(machine["properties"], "attacks"))
    assert len(json.loads(old_key)) == 4
    edited["properties"].update(review="edited", actor="AQIM", origin_key=old_key)
    rebuilt = merge_pinned(layer(copy.deepcopy(machine)), layer(edited))
    assert [f["properties"]["actor"] for f in rebuilt["attacks"]["features"]] == ["AQIM"]
