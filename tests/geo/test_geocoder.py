"""The gazetteer as a geopy geocoder, and the optional online fallback.

The online service is a local stand-in (http.server on 127.0.0.1 answering
Nominatim-shaped JSON): the only thing in these tests that is faked.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from geopy.geocoders import Nominatim
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo.errors import GazetteerError
from geo.gazetteer import get_gazetteer
from geo.geocoder import FallbackGeocoder, OfflineGeocoder, make_geocoder
from tests.standin import nominatim


@pytest.fixture(scope="module")
def offline() -> OfflineGeocoder:
    return OfflineGeocoder(get_gazetteer())


KNOWN_ONLINE = {"Rue des Lilas 12": ("48.85", "2.39"),
                "Madison County": ("34.76", "-86.55")}


@pytest.fixture
def service() -> Iterator[tuple[str, list[str]]]:
    with nominatim(KNOWN_ONLINE) as running:
        yield running


@pytest.fixture
def stand_in(service: tuple[str, list[str]]) -> str:
    return service[0]


@pytest.fixture
def queries(service: tuple[str, list[str]]) -> list[str]:
    return service[1]


def test_is_a_geopy_geocoder(offline: OfflineGeocoder) -> None:
    assert isinstance(offline, Geocoder)
    found = offline.geocode("Tessalit")
    assert isinstance(found, Location)
    assert found.raw["id"] == "gn:2449893" and found.raw["country"] == "ML"
    assert abs(found.latitude - 20.2) < 0.1


@pytest.mark.parametrize(("query", "kwargs", "expected"), [
    ("الجزائر", {}, "ne:admin0:DZA"),            # country before its capital city
    ("Mali", {}, "ne:admin0:MLI"),
    ("أزواد", {}, "kh:azawad"),
    ("Paris", {"country_codes": "US"}, "gn:4717560"),  # Paris, Texas: largest US Paris
    ("Gao, Mali", {}, "ne:admin1:MLI-2690"),
    ("Gao, Burkina Faso", {}, "gn:2360626"),
])
def test_geocode_ranking(offline: OfflineGeocoder, query: str, kwargs: dict[str, Any],
                         expected: str) -> None:
    found = offline.geocode(query, **kwargs)
    assert isinstance(found, Location) and found.raw["id"] == expected


def test_geocode_many_and_language(offline: OfflineGeocoder) -> None:
    many = offline.geocode("Timbuktu", exactly_one=False)
    assert isinstance(many, list) and {"gn:2449067", "ne:admin1:MLI-2688"} <= {
        loc.raw["id"] for loc in many}
    french = offline.geocode("Timbuktu", language="fr")
    assert isinstance(french, Location) and "Tombouctou" in french.address
    assert offline.geocode("Nowhere-on-earth-xyz") is None


def test_reverse(offline: OfflineGeocoder) -> None:
    near = offline.reverse((18.45, 1.41))
    assert isinstance(near, Location) and near.raw["id"] == "gn:2455290"   # Kidal town
    desert = offline.reverse((20.5, 0.5), exactly_one=False)
    assert isinstance(desert, list)
    assert [loc.raw["id"] for loc in desert][:1] == ["ne:admin1:MLI-2689"]
    assert "ne:admin0:MLI" in {loc.raw["id"] for loc in desert}
    assert offline.reverse((0.0, -30.0)).raw["id"] == "kh:atlantic-ocean"  # type: ignore[union-attr]
    assert offline.reverse((-40.0, -130.0)) is None  # the South Pacific: no place at all


def test_fallback_asks_online_once(offline: OfflineGeocoder, stand_in: str,
                                   queries: list[str], tmp_path: Path) -> None:
    online = Nominatim(domain=stand_in, scheme="http", user_agent="kharita-tests")
    geocoder = FallbackGeocoder(offline, online, tmp_path / "cache.sqlite",
                                min_delay_seconds=0)
    assert geocoder.geocode("Kidal").raw["id"] == "ne:admin1:MLI-2689"  # offline
    assert queries == []
    first = geocoder.geocode("Rue des Lilas 12")
    assert isinstance(first, Location) and abs(first.latitude - 48.85) < 1e-9
    assert len(queries) == 1
    again = geocoder.geocode("Rue des Lilas 12")
    assert again is not None and again.address == first.address
    assert geocoder.geocode("Nothing here") is None
    assert geocoder.geocode("Nothing here") is None
    assert len(queries) == 2  # misses are cached too
    reopened = FallbackGeocoder(offline, online, tmp_path / "cache.sqlite")
    assert reopened.geocode("Rue des Lilas 12") is not None
    assert len(queries) == 2  # the cache is persistent


def test_fallback_survives_a_dead_service(offline: OfflineGeocoder, tmp_path: Path) -> None:
    online = Nominatim(domain="127.0.0.1:9", scheme="http", user_agent="kharita-tests",
                       timeout=2)
    geocoder = FallbackGeocoder(offline, online, tmp_path / "c.sqlite", min_delay_seconds=0)
    assert geocoder.geocode("Rue des Lilas 12") is None


def test_make_geocoder(stand_in: str, tmp_path: Path) -> None:
    gaz = get_gazetteer()
    assert isinstance(make_geocoder(gazetteer=gaz), OfflineGeocoder)
    geocoder = make_geocoder(fallback="nominatim", fallback_url=f"http://{stand_in}",
                             user_agent="kharita-tests", cache_path=tmp_path / "g.sqlite",
                             gazetteer=gaz, min_delay_seconds=0)
    assert isinstance(geocoder, FallbackGeocoder)
    assert geocoder.geocode("Rue des Lilas 12") is not None
    with pytest.raises(GazetteerError, match="fallback"):
        make_geocoder(fallback="no-such-service", gazetteer=gaz)


def test_geoparse_asks_the_fallback_only_about_misses(stand_in: str, queries: list[str],
                                                      tmp_path: Path) -> None:
    from geo import geoparse

    geocoder = make_geocoder(fallback="nominatim", fallback_url=f"http://{stand_in}",
                             user_agent="kharita-tests", cache_path=tmp_path / "g.sqlite",
                             gazetteer=get_gazetteer(), min_delay_seconds=0)
    text = "Deputies from Madison County drove to Gao, in Mali."
    offline_only = {m.surface: m for m in geoparse(text).mentions}
    assert offline_only["Madison County"].place is None
    mentions = {m.surface: m for m in geoparse(text, geocoder=geocoder).mentions}
    county = mentions["Madison County"].place
    assert county is not None and county.source == "online geocoder fallback"
    assert abs(county.lat - 34.76) < 1e-6
    assert mentions["Gao"].place is not None and mentions["Gao"].place.country == "ML"
    assert [r for r in queries if "Gao" in r] == []  # offline answers stay offline


def test_geoparse_keeps_the_miss_when_the_service_is_down(tmp_path: Path) -> None:
    from geo import geoparse

    geocoder = make_geocoder(fallback="nominatim", fallback_url="http://127.0.0.1:9",
                             user_agent="kharita-tests", cache_path=tmp_path / "g.sqlite",
                             gazetteer=get_gazetteer(), min_delay_seconds=0)
    (mention,) = [m for m in geoparse("They searched Madison County.", geocoder=geocoder).mentions]
    assert mention.place is None and "online geocoder" in (mention.reason or "")


def test_cli_fallback_from_the_environment(stand_in: str, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from webapp.cli import cli

    get_gazetteer()  # loaded from the usual cache before the cache dir moves
    monkeypatch.setenv("KHARITA_CACHE_DIR", str(tmp_path))  # the answer cache goes here
    source = tmp_path / "report.txt"
    source.write_text("Deputies from Madison County drove home.", encoding="utf-8")
    env = {"KHARITA_GEOCODER_FALLBACK": "nominatim",
           "KHARITA_GEOCODER_URL": f"http://{stand_in}",
           "KHARITA_GEOCODER_USER_AGENT": "kharita-tests"}
    result = CliRunner().invoke(cli, ["parse", str(source), "--format", "json"], env=env)
    assert result.exit_code == 0, result.output
    (mention,) = json.loads(result.output)["mentions"]
    assert mention["place"]["lat"] == pytest.approx(34.76)
