"""Both OpenAPI documents are valid, complete, and the servers keep to them under fuzzing."""

from __future__ import annotations

import os
import re
from itertools import count

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.webapp.stored import seed
from webapp import create_app
from webapp.openapi import describe
from webapp.store import get_store

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,  # input the description forbids is refused (4xx)
    positive_data_acceptance,  # input it allows is not refused as malformed (400/415/422)
]
#: Bounded so the suite stays fast, and derandomized (a fixed seed per test): every
#: operation, the same examples on every run. KHARITA_FUZZ_EXAMPLES=200 digs deeper.
KEYS = count()
EXAMPLES = int(os.environ.get("KHARITA_FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=list(HealthCheck))


@pytest.fixture
def app(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "DEMO_MAP": False, "PARSE_WORKERS": 0,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'kharita.sqlite3'}",
        }
    )
    with app.app_context():
        ids = seed(get_store())
    app.config["SEEDED"] = {
        "collectionId": "mentions",
        "featureId": f"{ids['kidal']}.mentions.0",
        "docId": ids["kidal"],
        "mapId": ids["public"],
    }
    return app


@pytest.mark.parametrize(
    ("path", "media"),
    [
        ("/api/openapi.json", "application/json"),
        ("/ogc/api", "application/vnd.oai.openapi+json"),
    ],
)
def test_openapi_documents_are_valid(app, path, media):
    response = app.test_client().get(path)
    assert response.status_code == 200 and response.mimetype == media
    validate(response.json)
    assert response.json["servers"][0]["url"].startswith("http://localhost/")


@pytest.mark.parametrize(("prefix", "path"), [("/api", "/api/openapi.json"), ("/ogc", "/ogc/api")])
def test_every_route_is_documented_and_nothing_else(app, prefix, path):
    documented = set(app.test_client().get(path).json["paths"])
    routed = {
        re.sub(r"<(?:\w+:)?(\w+)>", "{param}", rule.rule[len(prefix) :])
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(prefix + "/")
    }
    assert {re.sub(r"\{\w+\}", "{param}", p) for p in documented} == routed


def operations(name: str) -> list[tuple[str, str]]:
    """Return ``(method, path)`` of every operation in the ``name`` OpenAPI document."""
    return [
        (method.upper(), path)
        for path, item in describe(name, "/").get("paths").items()
        for method in item
    ]


def fuzz(app, location: str, method: str, path: str, checks=CHECKS) -> None:
    """Run bounded property-based requests against one operation through the WSGI app.

    Valid and invalid inputs, plus valid inputs aimed at stored ids so that the
    filters and pages of real collections are exercised, not only 404s.
    """
    operation = schemathesis.openapi.from_wsgi(location, app)[path][method]
    stored = {k: v for k, v in app.config["SEEDED"].items() if f"{{{k}}}" in path}
    strategies = [operation.as_strategy(mode) for mode in GenerationMode]
    if stored:
        strategies.append(operation.as_strategy(path_parameters=stored))

    @FUZZ
    @given(case=st.one_of(strategies))
    def run(case):
        # an Idempotency-Key names one write: a key the generator repeats with another body
        # is rightly a 422, which no schema can say; each case gets a key of its own
        # (the key's own rules have tests in test_api.py)
        if "Idempotency-Key" in (case.headers or {}):
            case.headers["Idempotency-Key"] = f"fuzz-{next(KEYS)}"
        # schemathesis sends requests' "Accept-Encoding: gzip, deflate" even through WSGI,
        # where nothing decodes the answer; gzip has its own tests (test_compression.py)
        case.call_and_validate(headers={"Accept-Encoding": "identity"}, checks=checks)

    run()


# schemathesis' pytest fixture loader does not run on pytest 9; drive hypothesis directly.
#: Operations with a rule OpenAPI 3.0 cannot state, so a schema-valid body may rightly be a
#: 400: a map's view.center is [lat, lon], and `items` cannot bound the two positions apart;
#: a correction names a mention, feature or gazetteer place that must exist in the document;
#: `datetime` is an RFC 3339 instant or interval, as in the OGC API (see below); a feed's
#: `every` is at least 10 s, which its pattern cannot say.
PROSE_RULES = {("POST", "/v1/maps"), ("POST", "/v1/documents/{docId}/corrections"),
               ("POST", "/v1/documents/{docId}/revisions/{number}/restore"),
               ("GET", "/v1/documents/{docId}/layers.geojson"),
               ("GET", "/v1/maps/{mapId}/layers.geojson"), ("POST", "/v1/maps/{mapId}/feeds")}


@pytest.mark.parametrize(("method", "path"), operations("api"))
def test_api_keeps_to_its_description(app, method, path):
    checks = [c for c in CHECKS if (method, path) not in PROSE_RULES
              or c is not positive_data_acceptance]
    fuzz(app, "/api/openapi.json", method, path, checks=checks)


@pytest.mark.parametrize(("method", "path"), operations("ogc"))
def test_ogc_api_keeps_to_its_description(app, method, path):
    # OGC API - Features defines bbox and datetime by prose (RFC 3339 instants and
    # intervals) that no schema pattern captures: a well-typed but meaningless value
    # ("datetime=http") is rightly a 400, so only forbidden input is checked both ways
    fuzz(app, "/ogc/api", method, path,
         checks=[c for c in CHECKS if c is not positive_data_acceptance])
