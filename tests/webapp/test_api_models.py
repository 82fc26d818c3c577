"""The JSON API's request models: the house messages, their order, and the OpenAPI fields."""

from __future__ import annotations

import json
from datetime import date

import pytest
from openapi_spec_validator import validate

from webapp.api import models
from webapp.api.schemas import DESCRIBED
from webapp.errors import RequestError

KIDAL = {"text": "Kidal"}
MAP = {"title": "T", "document_ids": ["d1"]}


@pytest.mark.parametrize(("model", "body", "expected"), [
    (models.DocumentBody, {"text": "a\x00b"},
     "'text' contains a NUL character (U+0000), which is not text; remove it"),
    (models.DocumentBody, {"text": None}, "'text' is required"),
    (models.DocumentBody, {"text": ["Kidal"]}, "'text' should be a string, got list"),
    (models.DocumentBody, {**KIDAL, "title": "t" * 501},
     "'title' should be at most 500 characters, got 501"),
    (models.DocumentBody, {**KIDAL, "published": "2024-13-01"},
     "'published' should be a date YYYY-MM-DD, got '2024-13-01'"),
    (models.DocumentBody, {**KIDAL, "public": "true"},
     "'public' should be true or false, got 'true'"),
    (models.DocumentBody, {**KIDAL, "public": None}, "'public' should be true or false, got None"),
    (models.ParseBody, {**KIDAL, "lang": "a\x00"},
     "'lang' contains a NUL character (U+0000), which is not text; remove it"),
    (models.MapBody, {**MAP, "view": {"center": [91, 0]}},
     "'view.center' should be [lat, lon] in degrees, got [91, 0]"),
    (models.MapBody, {**MAP, "view": {"zoom": True}},
     "'view.zoom' should be an integer 0..18, got True"),
    (models.MapBody, {**MAP, "view": {"zoom": 3, "bearing": 0}},
     "'view' should be an object with center [lat, lon] and zoom, got {'zoom': 3, 'bearing': 0}"),
    (models.MapBody, {**MAP, "view": [1, 2]},
     "'view' should be an object with center [lat, lon] and zoom, got [1, 2]"),
    (models.TokenBody, {"scope": " "}, "'scope' should not be empty"),
    (models.TokenBody, {"scope": "admin"}, "'scope' should be one of read, write, got 'admin'"),
    (models.FeedBody, {"url": "http://x.example/rss", "every": 15},
     "'every' should be a string, got int"),
])
def test_a_bad_field_is_named_with_what_was_received(model, body, expected):
    with pytest.raises(RequestError) as error:
        models.parse(model, body)
    assert str(error.value) == expected


@pytest.mark.parametrize(("model", "body", "field"), [
    (models.DocumentBody, {"text": 1, "colour": "red", "title": 2}, "unknown field 'colour'"),
    (models.DocumentBody, {"text": 1, "source_url": "ftp://x"}, "'source_url'"),
    (models.MapBody, {"document_ids": "d1"}, "'document_ids' should be a list of strings"),
    (models.MapBody, {"title": "T"}, "'document_ids' should list at least one stored document"),
    (models.MapBody, {"document_ids": ["d1"], "view": {"x": 1}}, "'title' is required"),
])
def test_of_several_errors_the_one_the_api_always_told_comes_first(model, body, field):
    with pytest.raises(RequestError, match="^" + field.replace("(", r"\(")):
        models.parse(model, body)


def test_a_good_body_reads_as_the_store_needs_it():
    document = models.parse(models.DocumentBody, {
        "text": "Kidal", "title": None, "source_url": " https://news.example/a ",
        "published": " 2024-05-01 ", "lang": "auto"})
    assert (document.title, document.source_url, document.published, document.lang,
            document.public) == ("", "https://news.example/a", date(2024, 5, 1), None, None)
    mapped = models.parse(models.MapBody, {**MAP, "layers": [], "view": {"center": [16, -3],
                                                                         "zoom": None}})
    assert mapped.layers is None and mapped.view is not None
    assert mapped.view.model_dump(exclude_none=True) == {"center": [16, -3]}  # ints stay ints


def test_the_openapi_description_takes_its_request_schemas_from_the_models(client):
    described = client.get("/api/openapi.json").get_json()
    validate(described)
    schemas = described["components"]["schemas"]
    for name, model in DESCRIBED.items():
        assert set(schemas[name]["properties"]) == set(model.model_fields), name
        assert schemas[name]["additionalProperties"] is False
    assert schemas["MapInput"]["properties"]["view"] == {"$ref": "#/components/schemas/View"}
    assert schemas["DocumentInput"]["properties"]["lang"]["enum"] == ["ar", "fr", "en", "auto"]
    # OpenAPI 3.0 has no null type: a field that takes null says nullable
    assert schemas["DocumentInput"]["properties"]["title"]["nullable"] is True
    assert "nullable" not in schemas["DocumentInput"]["properties"]["public"]
    assert "anyOf" not in json.dumps(schemas) and '"title": "' not in json.dumps(schemas)


@pytest.mark.parametrize(("args", "expected"), [
    ({"limit": "1_000"}, "'limit' should be an integer, got '1_000'"),
    ({"limit": "2.0"}, "'limit' should be an integer, got '2.0'"),
    ({"limit": "101"}, "'limit' should be between 1 and 100, got 101"),
    ({"offset": "-1"}, "'offset' should be between 0 and 1000000, got -1"),
    ({"layers": " "}, "'layers' is empty; leave it out for every layer, or name layer ids such "
                      "as mentions,control_zones"),
    ({"layers": "mentions,Control Zones"},
     "'layers' should hold layer ids such as mentions,control_zones; got 'Control Zones'"),
])
def test_a_bad_query_option_is_named_with_what_was_received(args, expected):
    model = models.LayersQuery if "layers" in args else models.PageQuery
    with pytest.raises(RequestError) as error:
        models.parse(model, args)
    assert str(error.value) == expected


def test_query_options_read_as_numbers_and_layer_ids_and_others_are_left_alone():
    page = models.parse(models.PageQuery, {"limit": " 5 ", "lang": "ar"})
    assert (page.limit, page.offset) == (5, 0)
    assert models.parse(models.LayersQuery, {"layers": "mentions,control_zones"}).layers == [
        "mentions", "control_zones"]
    assert models.parse(models.LayersQuery, {}).layers is None
