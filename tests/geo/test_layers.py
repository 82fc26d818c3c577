"""Layers from frames: geometry checks, provenance, RFC 7946 output, bad input."""

from __future__ import annotations

import json
import re

import pytest
import shapely
from shapely.geometry import Point, Polygon

from geo.errors import LayerError
from geo.layers import (
    HIDDEN_STATUSES,
    build_layers,
    layer_features,
    layer_specs,
    on_default_map,
    to_feature_collection,
)
from tests.geo.test_layers_support import NaturalEarthGazetteer, annotate, natural_earth_gazetteer

KIDAL, GAO, TIMBUKTU = Point(1.41, 18.44), Point(-0.04, 16.27), Point(-3.01, 16.77)
TRIPOINT = Point(-4.822, 24.995)

SAHEL_EN = (
    "AQIM-linked groups have held northern Mali since April. "
    "The field states, a grouping including Algeria, Mali, Mauritania and Niger, agreed to "
    "allow hot pursuit across their borders. These pursuits will take place in open desert "
    "areas. About 25,000 Algerian troops are currently deployed in southern Algeria. "
    "Refugees who fled northern Mali arrived in Mauritania. Armed groups take refuge in the "
    "border triangle between Algeria, Mali and Mauritania. Security will be tightened along "
    "the borders of Azawad with the neighbouring states. Army chiefs met in Niamey. "
    "Washington is considering drone strikes on northern Mali."
)
SAHEL_SPANS = [
    ("northern Mali", "ML#north", "toponym"), ("field states", "kh:field-states", "toponym"),
    ("Algeria", "DZ", "toponym"), ("Mali", "ML", "toponym"), ("Mauritania", "MR", "toponym"),
    ("Niger", "NE", "toponym"), ("Algerian", "DZ", "demonym"),
    ("southern Algeria", "DZ#south", "toponym"), ("northern Mali", "ML#north", "toponym"),
    ("Mauritania", "MR", "toponym"), ("Algeria", "DZ", "toponym"), ("Mali", "ML", "toponym"),
    ("Mauritania", "MR", "toponym"), ("Azawad", "kh:azawad", "toponym"),
    ("Niamey", "gn:niamey", "toponym"), ("northern Mali", "ML#north", "toponym"),
]


@pytest.fixture(scope="module")
def gazetteer() -> NaturalEarthGazetteer:
    return natural_earth_gazetteer()


@pytest.fixture(scope="module")
def sahel(gazetteer):
    return build_layers(annotate(SAHEL_EN, "en", SAHEL_SPANS), gazetteer=gazetteer)


def test_layer_specs_have_titles_in_three_languages_and_styles() -> None:
    ids = [s.id for s in layer_specs()]
    assert {"mentions", "control_zones", "pursuit_corridors", "border_security", "sanctuaries",
            "deployments", "displacement", "risk_zones", "meetings", "strikes", "attacks",
            "coalitions"} == set(ids)
    for spec in layer_specs():
        assert set(spec.title) == {"ar", "fr", "en"} and spec.style and spec.description


def test_layer_swatches_are_distinct_and_points_draw_last() -> None:
    specs = layer_specs()
    swatches = [s.style.get("fillColor") or s.style["color"] for s in specs]
    assert len(set(swatches)) == len(swatches)
    ids = [s.id for s in specs]
    assert ids.index("attacks") > ids.index("sanctuaries")  # above every area-only layer
    assert ids[-1] == "mentions"


@pytest.mark.parametrize(("properties", "drawn"), [
    ({"status": "reported", "inferred": None}, True),
    ({"status": "planned"}, True),
    ({"status": None}, True),
    ({}, True),
    ({"status": "ongoing", "inferred": float("nan")}, True),
    ({"status": "past"}, False),
    ({"status": "negated"}, False),
    ({"status": "hypothetical"}, False),
    ({"status": "reported", "inferred": "destination: neighbouring states"}, False),
])
def test_on_default_map(properties: dict, drawn: bool) -> None:
    assert on_default_map(properties) is drawn
    assert {"past", "negated", "hypothetical"} == HIDDEN_STATUSES


def test_every_layer_is_built_in_wgs84_with_provenance(sahel) -> None:
    # No frame type draws attacks yet: the layer exists so that gold events can name it.
    assert set(sahel) == {s.id for s in layer_specs()} - {"risk_zones", "attacks"}
    for layer_id, frame in sahel.items():
        assert frame.crs.to_epsg() == 4326, layer_id
        assert frame.geometry.is_valid.all() and not frame.geometry.is_empty.any(), layer_id
        for row in frame.itertuples():
            assert row.layer == layer_id and row.evidence and row.trigger
            for span in row.evidence:
                assert SAHEL_EN[span["start"]:span["end"]] == span["text"]


def test_layer_features_are_the_drawn_rows_with_their_mention_spans(sahel, gazetteer) -> None:
    result = annotate(SAHEL_EN, "en", SAHEL_SPANS)
    features, skipped = layer_features(result, gazetteer=gazetteer)
    assert skipped == sahel["mentions"].attrs["skipped"]
    for layer_id, frame in sahel.items():
        mine = [f for f in features if f.layer == layer_id]
        assert [f.name for f in mine] == list(frame["name"]), layer_id
        assert all(f.geometry.equals(g) for f, g in zip(mine, frame.geometry, strict=True))
        assert "mentions" not in frame.columns or layer_id == "mentions"
    spans = {(m.start, m.end): m for m in result.resolved}
    for feature in features:
        for span in feature.mentions:  # a mention (or coreference term) of a place it shows
            assert SAHEL_EN[span.start:span.end] == span.text and span.text
            mention = spans.get((span.start, span.end))
            assert mention is None or mention.place.id in feature.places
    (meeting,) = [f for f in features if f.layer == "meetings"]
    assert [s.text for s in meeting.mentions] == ["Niamey"]
    (zone,) = [f for f in features if f.layer == "control_zones"]
    assert [s.start for s in zone.mentions] == [SAHEL_EN.index("northern Mali")]


def test_control_zone_covers_kidal_gao_timbuktu(sahel) -> None:
    zone = sahel["control_zones"].iloc[0]
    assert zone.actor == "AQIM-linked groups"
    for town in (KIDAL, GAO, TIMBUKTU):
        assert zone.geometry.contains(town)


def test_corridors_along_shared_borders_clipped_to_desert(sahel, gazetteer) -> None:
    corridors = sahel["pursuit_corridors"]
    pairs = {tuple(m) for m in corridors.members}
    assert {("DZ", "ML"), ("DZ", "MR"), ("DZ", "NE"), ("ML", "MR")} <= pairs
    desert = gazetteer.geometry("kh:sahara")
    for row in corridors.itertuples():
        assert row.width_km == 50 and row.terrain == "desert" and row.status == "agreed"
        assert row.geometry.difference(desert).area < 1e-6
        for iso in row.members:
            assert row.geometry.intersects(gazetteer.geometry(gazetteer.iso_id(iso)))


def test_sanctuary_contains_the_tripoint(sahel) -> None:
    assert sahel["sanctuaries"].geometry.iloc[0].contains(TRIPOINT)


def test_deployment_displacement_meeting_strike_border(sahel, gazetteer) -> None:
    deployment = sahel["deployments"].iloc[0]
    assert deployment.strength == 25000 and deployment.actor == "Algerian troops"
    assert deployment.geometry.within(gazetteer.geometry(gazetteer.iso_id("DZ")).buffer(0.01))
    line = sahel["displacement"].geometry.iloc[0]
    assert line.geom_type == "LineString"
    assert Point(line.coords[-1]).within(gazetteer.geometry(gazetteer.iso_id("MR")))
    assert sahel["meetings"].geometry.iloc[0].equals(Point(2.11, 13.51))
    assert sahel["strikes"].status.iloc[0] == "planned"
    band = sahel["border_security"].geometry.iloc[0]
    assert band.intersects(gazetteer.geometry(gazetteer.iso_id("DZ")))
    assert not band.contains(Point(-1.0, 18.0))  # the middle of Azawad is not a border


def test_coalition_unites_members(sahel) -> None:
    row = sahel["coalitions"].iloc[0]
    assert set(row.members) == {"DZ", "ML", "MR", "NE"} and row["name"] == "field states"
    assert row.geometry.geom_type == "MultiPolygon"


def test_text_without_frames_gives_only_mentions(gazetteer) -> None:
    text = "Timbuktu and Gao are old cities on the Niger bend in Mali."
    layers = build_layers(annotate(text, "en", [("Timbuktu", "gn:timbuktu", "toponym"),
                                                ("Gao", "gn:gao", "toponym"),
                                                ("Mali", "ML", "toponym")]),
                          gazetteer=gazetteer)
    assert list(layers) == ["mentions"]
    assert len(layers["mentions"]) == 3 and layers["mentions"].attrs["skipped"] == []
    empty = build_layers(annotate("", "en", []), gazetteer=gazetteer)
    assert list(empty) == ["mentions"] and empty["mentions"].empty


def test_partial_pursuit_is_skipped_with_a_reason(gazetteer) -> None:
    text = "Niger claimed a right of hot pursuit against the militants."
    layers = build_layers(annotate(text, "en", [("Niger", "NE", "toponym")]),
                          gazetteer=gazetteer)
    assert "pursuit_corridors" not in layers
    reasons = [s["reason"] for s in layers["mentions"].attrs["skipped"]]
    assert any("two states" in r for r in reasons)


def test_states_without_shared_border_are_reported(gazetteer) -> None:
    text = "Algeria and Burkina Faso agreed on hot pursuit."
    layers = build_layers(annotate(text, "en", [("Algeria", "DZ", "toponym"),
                                                ("Burkina Faso", "BF", "toponym")]),
                          gazetteer=gazetteer)
    assert "pursuit_corridors" not in layers
    assert any("share a border" in s["reason"] for s in layers["mentions"].attrs["skipped"])


class _BrokenRegions(NaturalEarthGazetteer):
    """A gazetteer whose Azawad outline is a self-intersecting bow-tie."""

    def __init__(self) -> None:  # reuse the loaded countries
        self.__dict__.update(natural_earth_gazetteer().__dict__)

    def geometry(self, place_id):
        if place_id == "kh:azawad":
            return Polygon([(-5, 16), (2, 22), (2, 16), (-5, 22)])
        return super().geometry(place_id)


def test_invalid_source_geometry_is_repaired() -> None:
    text = "Armed groups have seized Azawad."
    layers = build_layers(annotate(text, "en", [("Azawad", "kh:azawad", "toponym")]),
                          gazetteer=_BrokenRegions())
    zone = layers["control_zones"].geometry.iloc[0]
    assert zone.is_valid and zone.area > 10


def test_unknown_layer_is_an_error_naming_the_argument(gazetteer) -> None:
    with pytest.raises(LayerError, match=r"'layers'.*rivers"):
        build_layers(annotate("x", "en", []), gazetteer=gazetteer, layers=["rivers"])


def test_layer_selection(gazetteer) -> None:
    result = annotate(SAHEL_EN, "en", SAHEL_SPANS)
    layers = build_layers(result, gazetteer=gazetteer, layers=["sanctuaries"])
    assert set(layers) == {"mentions", "sanctuaries"}


def test_feature_collection_is_rfc7946(sahel) -> None:
    collection = to_feature_collection(sahel)
    text = json.dumps(collection, allow_nan=False)
    assert collection["type"] == "FeatureCollection" and len(collection["bbox"]) == 4
    assert not re.search(r"\d\.\d{7,}", text)
    for feature in collection["features"]:
        assert feature["properties"]["layer"]
        shape = shapely.geometry.shape(feature["geometry"])
        assert shape.is_valid
        for poly in getattr(shape, "geoms", [shape]):
            if poly.geom_type == "Polygon":
                assert poly.exterior.is_ccw
                assert all(not ring.is_ccw for ring in poly.interiors)
    west, south, east, north = collection["bbox"]
    assert -180 <= west < east <= 180 and -90 <= south < north <= 90


def test_feature_collection_select(sahel) -> None:
    collection = to_feature_collection(sahel, select=["meetings", "nonexistent"])
    assert {f["properties"]["layer"] for f in collection["features"]} == {"meetings"}
    assert to_feature_collection({}) == {"type": "FeatureCollection", "features": []}


def test_town_held_is_a_disc_around_it(gazetteer) -> None:
    text = "Boko Haram fighters have seized Maiduguri."
    layers = build_layers(annotate(text, "en", [("Maiduguri", "gn:maiduguri", "toponym")]),
                          gazetteer=gazetteer)
    zone = layers["control_zones"].iloc[0]
    assert zone.actor == "Boko Haram" and zone.geometry.contains(Point(13.16, 11.85))
    assert 0.02 < zone.geometry.area < 0.04  # about pi * (10 km)^2 in square degrees
