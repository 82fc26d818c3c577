"""Settings: one table drives defaults, environment overrides and the README."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import pytest

from tests.webapp.conftest import TEXT_EN, sample_result
from tests.webapp.stored import collection, point
from webapp import create_app
from webapp.settings import SETTINGS, SettingError, defaults, settings_markdown
from webapp.store import get_store

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_readme_documents_setting(setting):
    assert README.exists(), "README.md is missing"
    assert f"KHARITA_{setting.name}" in README.read_text(encoding="utf-8") or (
        f"`{setting.name}`" in README.read_text(encoding="utf-8")
    ), f"README.md does not document the setting {setting.name}"


def test_every_setting_has_help():
    assert len({s.name for s in SETTINGS}) == len(SETTINGS)
    assert all(s.help.strip() for s in SETTINGS)
    assert all(f"`{s.name}`" in settings_markdown() for s in SETTINGS)


def test_defaults_apply(app):
    for name, value in defaults().items():
        # the fixture sets these; the key is made on start
        if name not in ("DEMO_MAP", "DATABASE_URL", "SECRET_KEY", "PARSE_WORKERS"):
            assert app.config[name] == value


def test_environment_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv("KHARITA_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    monkeypatch.setenv("KHARITA_DEMO_MAP", "false")
    monkeypatch.setenv("KHARITA_FRAME_ANCESTORS", "https://news.example")
    app = create_app()
    assert app.config["DEMO_MAP"] is False
    assert app.config["FRAME_ANCESTORS"] == "https://news.example"
    assert (tmp_path / "env.db").exists()
    app.extensions["kharita.store"].close()


def test_test_config_wins(app):
    assert app.testing and app.config["DEMO_MAP"] is False


@pytest.mark.parametrize(
    "config, message",
    [
        ({"TILES": "NoSuch.Provider"}, "TILES: unknown xyzservices provider"),
        ({"DEFAULT_LOCALE": "de"}, "DEFAULT_LOCALE: expected ar, fr or en"),
        ({"MAX_CONTENT_LENGTH": 0}, "MAX_CONTENT_LENGTH: expected a positive whole number"),
        ({"EMBED_HEIGHT": "tall"}, "EMBED_HEIGHT: expected a positive whole number"),
        ({"FRAME_ANCESTORS": 3}, "FRAME_ANCESTORS: expected"),
        ({"MAP_CACHE_ENTRIES": -1}, "MAP_CACHE_ENTRIES: expected a whole number, 0 or more"),
        ({"GZIP_MIN_BYTES": "1k"}, "GZIP_MIN_BYTES: expected a whole number, 0 or more"),
        ({"MERGE_DISTANCE_KM": 0}, "MERGE_DISTANCE_KM: expected a positive number"),
        ({"MERGE_DISTANCE_KM": "25km"}, "MERGE_DISTANCE_KM: expected a positive number"),
        ({"MERGE_WINDOW_DAYS": -1}, "MERGE_WINDOW_DAYS: expected a whole number of days"),
        ({"MERGE_WINDOW_DAYS": 1.5}, "MERGE_WINDOW_DAYS: expected a whole number of days"),
        ({"DATABASE_POOL_SIZE": 0}, "DATABASE_POOL_SIZE: expected a positive whole number"),
    ],
)
def test_bad_settings_fail_at_start(tmp_path, config, message):
    with pytest.raises(SettingError, match=message):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "DEMO_MAP": False,
                    "PARSE_WORKERS": 0, **config})


def test_a_postgres_store_keeps_the_pool_size_it_is_given(postgres_url):
    app = create_app({"DATABASE_URL": postgres_url, "DATABASE_POOL_SIZE": 12, "DEMO_MAP": False,
                      "PARSE_WORKERS": 0})
    try:
        assert app.extensions["kharita.store"].engine.pool.size() == 12
    finally:
        app.extensions["kharita.store"].close()


def test_online_tiles_are_opt_in(tmp_path, client, stored):
    assert "L.tileLayer(" not in client.get(f"/maps/{stored.map_id}").get_data(as_text=True)
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "DEMO_MAP": False,
                      "PARSE_WORKERS": 0, "TILES": "OpenStreetMap.Mapnik"})
    mentions, layers = sample_result()
    with app.app_context():
        record = get_store().add_document(text=TEXT_EN, title="t", lang="en", mentions=mentions,
                                          layers=layers, map_title="t")
    html = app.test_client().get(f"/maps/{record.map_id}").get_data(as_text=True)
    assert "L.tileLayer(" in html and "tile.openstreetmap.org" in html
    app.extensions["kharita.store"].close()


def _merged_attacks(tmp_path: Path, **config) -> int:
    """Two reports of an attack 11 km and 2 days apart on one map: how many events it shows."""
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    app = create_app({"DATABASE_URL": f"sqlite:///{folder / 'kharita.db'}",
                      "DEMO_MAP": False, "PARSE_WORKERS": 0, **config})
    with app.app_context():
        store = get_store()
        docs = []
        for n in range(2):
            attack = point("Menaka", 2.40 + 0.1 * n, 15.92)
            attack["properties"].update(layer="attacks", date=f"2024-03-0{3 + 2 * n}")
            docs.append(store.add_document(text=f"r{n}", title=f"r{n}", lang="en", mentions=[],
                                           published=date(2024, 3, 4 + 2 * n),
                                           layers={"attacks": collection(attack)}))
        record = store.create_map(title="m", document_ids=[d.id for d in docs])
        features = store.map_layers(record, private=True)["attacks"]["features"]
    ogc = app.test_client().get(f"/ogc/collections/map-{record.id}-attacks/items").get_json()
    app.extensions["kharita.store"].close()
    assert ogc["numberMatched"] == len(features)  # the OGC API merges by the same rule
    return len(features)


def test_the_merge_thresholds_are_settings(tmp_path):
    assert _merged_attacks(tmp_path) == 1  # 25 km and 3 days: one event, two sources
    assert _merged_attacks(tmp_path, MERGE_DISTANCE_KM=5) == 2
    assert _merged_attacks(tmp_path, MERGE_WINDOW_DAYS=1) == 2
    assert _merged_attacks(tmp_path, MERGE_DISTANCE_KM=5.0, MERGE_WINDOW_DAYS=1) == 2
