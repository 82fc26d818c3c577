"""GEOCODER_FALLBACK: the web app asks a (local stand-in) geocoder about misses."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.standin import nominatim
from webapp import create_app


@pytest.fixture
def service() -> Iterator[tuple[str, list[str]]]:
    with nominatim({"Tarrant County": ("32.77", "-97.29")}) as (host, queries):
        yield f"http://{host}", queries


def make_app(tmp_path, **config: Any):
    return create_app({"TESTING": True, "DEMO_MAP": False, "PARSE_WORKERS": 0,
                       "DATABASE_URL": f"sqlite:///{tmp_path / 'k.db'}", **config})


def test_fallback_resolves_what_the_gazetteer_lacks(tmp_path, service) -> None:
    url, queries = service
    app = make_app(tmp_path, GEOCODER_FALLBACK="nominatim", GEOCODER_URL=url,
                   GEOCODER_CACHE=str(tmp_path / "answers.sqlite"))
    text = "Deputies in Tarrant County met officials from Kidal, Mali."
    body = app.test_client().post("/api/v1/geoparse", json={"text": text}).json
    mentions = {m["surface"]: m for m in body["mentions"]}
    assert mentions["Tarrant County"]["place"]["lat"] == pytest.approx(32.77)
    assert mentions["Kidal"]["place"]["country"] == "ML"
    assert queries == ["Tarrant County"]  # only the miss went out


def test_no_fallback_by_default(tmp_path, service) -> None:
    app = make_app(tmp_path)
    body = app.test_client().post("/api/v1/geoparse",
                                  json={"text": "Deputies in Tarrant County met."}).json
    (mention,) = body["mentions"]
    assert mention["place"] is None and mention["reason"]
    assert service[1] == []
