"""The open data API does what its OpenAPI document says, and answers everything in JSON.

A query parameter the document allows is accepted; one it does not allow is refused with a
400; a method it does not list is refused with a 405 (with Allow), before CSRF could answer
with its HTML page; an unknown path under /api/ is a 404. Every one of these is JSON.
"""

import io
from pathlib import Path

import jsonschema
import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from openapi_spec_validator import validate

from priorities.models import Activity, Commitment
from priorities.openapi import openapi_document

STATIC = openapi_document()
API_PATHS = list(STATIC["paths"])
UNLISTED_METHODS = ["post", "put", "patch", "delete", "options", "trace", "query"]


def error_schema(document) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        {"$ref": "#/components/schemas/Error", "components": document["components"]}
    )


def assert_json_error(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    error_schema(STATIC).validate(response.json())
    return response.json()


@pytest.fixture
def served(client, strategy) -> dict:
    """The document as the portal serves it, with the strategy loaded."""
    document = client.get("/api/openapi.json").json()
    validate(document)
    return document


def parameter_schema(document, name: str) -> dict:
    operation = document["paths"]["/api/activities/"]["get"]
    (parameter,) = [p for p in operation["parameters"] if p["name"] == name]
    return parameter["schema"]


def allowed(schema: dict, value) -> bool:
    return jsonschema.Draft202012Validator(schema).is_valid(value)


@pytest.mark.parametrize("method", UNLISTED_METHODS)
def test_unlisted_methods_are_refused_with_405_in_json(db, method, subtests):
    # A browser's client: CSRF is checked, and there is no token. The API has nothing for
    # CSRF to protect, and the method is refused before CSRF would answer with its 403 page.
    client = Client(enforce_csrf_checks=True)
    for path in API_PATHS:
        with subtests.test(path=path):
            response = client.generic(method.upper(), path, "{}", "application/json")
            body = assert_json_error(response, 405)
            assert response["Allow"] == "GET, HEAD"
            assert method.upper() in body["detail"]


def test_unlisted_methods_are_refused_for_staff_too(staff_client, db):
    response = staff_client.post("/api/activities/", {"title": "x"})
    assert_json_error(response, 405)
    assert not Activity.objects.exists()


@pytest.mark.parametrize("path", ["/api/", "/api/nothing/", "/api/activities/1/"])
def test_unknown_api_paths_are_404_in_json(client, db, path):
    assert_json_error(client.get(path), 404)


def test_a_missing_slash_still_redirects(client, db):
    # APPEND_SLASH, as on the rest of the site: the client finds the listed path.
    response = client.get("/api/activities")
    assert response.status_code == 301
    assert response["Location"] == "/api/activities/"


def test_the_document_describes_the_405_and_404_answers(served):
    responses = served["components"]["responses"]
    assert "Allow" in responses["MethodNotAllowed"]["headers"]
    for name in ("MethodNotAllowed", "NotFound"):
        schema = responses[name]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/Error"}


def year_cases(strategy):
    this_year = timezone.localdate().year
    last = min(strategy.period_end, this_year)
    years = [0, -1, 1900, strategy.period_start - 1, strategy.period_start, last, last + 1]
    return ["", *years, 99999]


def test_year_is_accepted_exactly_when_the_document_allows_it(client, served, strategy):
    schema = parameter_schema(served, "year")
    verdicts = {}
    for year in year_cases(strategy):
        response = client.get("/api/activities/", {"year": year})
        assert response["Content-Type"] == "application/json"
        verdicts[year] = (allowed(schema, year), response.status_code)
    assert verdicts[0] == (False, 400)
    assert verdicts[strategy.period_start] == (True, 200)
    assert verdicts[""] == (True, 200)  # no filter, as in the search page's form
    for year, (documented, status) in verdicts.items():
        assert documented == (status == 200), (year, documented, status)


@pytest.mark.parametrize(
    ("name", "known", "unknown"),
    [
        ("priority", "bilaterale-avtaler", "no-such-priority"),
        ("commitment", "2.1", "9.9"),
        ("partner", "kaunas", "nowhere"),
        ("organisation", "errin", "nobody"),
        ("programme", "erasmus-plus", "none"),
        ("kind", "meeting", "picnic"),
    ],
)
def test_filters_are_accepted_exactly_when_the_document_allows_them(
    client, served, name, known, unknown
):
    schema = parameter_schema(served, name)
    for value, documented in ((known, True), ("", True), (unknown, False)):
        response = client.get("/api/activities/", {name: value})
        assert allowed(schema, value) is documented, (name, value)
        assert response.status_code == (200 if documented else 400), (name, value)
        assert response["Content-Type"] == "application/json"


def test_page_bounds_are_documented(client, served, strategy):
    commitment = Commitment.objects.first()
    Activity.objects.create(
        commitment=commitment, title="Møte", kind="meeting", start_date=timezone.localdate()
    )
    schema = parameter_schema(served, "page")
    assert not allowed(schema, 0) and allowed(schema, 1)
    assert_json_error(client.get("/api/activities/", {"page": 0}), 400)
    assert client.get("/api/activities/", {"page": 1}).status_code == 200
    assert allowed(schema, "")
    assert client.get("/api/activities/", {"page": ""}).status_code == 200
    # Within the bounds but past the last page: the document's 404.
    assert allowed(schema, 2)
    assert_json_error(client.get("/api/activities/", {"page": 2}), 404)
    too_far = schema["anyOf"][0]["maximum"] + 1
    assert not allowed(schema, too_far)
    assert_json_error(client.get("/api/activities/", {"page": too_far}), 400)


def test_search_words_have_the_documented_length(client, served):
    schema = parameter_schema(served, "q")
    assert allowed(schema, "x" * schema["maxLength"])
    assert client.get("/api/activities/", {"q": "x" * schema["maxLength"]}).status_code == 200
    too_long = "x" * (schema["maxLength"] + 1)
    assert not allowed(schema, too_long)
    assert_json_error(client.get("/api/activities/", {"q": too_long}), 400)


def test_the_document_without_a_strategy_is_valid(client, db):
    validate(client.get("/api/openapi.json").json())


EXAMPLE_FILE = Path(__file__).resolve().parent / "data" / "eksempel-strategi.toml"


@pytest.mark.parametrize("path", ["/api/strategy/", "/api/activities/"])
def test_strategy_is_accepted_exactly_when_the_document_allows_it(client, strategy, path):
    # Two strategies: the parameter's values are their slugs, from the database.
    call_command("load_strategy", str(EXAMPLE_FILE), stdout=io.StringIO())
    document = client.get("/api/openapi.json").json()
    validate(document)
    parameters = document["paths"][path]["get"]["parameters"]
    (parameter,) = [p for p in parameters if p["name"] == "strategy"]
    example = "eksempel-internasjonal-strategi-2025"
    for value, documented in ((strategy.slug, True), (example, True), ("", True), ("nei", False)):
        response = client.get(path, {"strategy": value})
        assert allowed(parameter["schema"], value) is documented, value
        assert response["Content-Type"] == "application/json"
        if documented:
            assert response.status_code == 200, value
        else:
            assert "strategy" in assert_json_error(response, 400)["errors"]
