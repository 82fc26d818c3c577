"""Names read with what stands right next to them: a nationality ("l'Adrar mauritanien"), the
area that holds a town ("Boma island in the Lake Chad region"), and a longer name the text
gave earlier ("the Adrar" after "the Adrar des Ifoghas"). Own sentences, three languages,
the bundled gazetteer."""

from __future__ import annotations

import pytest

from geo import geoparse


def _read(text: str, lang: str, surface: str) -> tuple[str | None, str | None]:
    """The place name and country the mention ending in ``surface`` resolved to."""
    (mention,) = [m for m in geoparse(text, lang=lang).mentions if m.surface.endswith(surface)]
    return (mention.place.name, mention.place.country) if mention.place else (None, None)


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Des combats se déroulent dans l'Adrar mauritanien.", "fr"),
     ("Fighting broke out in the Mauritanian Adrar.", "en")],
)
def test_a_nationality_next_to_a_name_picks_the_reading_in_that_country(text, lang) -> None:
    assert _read(text, lang, "Adrar") == ("Adrar", "MR")


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Un drone a frappé dans le sud-est du Gourma nigérien.", "fr"),
     ("A drone struck in the Nigerien Gourma.", "en")],
)
def test_a_nationality_with_no_reading_there_is_a_reasoned_miss(text, lang) -> None:
    mention = next(m for m in geoparse(text, lang=lang).mentions if "Gourma" in m.surface)
    assert mention.place is None and "Niger" in (mention.reason or "")


@pytest.mark.parametrize(
    ("text", "lang"),
    [("The attack hit Boma island in the Lake Chad region.", "en"),
     ("L'attaque a eu lieu sur l'île de Boma, dans la région du lac Tchad.", "fr"),
     ("وقع الهجوم في جزيرة بوما بمنطقة بحيرة تشاد.", "ar")],
)
def test_a_town_outside_the_area_named_with_it_is_a_reasoned_miss(text, lang) -> None:
    """The gazetteer's only Boma is in the Congo, 2,000 km from Lake Chad."""
    mention = next(m for m in geoparse(text, lang=lang).mentions if "بوما" in m.surface
                   or "Boma" in m.surface)
    assert mention.place is None and "Lake Chad" in (mention.reason or "")


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Militants attacked Kaya, in Burkina Faso.", "en"),
     ("Des hommes armés ont attaqué Kaya, au Burkina Faso.", "fr")],
)
def test_a_town_inside_the_area_named_with_it_keeps_its_reading(text, lang) -> None:
    assert _read(text, lang, "Kaya") == ("Kaya", "BF")


@pytest.mark.parametrize(
    ("text", "lang", "short"),
    [("Fighting raged in the Adrar des Ifoghas mountains. French troops also fought in the "
      "Adrar area.", "en", "Adrar"),
     ("Les combats font rage dans l'Adrar des Ifoghas. Les soldats français ratissent "
      "l'Adrar.", "fr", "Adrar"),
     ("تدور معارك في جبال أدرار إيفوغاس. وقال الجيش الفرنسي إنه يقاتل في منطقة أدرار.", "ar",
      "أدرار")],
)
def test_a_short_form_is_the_longer_name_given_earlier(text, lang, short) -> None:
    mentions = [m for m in geoparse(text, lang=lang).mentions if m.surface.endswith(short)]
    assert mentions[-1].place is not None and mentions[-1].place.name == "Adrar des Ifoghas"



@pytest.mark.parametrize(
    ("text", "kind"),
    [("Les massacres ont eu lieu dans le Tillabéry, en janvier.", "admin1"),
     ("Des hommes armés ont attaqué Tillabéry en janvier.", "town")],
)
def test_a_french_article_before_a_name_means_the_region(text, kind) -> None:
    (mention,) = geoparse(text, lang="fr").mentions
    assert mention.place is not None and mention.place.type == kind


def test_an_arabic_town_after_its_cue_word_is_read_in_a_report_about_another_country() -> None:
    """"مخيم امبرة" is the Mbera camp in Mauritania although the report is about Mali."""
    text = "يعيش 75 ألف لاجئ في مخيم امبرة. ومعظم اللاجئين قدموا من تمبكتو."
    assert [m.place.name for m in geoparse(text, lang="ar").mentions if m.place] == [
        "Mbera", "Timbuktu"]
