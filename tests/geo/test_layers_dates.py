"""Layer dates (text vs publication date) and border bands between two named states."""

from __future__ import annotations

import datetime

import pytest
import shapely
from shapely.geometry import Point

from geo import geometry as geom
from geo.errors import LayerError
from geo.layers import build_layers, to_feature_collection
from tests.geo.test_layers_support import NaturalEarthGazetteer, annotate, natural_earth_gazetteer

DATED_EN = (
    "On 4 June 2015, armed groups seized Gao. "
    "Chadian troops were deployed in Niamey."
)
DATED_SPANS = [("Gao", "gn:gao", "toponym"), ("Chadian", "TD", "demonym"),
               ("Niamey", "gn:niamey", "toponym")]


@pytest.fixture(scope="module")
def gazetteer() -> NaturalEarthGazetteer:
    return natural_earth_gazetteer()


def test_text_date_and_published_fallback(gazetteer) -> None:
    layers = build_layers(annotate(DATED_EN, "en", DATED_SPANS), gazetteer=gazetteer,
                          published=datetime.date(2015, 6, 7))
    control = layers["control_zones"].iloc[0]
    assert (control.date, control.date_source) == ("2015-06-04", "text")
    deployment = layers["deployments"].iloc[0]
    assert (deployment.date, deployment.date_source) == ("2015-06-07", "published")
    assert layers["mentions"].date.isna().all()  # naming a place is not an event
    props = {f["properties"]["layer"]: f["properties"]
             for f in to_feature_collection(layers)["features"]}
    assert props["deployments"]["date"] == "2015-06-07"
    assert props["control_zones"]["date_source"] == "text"


def test_without_published_undated_features_have_no_date(gazetteer) -> None:
    layers = build_layers(annotate(DATED_EN, "en", DATED_SPANS), gazetteer=gazetteer)
    assert layers["control_zones"].iloc[0].date == "2015-06-04"
    deployment = layers["deployments"].iloc[0]
    assert deployment.date is None and deployment.date_source is None


def test_published_datetime_is_taken_as_its_day(gazetteer) -> None:
    layers = build_layers(annotate(DATED_EN, "en", DATED_SPANS), gazetteer=gazetteer,
                          published=datetime.datetime(2015, 6, 7, 23, 30))
    assert layers["deployments"].iloc[0].date == "2015-06-07"


def test_published_must_be_a_date(gazetteer) -> None:
    with pytest.raises(LayerError, match=r"'published'.*str"):
        build_layers(annotate(DATED_EN, "en", DATED_SPANS), gazetteer=gazetteer,
                     published="2015-06-07")  # type: ignore[arg-type]


BORDER_TEXTS = [
    ("Algeria and Mali agreed to seal the border between the two countries.", "en",
     [("Algeria", "DZ", "toponym"), ("Mali", "ML", "toponym")], ("DZ", "ML")),
    ("Le Niger et le Tchad vont renforcer la surveillance de leur frontière commune.", "fr",
     [("Niger", "NE", "toponym"), ("Tchad", "TD", "toponym")], ("NE", "TD")),
    ("واتفقت الجزائر ومالي على إغلاق الحدود بين البلدين.", "ar",
     [("الجزائر", "DZ", "toponym"), ("ومالي", "ML", "toponym")], ("DZ", "ML")),
]


@pytest.mark.parametrize(("text", "lang", "spans", "pair"), BORDER_TEXTS)
def test_border_between_two_named_states_is_their_shared_stretch(
        gazetteer, text, lang, spans, pair) -> None:
    layers = build_layers(annotate(text, lang, spans), gazetteer=gazetteer)
    bands = layers["border_security"]
    assert len(bands) == 1
    band = bands.geometry.iloc[0]
    a, b = (gazetteer.geometry(gazetteer.iso_id(iso)) for iso in pair)
    assert set(bands.members.iloc[0]) == set(pair)
    assert band.intersection(a).area > 0 and band.intersection(b).area > 0
    assert bands.width_km.iloc[0] == geom.BORDER_BAND_KM
    shared = geom.shared_border(a, b)
    # Within the band width (plus the web simplification, about 1 km) of the shared border...
    reach = geom.buffer_km(shared, geom.BORDER_BAND_KM * 1.1)
    assert band.difference(reach).area < 1e-4
    # ...so not along either state's other borders.
    others = shapely.union(a.boundary, b.boundary).difference(
        geom.buffer_km(shared, 3 * geom.BORDER_BAND_KM))
    assert not band.intersects(others)


def test_border_of_one_state_keeps_its_whole_border(gazetteer) -> None:
    text = "Niger decided to seal its borders."
    layers = build_layers(annotate(text, "en", [("Niger", "NE", "toponym")]),
                          gazetteer=gazetteer)
    band = layers["border_security"].geometry.iloc[0]
    for point in (Point(3.6, 11.7), Point(15.5, 20.9), Point(4.2, 19.0)):  # BJ, TD/LY, ML sides
        assert band.distance(point) < 0.3


def test_states_without_a_shared_border_keep_their_own_borders(gazetteer) -> None:
    text = "Algeria and Burkina Faso will reinforce security at their borders."
    layers = build_layers(annotate(text, "en", [("Algeria", "DZ", "toponym"),
                                                ("Burkina Faso", "BF", "toponym")]),
                          gazetteer=gazetteer)
    names = sorted(layers["border_security"]["name"])
    assert names == ["borders of Algeria", "borders of Burkina Faso"]
