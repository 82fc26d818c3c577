"""Frame binding on theatres other than the seed's: clause splitting at ", and",
actor sides per frame type, border closures with a counterpart, civilians fleeing."""

from __future__ import annotations

from geo import geoparse
from geo.frames import extract_frames
from geo.frames.clauses import Document
from geo.layers import build_layers
from geo.records import Frame
from tests.geo.test_layers_support import annotate


def _by_type(frames: tuple[Frame, ...]) -> dict[str, Frame]:
    out: dict[str, Frame] = {}
    for f in frames:
        out.setdefault(f.type, f)
    return out


LAKE_CHAD_EN = (
    "Boko Haram fighters seized Maiduguri, and Nigeria, Niger, Chad and Cameroon agreed to "
    "allow hot pursuit across their common borders. Some 2,500 Chadian troops were deployed "
    "to Niamey."
)


def test_new_subject_after_comma_and_starts_a_clause() -> None:
    # "Chadian" is left untagged on purpose: the adjective alone makes "Chadian troops".
    result = annotate(LAKE_CHAD_EN, "en", [
        ("Maiduguri", "gn:maiduguri", "toponym"), ("Nigeria", "NG", "toponym"),
        ("Niger", "NE", "toponym"), ("Chad", "TD", "toponym"),
        ("Cameroon", "CM", "toponym"), ("Niamey", "gn:niamey", "toponym"),
    ])
    found = extract_frames(result)
    frames = _by_type(found.found)
    assert [p.place.name for p in frames["control"].places] == ["Maiduguri"]
    assert frames["control"].actor == "Boko Haram"
    pursuit = frames["pursuit"]
    assert set(pursuit.members) == {"NG", "NE", "TD", "CM"}
    assert pursuit.actor is None  # never the group being pursued
    assert "border_security" not in frames  # "across their common borders" is the path
    deployment = frames["deployment"]
    assert deployment.actor == "Chadian troops" and deployment.strength == 2500


def test_enumeration_with_serial_comma_stays_one_clause() -> None:
    text = "Armed groups control Gao, Kidal, and Timbuktu."
    result = annotate(text, "en", [("Gao", "gn:gao", "toponym"),
                                   ("Kidal", "gn:kidal", "toponym"),
                                   ("Timbuktu", "gn:timbuktu", "toponym")])
    assert len(Document(result).clauses) == 1
    control = _by_type(extract_frames(result).found)["control"]
    assert [p.place.name for p in control.places] == ["Gao", "Kidal", "Timbuktu"]


def test_french_coordination_splits_too() -> None:
    text = "Des jihadistes contrôlent Gao, et le Niger a fermé sa frontière avec le Mali."
    result = annotate(text, "fr", [("Gao", "gn:gao", "toponym"), ("Niger", "NE", "toponym"),
                                   ("Mali", "ML", "toponym")])
    frames = _by_type(extract_frames(result).found)
    assert [p.place.name for p in frames["control"].places] == ["Gao"]
    border = frames["border_security"]
    assert [(p.place.country, p.role) for p in border.places] == [
        ("NE", "area"), ("ML", "counterpart")]
    assert border.actor is None


LIPTAKO_FR = (
    "Les jihadistes de l'EIGS contrôlent désormais une grande partie de la zone des trois "
    "frontières. Des milliers de civils ont fui vers Niamey."
)


def test_named_triangle_term_and_civilians_fleeing_are_displaced() -> None:
    result = annotate(LIPTAKO_FR, "fr", [("Niamey", "gn:niamey", "toponym")])
    found = extract_frames(result)
    frames = _by_type(found.found)
    control = frames["control"]
    assert control.places[0].place.id == "kh:three-borders"
    assert control.actor == "ISGS"
    moves = frames["displacement"]
    assert [p.place.name for p in moves.role("destination")] == ["Niamey"]
    assert "sanctuary" not in frames
    assert any(s.type == "sanctuary" and "civilians" in s.reason for s in found.skipped)


def test_armed_group_fleeing_takes_refuge_not_displaced() -> None:
    text = "Les jihadistes ont fui vers le Liptako-Gourma."
    result = annotate(text, "fr", [("Liptako-Gourma", "kh:liptako-gourma", "toponym")])
    frames = _by_type(extract_frames(result).found)
    assert frames["sanctuary"].places[0].place.name == "Liptako-Gourma"
    assert frames["sanctuary"].actor == "armed groups"
    assert "displacement" not in frames


def test_forces_loyal_to_a_leader() -> None:
    text = "Forces loyal to Haftar seized Sebha."
    result = annotate(text, "en", [("Sebha", "gn:sebha", "toponym")])
    control = _by_type(extract_frames(result).found)["control"]
    assert control.actor == "forces loyal to Haftar"


SOUTHERN_LIBYA_AR = (
    "سيطرت قوات موالية لحفتر على مدينة سبها في جنوب ليبيا، بينما أغلقت الجزائر وتونس "
    "حدودهما المشتركة مع ليبيا."
)


def test_border_closure_with_a_counterpart_arabic_end_to_end() -> None:
    result = geoparse(SOUTHERN_LIBYA_AR)
    frames = _by_type(extract_frames(result).found)
    assert frames["control"].actor == "forces loyal to Haftar"
    border = frames["border_security"]
    assert {p.place.country for p in border.role("area")} == {"DZ", "TN"}
    assert [p.place.country for p in border.role("counterpart")] == ["LY"]
    bands = build_layers(result)["border_security"]
    assert {frozenset(m) for m in bands["members"]} == {frozenset({"DZ", "LY"}),
                                                        frozenset({"TN", "LY"})}
