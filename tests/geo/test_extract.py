"""The matcher's array prefilter against the per-match casing rule it stands in for."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from geo.extract import GazetteerMatcher, default_matcher
from geo.gazetteer import get_gazetteer

TEXTS = {
    "en": "the reading in Reading said to Paris and paris, US and us; Chadian troops "
          "near Gao and the city of may, May in Mobile or mobile, ga. and Ga. Atlanta",
    "fr": "les troupes maliennes et le Tchad, la zone des trois frontières et Gao ; "
          "paris et Paris, le nord du mali, des réfugiés mauritaniens à Nouakchott",
    "ar": "انسحبت القوات المالية من غاو إلى موريتانيا وللجزائر والنيجر",
}


@pytest.mark.parametrize("lang", sorted(TEXTS))
def test_prefilter_changes_nothing_but_speed(lang: str) -> None:
    real = default_matcher(get_gazetteer())
    # A matcher told that every name may be written in lower case drops no raw
    # match early; the casing rule then judges them one by one.
    everything = {lng: np.ones(len(real.index.keys), dtype=bool) for lng in TEXTS}
    unfiltered = GazetteerMatcher(
        real.gazetteer, index=dataclasses.replace(real.index, lowercase=everything))
    text = TEXTS[lang]
    found = real.extract(text, lang=lang)
    assert found == unfiltered.extract(text, lang=lang)
    assert found  # the texts do name places


def test_lowercase_names_are_known_per_language() -> None:
    index = default_matcher(get_gazetteer()).index
    position = {k: i for i, k in enumerate(index.keys)}
    assert index.lowercase["fr"][position["malien"]]  # French demonyms are lower case
    assert not index.lowercase["en"][position["reading"]]
