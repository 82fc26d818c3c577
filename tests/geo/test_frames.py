"""Event frames in Arabic, French and English (own texts about several theatres)."""

from __future__ import annotations

import pytest

from geo.errors import LayerError
from geo.frames import extract_frames, find_frames
from geo.frames.quantities import find_quantities
from geo.lexicon import frame_specs, lexicon
from geo.records import Frame
from tests.geo.test_layers_support import annotate


def _by_type(frames: tuple[Frame, ...]) -> dict[str, Frame]:
    out: dict[str, Frame] = {}
    for f in frames:
        out.setdefault(f.type, f)
    return out


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("نشر 25 ألفا من الجنود", "ar", 25000),
        ("قوة قوامها أربعون ألف جندي", "ar", 40000),
        ("تخصيص أربعين ألف مقاتل", "ar", 40000),
        ("نحو ٢٥ ألف جندي", "ar", 25000),
        ("خمسة وعشرون ألفا من اللاجئين", "ar", 25000),
        ("ثلاثة آلاف لاجئ", "ar", 3000),
        ("une force de 40 000 hommes", "fr", 40000),
        ("quarante mille soldats", "fr", 40000),
        ("vingt-cinq mille réfugiés", "fr", 25000),
        ("deux cents combattants", "fr", 200),
        ("a 40,000-strong force", "en", 40000),
        ("forty thousand troops", "en", 40000),
        ("twenty-five thousand refugees", "en", 25000),
        ("1.5 million displaced", "en", 1500000),
        # 70-99, Belgian/Swiss forms, and "et"/"and" inside a number
        ("soixante-dix soldats", "fr", 70),
        ("soixante et onze blessés", "fr", 71),
        ("soixante-dix-sept morts", "fr", 77),
        ("quatre-vingts véhicules", "fr", 80),
        ("quatre-vingt-un otages", "fr", 81),
        ("vingt et un mille déplacés", "fr", 21000),
        ("quatre-vingt-dix-neuf blindés", "fr", 99),
        ("quatre-vingt mille déplacés", "fr", 80000),
        ("quatre-vingt-quinze mille réfugiés", "fr", 95000),
        ("soixante-dix mille hommes", "fr", 70000),
        ("deux cent quatre-vingt mille personnes", "fr", 280000),
        ("septante-cinq casques bleus", "fr", 75),
        ("huitante mille réfugiés", "fr", 80000),
        ("octante soldats", "fr", 80),
        ("nonante-deux mille déplacés", "fr", 92000),
        ("ثمانون ألف لاجئ", "ar", 80000),
        ("خمسة وتسعون ألفا من النازحين", "ar", 95000),
        ("سبعون جنديا", "ar", 70),
        ("ninety-five thousand refugees", "en", 95000),
        ("seventy-seven soldiers", "en", 77),
        ("one hundred and twenty vehicles", "en", 120),
    ],
)
def test_numbers_in_three_languages(text, lang, value) -> None:
    found = find_quantities(text, lang)
    assert [q.value for q in found] == [value]
    q = found[0]
    assert text[q.start:q.end].strip() == text[q.start:q.end]


def test_years_are_not_quantities_and_punctuation_splits() -> None:
    text = "In 2013, 4,000 troops; then vingt mille, deux cents"
    assert [q.value for q in find_quantities(text, "en")] == [4000]
    assert [q.value for q in find_quantities("vingt mille, deux cents", "fr")] == [20000, 200]


def test_every_frame_file_loads_and_has_three_languages() -> None:
    specs = frame_specs()
    assert {s.frame for s in specs} == {"control", "pursuit", "border_security", "sanctuary",
                                        "deployment", "displacement", "risk", "meeting",
                                        "strike", "coalition", "attack"}
    for spec in specs:
        assert set(spec.triggers) == {"ar", "fr", "en"}, spec.frame


def test_bad_lexicon_file_is_reported(monkeypatch) -> None:
    from geo import lexicon as lex

    monkeypatch.setattr(lex, "_read", lambda name: {"frame": name, "scope": "page"})
    lex.frame_specs.cache_clear()
    try:
        with pytest.raises(LayerError, match=r"control\.yaml"):
            lex.frame_specs()
    finally:
        monkeypatch.undo()
        lex.frame_specs.cache_clear()
    assert lexicon("numbers")["fr"]["scales"]["mille"] == 1000


LAKE_CHAD_EN = (
    "Boko Haram fighters have seized several villages around Maiduguri. "
    "Thousands of refugees fled Nigeria to Chad and Cameroon. "
    "Nigeria, Niger, Chad and Cameroon agreed on a right of hot pursuit across their borders. "
    "Army chiefs met in Niamey on Tuesday."
)


def test_lake_chad_english() -> None:
    result = annotate(LAKE_CHAD_EN, "en", [
        ("Maiduguri", "gn:maiduguri", "toponym"), ("Nigeria", "NG", "toponym"),
        ("Chad", "TD", "toponym"), ("Cameroon", "CM", "toponym"),
        ("Nigeria", "NG", "toponym"), ("Niger", "NE", "toponym"), ("Chad", "TD", "toponym"),
        ("Cameroon", "CM", "toponym"), ("Niamey", "gn:niamey", "toponym"),
    ])
    frames = _by_type(find_frames(result))
    assert frames["control"].actor == "Boko Haram"
    assert [p.place.name for p in frames["control"].places] == ["Maiduguri"]
    moves = frames["displacement"]
    assert [p.place.name for p in moves.role("origin")] == ["Nigeria"]
    assert [p.place.name for p in moves.role("destination")] == ["Chad", "Cameroon"]
    assert set(frames["pursuit"].members) == {"NG", "NE", "TD", "CM"}
    assert frames["pursuit"].status == "agreed"
    assert frames["meeting"].places[0].place.name == "Niamey"
    assert frames["meeting"].actor == "military leaders"


LIPTAKO_FR = (
    "Des groupes liés à l'EIGS contrôlent désormais une partie du Liptako-Gourma. "
    "Le Mali, le Burkina Faso et le Niger ont convenu d'un droit de poursuite le long de "
    "leurs frontières. Ces poursuites auront lieu dans les zones désertiques. "
    "Quarante mille soldats seront déployés à Niamey."
)


def test_liptako_gourma_french() -> None:
    result = annotate(LIPTAKO_FR, "fr", [
        ("Liptako-Gourma", "kh:liptako-gourma", "toponym"), ("Mali", "ML", "toponym"),
        ("Burkina Faso", "BF", "toponym"), ("Niger", "NE", "toponym"),
        ("Niamey", "gn:niamey", "toponym"),
    ])
    found = extract_frames(result)
    frames = _by_type(found.found)
    assert frames["control"].actor == "ISGS-linked groups"
    pursuit = frames["pursuit"]
    assert set(pursuit.members) == {"ML", "BF", "NE"}
    assert pursuit.terrain == "desert"  # from the next sentence ("ces poursuites")
    assert pursuit.status == "agreed"
    assert len(pursuit.evidence) == 2
    deployment = frames["deployment"]
    assert deployment.strength == 40000 and deployment.status == "planned"
    assert deployment.places[0].place.name == "Niamey"


SOUTHERN_LIBYA_AR = (
    "سيطرت جماعات مسلحة على مناطق واسعة في جنوب ليبيا. "
    "وفر آلاف اللاجئين من جنوب ليبيا إلى النيجر. "
    "ونشرت النيجر ثلاثة آلاف جندي في أغاديز. "
    "وأعلنت النيجر حق المطاردة للمسلحين."
)


def test_southern_libya_arabic_and_partial_pursuit_is_skipped() -> None:
    result = annotate(SOUTHERN_LIBYA_AR, "ar", [
        ("جنوب ليبيا", "LY#south", "toponym"), ("جنوب ليبيا", "LY#south", "toponym"),
        ("النيجر", "NE", "toponym"), ("النيجر", "NE", "toponym"),
        ("أغاديز", "gn:agadez", "toponym"), ("النيجر", "NE", "toponym"),
    ])
    found = extract_frames(result)
    frames = _by_type(found.found)
    assert frames["control"].actor == "armed groups"
    assert frames["control"].places[0].place.id.endswith("#south")
    moves = frames["displacement"]
    assert moves.role("origin")[0].place.id.endswith("#south")
    assert moves.role("destination")[0].place.name == "Niger"
    assert frames["deployment"].strength == 3000
    assert frames["deployment"].places[0].place.name == "Agadez"
    assert "pursuit" not in frames
    skipped = [s for s in found.skipped if s.type == "pursuit"]
    assert skipped and "two states" in skipped[0].reason and "NE" in skipped[0].reason


def test_arabic_enumeration_coalition_and_triangle_coreference() -> None:
    text = (
        "وافقت دول الميدان، وهو تجمع يضم كلا من النيجر وموريتانيا ومالي وبوركينا فاسو، "
        "على المطاردة الساخنة في المناطق الصحراوية. "
        "وتلجأ الجماعات المسلحة إلى المثلث الحدودي بين الجزائر ومالي وموريتانيا، "
        "وقد فرت مجموعات عدة إلى المثلث. "
        "وتهدف الخطة إلى منع تمدد القاعدة في كل من موريتانيا والنيجر ونيجيريا."
    )
    result = annotate(text, "ar", [
        ("دول الميدان", "kh:field-states", "toponym"), ("النيجر", "NE", "toponym"),
        ("وموريتانيا", "MR", "toponym"), ("ومالي", "ML", "toponym"),
        ("وبوركينا فاسو", "BF", "toponym"), ("الجزائر", "DZ", "toponym"),
        ("ومالي", "ML", "toponym"), ("وموريتانيا", "MR", "toponym"),
        ("موريتانيا", "MR", "toponym"), ("والنيجر", "NE", "toponym"),
        ("ونيجيريا", "NG", "toponym"),
    ])
    frames = _by_type(find_frames(result))
    assert set(frames["coalition"].members) == {"DZ", "ML", "MR", "NE", "BF"}
    assert frames["pursuit"].terrain == "desert" and frames["pursuit"].status == "agreed"
    sanctuary = frames["sanctuary"]
    assert sanctuary.places[0].place.type == "tripoint"
    assert set(sanctuary.members) == {"DZ", "ML", "MR"}
    assert len(sanctuary.evidence) == 2  # "the triangle" refers back to it
    assert [p.place.name for p in frames["risk"].places] == ["Mauritania", "Niger", "Nigeria"]
    assert frames["risk"].status == "planned"


def test_text_without_frames() -> None:
    text = "Timbuktu is a city in Mali, famous for its manuscripts."
    result = annotate(text, "en", [("Timbuktu", "gn:timbuktu", "toponym"),
                                   ("Mali", "ML", "toponym")])
    assert find_frames(result) == ()
    assert find_frames(annotate("", "en", [])) == ()


def test_evidence_and_trigger_offsets_are_exact() -> None:
    result = annotate(LAKE_CHAD_EN, "en", [("Maiduguri", "gn:maiduguri", "toponym")])
    for frame in find_frames(result):
        assert LAKE_CHAD_EN[frame.trigger.start:frame.trigger.end] == frame.trigger.text
        for span in frame.evidence:
            assert LAKE_CHAD_EN[span.start:span.end] == span.text
        assert frame.to_dict()["type"] == frame.type


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("Les réfugiés ont quitté Gao pour la Mauritanie.", ("ML", "MR")),
        ("Des milliers de déplacés ont fui Gao en direction du Niger.", ("ML", "NE")),
        ("Refugees fled Gao into Niger.", ("ML", "NE")),
        ("فر اللاجئون من غاو إلى موريتانيا.", ("ML", "MR")),
    ],
)
def test_displacement_destination_cues(text: str, route: tuple[str, str]) -> None:
    from geo import geoparse
    from geo.layers import build_layers

    flows = build_layers(geoparse(text))["displacement"]
    assert len(flows) == 1, flows["name"].tolist()
    (frame,) = find_frames(geoparse(text))
    roles = {p.role: p.place.country for p in frame.places}
    assert (roles["origin"], roles["destination"]) == route
