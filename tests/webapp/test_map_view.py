"""Saved map views: the map page and embeds start from them; the form and the API store them."""

from __future__ import annotations

import dataclasses
import re

import pytest

from tests.webapp.test_bad_input import counts
from webapp.models import MapRow
from webapp.store import get_store

VIEW = {"center": [16.5, -1.5], "zoom": 6}


def start_view(html: str) -> tuple[list[float], int, bool]:
    """Return the Leaflet map's starting center, zoom and whether it fits to bounds."""
    center = re.search(r"center: \[([-\d.]+), ([-\d.]+)\]", html)
    zoom = re.search(r'"zoom": (\d+)', html)
    assert center and zoom, "no L.map options in the page"
    return [float(center[1]), float(center[2])], int(zoom[1]), ".fitBounds(" in html


@pytest.fixture
def viewed(app, stored):
    """A map over the stored document with a saved view."""
    with app.app_context():
        return get_store().create_map(title="Viewed", document_ids=[stored.id], view=VIEW)


@pytest.mark.parametrize(
    "url, expected",
    [
        ("/maps/{id}", ([16.5, -1.5], 6, False)),
        ("/embed/{id}", ([16.5, -1.5], 6, False)),
        ("/embed/{id}?zoom=3", ([16.5, -1.5], 3, False)),
        ("/embed/{id}?center=10,20", ([10.0, 20.0], 6, False)),
        ("/embed/{id}?center=10,20&zoom=0", ([10.0, 20.0], 0, False)),
    ],
)
def test_pages_start_from_the_saved_view(client, viewed, url, expected):
    response = client.get(url.format(id=viewed.id))
    assert response.status_code == 200
    assert start_view(response.get_data(as_text=True)) == expected


@pytest.mark.parametrize("url", ["/maps/{id}", "/embed/{id}"])
def test_without_a_saved_view_the_map_fits_its_layers(client, stored, url):
    assert start_view(client.get(url.format(id=stored.map_id)).get_data(as_text=True))[2]


def test_zoom_alone_centers_on_the_data(client, stored):
    # the control zone spans lat 15..20, lon -4..4: its middle, not the fallback [17, 0]
    html = client.get(f"/embed/{stored.map_id}?zoom=5").get_data(as_text=True)
    assert start_view(html) == ([17.5, 0.0], 5, False)


def test_version_follows_the_view(viewed):
    moved = dataclasses.replace(viewed, view={"center": [16.5, -1.5], "zoom": 7})
    assert moved.version != viewed.version
    assert dataclasses.replace(viewed, view=dict(VIEW)).version == viewed.version


@pytest.mark.parametrize("url", ["/maps/{id}", "/embed/{id}"])
def test_changed_view_is_not_served_from_the_render_cache(app, client, viewed, url):
    url = url.format(id=viewed.id)
    assert start_view(client.get(url).get_data(as_text=True))[1] == 6
    # no writer changes a view yet: change the row underneath
    with app.app_context(), get_store().session.begin() as session:
        session.get(MapRow, viewed.id).view = {"center": [16.5, -1.5], "zoom": 9}
    assert start_view(client.get(url).get_data(as_text=True))[1] == 9


def test_form_stores_the_view(app, client, stored):
    data = {"title": "From the form", "documents": [stored.id], "center": " 16.5, -1.5 ",
            "zoom": "6"}
    response = client.post("/maps", data=data)
    assert response.status_code == 303
    map_id = response.headers["Location"].rsplit("/", 1)[-1]
    with app.app_context():
        assert get_store().get_map(map_id).view == VIEW
    assert start_view(client.get(f"/maps/{map_id}").get_data(as_text=True)) == (
        [16.5, -1.5], 6, False)


def test_form_without_a_view_stores_none(app, client, stored):
    data = {"title": "Fit", "documents": [stored.id], "center": "", "zoom": ""}
    map_id = client.post("/maps", data=data).headers["Location"].rsplit("/", 1)[-1]
    with app.app_context():
        assert get_store().get_map(map_id).view == {}


def test_form_offers_the_view_fields(client, stored):
    html = client.get("/maps/new").get_data(as_text=True)
    assert 'name="center"' in html and 'name="zoom"' in html


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"center": "north"}, "center: expected &#39;lat,lon&#39;"),
        ({"center": "16.5"}, "center: expected &#39;lat,lon&#39;"),
        ({"center": "1,2,3"}, "center: expected &#39;lat,lon&#39;"),
        ({"center": "95,10"}, "center: latitude or longitude out of range"),
        ({"center": "10,-181"}, "center: latitude or longitude out of range"),
        ({"center": "nan,1"}, "center: latitude or longitude out of range"),
        ({"zoom": "19"}, "zoom: expected a whole number from 0 to 18"),
        ({"zoom": "1.5"}, "zoom: expected a whole number from 0 to 18"),
        ({"zoom": "-1"}, "zoom: expected a whole number from 0 to 18"),
    ],
)
def test_form_rejects_bad_views(app, client, stored, fields, message):
    response = client.post("/maps", data={"title": "M", "documents": [stored.id], **fields})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert f'value="{fields.get("center", fields.get("zoom"))}"' in html  # kept for correction
    assert counts(app) == (1, 1)


def test_api_view_reaches_the_embed(app, client, stored):
    body = {"title": "API", "document_ids": [stored.id], "view": {"center": [10, 20], "zoom": 4}}
    created = client.post("/api/v1/maps", json=body)
    assert created.status_code == 201 and created.json["map"]["view"] == body["view"]
    html = client.get(f"/embed/{created.json['map']['id']}").get_data(as_text=True)
    assert start_view(html) == ([10.0, 20.0], 4, False)


@pytest.mark.parametrize(
    "view, words",
    [
        ([], "'view' should be an object"),
        ("{nope", "'view' should be an object"),
        ({"zoom": 5, "basemap": "relief"}, "'view' should be an object"),
        ({"zoom": 5.5}, "'view.zoom'"),
        ({"zoom": True}, "'view.zoom'"),
        ({"center": [95, 0]}, "'view.center'"),
        ({"center": "10,20"}, "'view.center'"),
        ({"center": [10, None]}, "'view.center'"),
    ],
)
def test_api_rejects_bad_views(app, client, stored, view, words):
    body = {"title": "API", "document_ids": [stored.id], "view": view}
    response = client.post("/api/v1/maps", json=body)
    assert response.status_code == 400 and words in response.json["error"]
    assert counts(app) == (1, 1)


def test_api_takes_no_form_bodies(app, client, stored):
    data = {"title": "Form", "document_ids": stored.id, "view": '{"center": [10, 20]}'}
    response = client.post("/api/v1/maps", data=data)
    assert response.status_code == 415 and "application/json" in response.json["error"]
    assert counts(app) == (1, 1)
