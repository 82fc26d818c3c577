"""Dates on stored features: reported, states closed across documents, ``datetime`` filters.

The JSON API, every download format and the OGC API answer the same features
for the same window (:func:`geo.timeline.overlaps`).
"""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import pyogrio
import pytest

from tests.webapp.stored import collection, point, token_app
from webapp.ingest import Submission, ingest
from webapp.store import get_store


@pytest.fixture
def app(tmp_path):
    return token_app(tmp_path)


def zone(actor: str, date_: str | None = None) -> dict:
    ring = [[0.9, 18.0], [1.9, 18.0], [1.9, 18.9], [0.9, 18.9], [0.9, 18.0]]
    props = {"layer": "control_zones", "name": "Kidal", "confidence": 0.8, "precision": 1,
             "actor": actor, "places": ["gn:2455290"], "evidence": [], "trigger": "seized"}
    if date_:
        props["date"] = date_
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": props}


def attack(name: str, lon: float, lat: float, date_: str) -> dict:
    feature = point(name, lon, lat)
    feature["properties"].update(layer="attacks", date=date_, date_source="text")
    return feature


@pytest.fixture
def timed(app) -> dict[str, str]:
    """Two reports on Kidal (taken 2012, retaken 2023) and an undated one, on one map."""
    with app.app_context():
        store = get_store()
        first = store.add_document(
            text="Kidal taken", title="2012 report", lang="en", mentions=[],
            published=date(2012, 4, 2),
            layers={"control_zones": collection(zone("MNLA", "2012-03-30")),
                    "attacks": collection(attack("Aguelhok", 1.05, 19.46, "2012-01-24"))})
        second = store.add_document(
            text="Kidal retaken", title="2023 report", lang="en", mentions=[],
            published=date(2023, 11, 15),
            layers={"control_zones": collection(zone("Malian army")),
                    "attacks": collection(attack("Anefis", 0.93, 17.98, "2023-10-07"))})
        both = store.create_map(title="Kidal", document_ids=[first.id, second.id])
        return {"first": first.id, "second": second.id, "map": both.id}


def features(client, url: str, **args) -> list[dict]:
    response = client.get(url, query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json["features"]


def test_map_layers_carry_reported_and_closed_validity(client, timed) -> None:
    found = features(client, f"/api/v1/maps/{timed['map']}/layers.geojson")
    zones = {f["properties"]["actor"]: f["properties"] for f in found
             if f["properties"]["layer"] == "control_zones"}
    assert zones["MNLA"]["valid_from"] == "2012-03-30"  # the text's date
    assert zones["MNLA"]["valid_to"] == "2023-11-15"  # the day the retaking was reported
    army = next(f["id"] for f in found if f["properties"].get("actor") == "Malian army")
    assert army.startswith(f"{timed['second']}.control_zones.")
    assert zones["MNLA"]["closed_by"] == army
    assert (zones["Malian army"]["valid_from"], zones["Malian army"]["valid_to"]) == (
        "2023-11-15", None)
    assert {f["properties"]["reported"] for f in found} == {"2012-04-02", "2023-11-15"}


def test_one_document_alone_has_open_states(client, timed) -> None:
    found = features(client, f"/api/v1/documents/{timed['first']}/layers.geojson",
                     layers="control_zones")
    assert found[0]["properties"]["valid_to"] is None


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        ("2020-06-01", {"MNLA"}),  # held then; no attack that day
        ("2012-01-01/2012-12-31", {"MNLA", "Aguelhok"}),
        ("2023-10-01/2023-10-31", {"MNLA", "Anefis"}),
        ("2024-01-01T00:00:00Z/..", {"Malian army"}),
        ("../2011-12-31", set()),
    ],
)
def test_datetime_window_in_the_api_and_every_download(client, timed, tmp_path, window,
                                                       expected) -> None:
    def label(props: dict) -> str:
        return props["actor"] if props["layer"] == "control_zones" else props["name"]

    api = features(client, f"/api/v1/maps/{timed['map']}/layers.geojson", datetime=window)
    assert {label(f["properties"]) for f in api} == expected
    geojson = features(client, f"/maps/{timed['map']}.geojson", datetime=window)
    assert {label(f["properties"]) for f in geojson} == expected
    csv = client.get(f"/maps/{timed['map']}.csv", query_string={"datetime": window})
    table = pd.read_csv(io.BytesIO(csv.data)) if csv.data.strip() else pd.DataFrame()
    labels = {row.actor if row.layer == "control_zones" else row["name"]
              for _, row in table.iterrows()} if len(table) else set()
    assert labels == expected
    gpkg = client.get(f"/maps/{timed['map']}.gpkg", query_string={"datetime": window})
    path = tmp_path / "timed.gpkg"
    path.write_bytes(gpkg.data)
    if expected:
        layers = [str(row[0]) for row in pyogrio.list_layers(path)]
        frames = [pyogrio.read_dataframe(path, layer=layer) for layer in layers]
        assert {label(r) for frame in frames for r in frame.to_dict("records")} == expected


def test_exports_carry_the_dates(client, timed, tmp_path) -> None:
    table = pd.read_csv(io.BytesIO(client.get(f"/maps/{timed['map']}.csv").data))
    mnla = table[table.actor == "MNLA"].iloc[0]
    assert (mnla.valid_from, mnla.valid_to, mnla.reported) == (
        "2012-03-30", "2023-11-15", "2012-04-02")
    kml = client.get(f"/maps/{timed['map']}.kml").get_data(as_text=True)
    assert "valid_to" in kml and "2023-11-15" in kml
    path = tmp_path / "all.gpkg"
    path.write_bytes(client.get(f"/maps/{timed['map']}.gpkg").data)
    zones = pyogrio.read_dataframe(path, layer="control_zones")
    assert set(zones.valid_from) == {"2012-03-30", "2023-11-15"}


def test_ogc_map_collection_closes_states_and_filters_by_their_validity(client, timed) -> None:
    url = f"/ogc/collections/map-{timed['map']}-control_zones/items"
    held_2020 = features(client, url, datetime="2020-06-01")
    assert [f["properties"]["actor"] for f in held_2020] == ["MNLA"]
    assert held_2020[0]["properties"]["valid_to"] == "2023-11-15"
    now = features(client, url, datetime="2025-01-01/..")
    assert [f["properties"]["actor"] for f in now] == ["Malian army"]


@pytest.mark.parametrize("url", ["/api/v1/maps/{map}/layers.geojson", "/maps/{map}.csv"])
def test_bad_datetime_is_a_400_naming_it(client, timed, url) -> None:
    response = client.get(url.format(map=timed["map"]), query_string={"datetime": "last week"})
    assert response.status_code == 400
    assert "datetime" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Le 3 mars, des hommes armés ont attaqué un camp militaire à Ménaka.", "fr"),
        ("On 3 March, gunmen attacked a military camp in Menaka.", "en"),
        ("في ٣ مارس، هاجم مسلحون معسكرا للجيش في ميناكا.", "ar"),
    ],
)
def test_yearless_date_of_a_report_is_read_against_its_published_day(app, text, lang) -> None:
    with app.app_context():
        record = ingest(get_store(), Submission(text=text, title="t", lang=lang,
                                                published=date(2024, 12, 2)))
        layers = get_store().get_layers(record.id)
    dated = [f["properties"] for c in layers.values() for f in c["features"]
             if f["properties"]["layer"] != "mentions"]
    assert dated, f"no event found in {text!r}: {list(layers)}"
    assert {p["date"] for p in dated} == {"2024-03-03"}
    assert {p["reported"] for p in dated} == {"2024-12-02"}


def test_a_map_merges_one_event_told_by_two_reports(app, client) -> None:
    with app.app_context():
        store = get_store()
        docs = [store.add_document(
            text=f"report {n}", title=title, lang="en", mentions=[], source_url=url,
            map_title=title,
            published=date(2024, 3, 4 + n),
            layers={"attacks": collection(attack("Menaka", 2.40, 15.92 + n * 0.01,
                                                 "2024-03-03"))})
            for n, (title, url) in enumerate([("RFI", "https://www.rfi.fr/1"),
                                              ("<b>AP</b>", "https://apnews.com/2")])]
        both = store.create_map(title="Menaka", document_ids=[d.id for d in docs]).id
        alone = docs[0].map_id
    (event,) = features(client, f"/api/v1/maps/{both}/layers.geojson")
    props = event["properties"]
    assert [(s["title"], s["url"], s["date"]) for s in props["sources"]] == [
        ("RFI", "https://www.rfi.fr/1", "2024-03-04"), ("<b>AP</b>", "https://apnews.com/2",
                                                        "2024-03-05")]
    assert (props["corroboration"], props["first_reported"], props["last_reported"]) == (
        2, "2024-03-04", "2024-03-05")
    assert props["confidence"] > props["confidence_single"] == 0.9
    table = pd.read_csv(io.BytesIO(client.get(f"/maps/{both}.csv").data))
    assert len(table) == 1 and "apnews.com" in table.sources[0]
    assert table.corroboration[0] == 2
    assert client.get(f"/maps/{both}.gpkg").status_code == 200
    (ogc,) = features(client, f"/ogc/collections/map-{both}-attacks/items")
    assert ogc["properties"]["corroboration"] == 2  # the OGC API answers what the map shows
    assert len(features(client, "/ogc/collections/attacks/items")) == 2  # all reports, as stored
    (single,) = features(client, f"/api/v1/maps/{alone}/layers.geojson")
    assert "sources" not in single["properties"]  # one report tells each event once


def test_an_ogc_item_by_id_is_the_merged_event_the_items_list(app, client) -> None:
    with app.app_context():
        store = get_store()
        docs = [store.add_document(
            text=f"report {n}", title=f"R{n}", lang="en", mentions=[],
            published=date(2024, 3, 4 + n), source_url=f"https://outlet{n}.example/a",
            layers={"attacks": collection(attack("Menaka", 2.40, 15.92, "2024-03-03"))})
            for n in range(2)]
        both = store.create_map(title="Menaka", document_ids=[d.id for d in docs]).id
    items = f"/ogc/collections/map-{both}-attacks/items"
    (listed,) = features(client, items)
    assert len(listed["properties"]["merged_ids"]) == 2
    for asked in listed["properties"]["merged_ids"]:  # each report's id finds the event
        one = client.get(f"{items}/{asked}")
        assert one.status_code == 200, asked
        assert one.json["id"] == listed["id"] and one.json["properties"]["corroboration"] == 2
    zones = f"/ogc/collections/map-{timed_map(app)}-control_zones/items"
    for zone in features(client, zones):  # a state closed by a later report, as listed
        assert client.get(f"{zones}/{zone['id']}").json["properties"] == zone["properties"]


def timed_map(app) -> str:
    """A map of two reports on Kidal: the army's 2023 report closes the MNLA's 2012 zone."""
    with app.app_context():
        store = get_store()
        ids = [store.add_document(text="Kidal", title=actor, lang="en", mentions=[],
                                  published=date(year, 1, 1),
                                  layers={"control_zones": collection(zone(actor))}).id
               for actor, year in (("MNLA", 2012), ("Malian army", 2023))]
        return store.create_map(title="Kidal", document_ids=ids).id


def test_a_large_map_merges_once_per_version(app) -> None:
    with app.app_context():
        store = get_store()
        docs = [store.add_document(text=f"r{n}", title=f"r{n}", lang="en", mentions=[],
                                   published=date(2024, 3, 4),
                                   layers={"attacks": collection(attack(f"a{n}", n, 15,
                                                                        "2024-03-03"))}).id
                for n in range(50)]
        record = store.create_map(title="Large", document_ids=docs)
        first = store.map_layers(record)
        assert store.map_layers(record) is first  # the same version: merged once
        store.delete_document(docs[0])
        changed = store.get_map(record.id)
        assert changed.version != record.version
        assert len(store.map_layers(changed)["attacks"]["features"]) == 49


@pytest.mark.parametrize(
    ("query", "status", "expected"),
    [
        ("at=2024-03-01", 200, "at=2024-03-01"),
        ("from=2024-01-01&to=2024-02-01", 200, "from=2024-01-01&to=2024-02-01"),
        ("from=2024-01-01", 400, "from/to"),
        ("at=2024-02-30", 400, "at"),
        ("at=2024-03-01&from=2024-01-01&to=2024-02-01", 400, "either"),
    ],
)
def test_the_embed_code_carries_the_moment(client, timed, query, status, expected) -> None:
    answer = client.get(f"/maps/{timed['map']}/embed-code.json?{query}")
    assert answer.status_code == status
    assert expected in (answer.json["src"] if status == 200 else answer.json["error"])
    if status == 200:
        assert expected.replace("&", "&amp;") in answer.json["code"]
