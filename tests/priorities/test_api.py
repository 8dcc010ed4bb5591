"""The open data API: every response is checked against the OpenAPI document it serves."""

import datetime

import jsonschema
import pytest
from openapi_spec_validator import validate

from partners.models import BilateralPartner, Organisation, Programme
from priorities.api import API_PAGE_SIZE
from priorities.models import Activity, Status
from priorities.openapi import openapi_document
from tests.factories import make_activity

SPEC = openapi_document()


def assert_matches_spec(response, path: str):
    """Validate the JSON body against the schema the document gives for path and status."""
    assert response["Content-Type"] == "application/json"
    operation = SPEC["paths"][path]["get"]
    declared = operation["responses"][str(response.status_code)]
    schema = declared["content"]["application/json"]["schema"]
    # OpenAPI 3.1 schemas are JSON Schema 2020-12; resolve $refs against the whole document.
    validator = jsonschema.Draft202012Validator(
        {**schema, "components": SPEC["components"]},
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    validator.validate(response.json())
    return response.json()


def test_the_openapi_document_is_valid(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = assert_matches_spec(response, "/api/openapi.json")
    validate(document)
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) >= {
        "/api/strategy/",
        "/api/activities/",
        "/api/partners/",
        "/api/organisations/",
    }


def test_every_api_path_is_served(client, strategy):
    for path in SPEC["paths"]:
        assert client.get(path).status_code == 200, path


def test_strategy_tree_with_current_statuses(client, commitments, editor_user):
    commitments["2.1"].set_status(
        status=Status.OFF_TRACK, assessment="Stanset.", author=editor_user
    )
    make_activity(commitments["2.1"])
    make_activity(commitments["2.1"], is_public=False)
    data = assert_matches_spec(client.get("/api/strategy/"), "/api/strategy/")
    assert data["title"] == {
        "nb": "Internasjonal strategi 2030",
        "nn": "Internasjonal strategi 2030",
        "en": "International Strategy 2030",
    }
    assert [p["slug"] for p in data["priorities"]] == [
        "medlemsorganisasjoner",
        "bilaterale-avtaler",
        "prosjektarbeid",
        "kompetanse-og-kunnskapsdeling",
    ]
    codes = [c["code"] for p in data["priorities"] for c in p["commitments"]]
    assert codes == ["1.1", "1.2", "1.3", "2.1", "3.1", "3.2", "3.3", "4.1", "4.2", "4.3"]
    bilateral = data["priorities"][1]["commitments"][0]
    assert bilateral["status"]["value"] == "off_track"
    assert bilateral["status"]["assessment"] == "Stanset."
    assert bilateral["public_activity_count"] == 1
    assert bilateral["url"] == "http://testserver/prioriteringer/bilaterale-avtaler/1/"
    assert data["priorities"][0]["commitments"][0]["status"] is None
    labels = {s["value"]: s["label"] for s in data["statuses"]}
    assert labels["off_track"]["en"] == "Off track"
    assert {k["value"] for k in data["activity_kinds"]} == set(Activity.Kind.values)


def test_strategy_without_one_loaded_is_a_404(client, db):
    response = client.get("/api/strategy/")
    assert response.status_code == 404
    assert_matches_spec(response, "/api/strategy/")


def test_activities_are_public_only_even_for_an_editor(client, editor_client, commitments):
    public = make_activity(commitments["1.1"], title="Åpent")
    public.partners.add(BilateralPartner.objects.get(slug="kaunas"))
    public.organisations.add(Organisation.objects.get(slug="errin"))
    make_activity(commitments["1.1"], title="Internt", is_public=False)
    for who in (client, editor_client):
        data = assert_matches_spec(who.get("/api/activities/"), "/api/activities/")
        assert data["count"] == 1
        item = data["results"][0]
        assert item["title"] == "Åpent"
        assert item["partners"] == ["kaunas"]
        assert item["organisations"] == ["errin"]
        assert item["commitment"] == "1.1"
        assert item["url"] == f"http://testserver/aktiviteter/{public.pk}/"
        assert "created_by" not in item


def test_activities_take_the_search_filters(client, commitments):
    erasmus = Programme.objects.get(slug="erasmus-plus")
    make_activity(
        commitments["3.1"],
        title="Erasmus 2024",
        programme=erasmus,
        start_date=datetime.date(2024, 4, 1),
        kind="project",
    )
    make_activity(commitments["3.1"], title="Erasmus 2025", programme=erasmus, kind="project")
    make_activity(commitments["1.1"], title="Annet 2024", start_date=datetime.date(2024, 4, 1))
    data = assert_matches_spec(
        client.get(
            "/api/activities/", {"programme": "erasmus-plus", "year": "2024", "kind": "project"}
        ),
        "/api/activities/",
    )
    assert [a["title"] for a in data["results"]] == ["Erasmus 2024"]
    assert data["results"][0]["programme"] == "erasmus-plus"
    found = client.get("/api/activities/", {"q": "annet"}).json()
    assert [a["title"] for a in found["results"]] == ["Annet 2024"]


def test_activities_are_paginated_with_links(client, commitments):
    for day in range(1, 29):
        for month in (1, 2):
            make_activity(commitments["4.1"], start_date=datetime.date(2025, month, day))
    first = assert_matches_spec(
        client.get("/api/activities/", {"kind": "meeting"}), "/api/activities/"
    )
    assert (first["count"], first["page"], first["pages"]) == (56, 1, 2)
    assert len(first["results"]) == API_PAGE_SIZE
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/activities/?kind=meeting&page=2"
    second = assert_matches_spec(client.get(first["next"]), "/api/activities/")
    assert len(second["results"]) == 6
    assert second["next"] is None
    assert second["previous"] == "http://testserver/api/activities/?kind=meeting&page=1"


@pytest.mark.parametrize(
    "query, field",
    [
        ({"page": "abc"}, "page"),
        ({"partner": "atlantis"}, "partner"),
        ({"year": "1999"}, "year"),
        ({"q": "a\x00b"}, "q"),
    ],
)
def test_bad_activity_filters_are_a_400_with_errors(client, strategy, query, field):
    response = client.get("/api/activities/", query)
    assert response.status_code == 400
    data = assert_matches_spec(response, "/api/activities/")
    assert field in data["errors"]


def test_a_page_beyond_the_last_is_a_404(client, strategy):
    response = client.get("/api/activities/", {"page": "7"})
    assert response.status_code == 404
    assert_matches_spec(response, "/api/activities/")


def test_partners_organisations_and_programmes(client, commitments):
    activity = make_activity(commitments["2.1"])
    activity.partners.add(BilateralPartner.objects.get(slug="kaunas"))
    make_activity(commitments["2.1"], is_public=False).partners.add(
        BilateralPartner.objects.get(slug="kaunas")
    )
    partners = assert_matches_spec(client.get("/api/partners/"), "/api/partners/")["results"]
    assert {p["slug"] for p in partners} == {"kaunas", "hubei", "midwest-usa", "schleswig-holstein"}
    kaunas = next(p for p in partners if p["slug"] == "kaunas")
    assert kaunas["public_activity_count"] == 1
    assert kaunas["url"] == "http://testserver/partnere/kaunas/"
    organisations = assert_matches_spec(client.get("/api/organisations/"), "/api/organisations/")
    slugs = {o["slug"] for o in organisations["results"]}
    assert {"cpmr-north-sea-commission", "errin", "ostlandssamarbeidet"} <= slugs
    programmes = assert_matches_spec(client.get("/api/programmes/"), "/api/programmes/")
    assert "erasmus-plus" in {p["slug"] for p in programmes["results"]}


def test_the_api_is_read_only_and_open_to_other_sites(client, strategy):
    response = client.get("/api/partners/")
    assert response["Access-Control-Allow-Origin"] == "*"
    for path in ("/api/strategy/", "/api/activities/", "/api/partners/"):
        assert client.post(path).status_code == 405
        assert client.delete(path).status_code == 405


def test_the_api_has_no_language_prefix(client, strategy):
    assert client.get("/en/api/strategy/").status_code == 404


def test_activities_carry_their_measure_when_it_is_public(client, commitment):
    from tests.factories import make_measure

    public = make_measure(commitment, title="Felles søknadsverksted")
    internal = make_measure(commitment, title="Hemmelig budsjett", is_public=False)
    make_activity(commitment, title="Verksted", measure=public)
    make_activity(commitment, title="Budsjettmøte", measure=internal)
    make_activity(commitment, title="Uten tiltak")
    data = assert_matches_spec(client.get("/api/activities/"), "/api/activities/")
    measures = {row["title"]: row["measure"] for row in data["results"]}
    assert measures == {
        "Verksted": "Felles søknadsverksted",
        "Budsjettmøte": None,  # an internal measure's title never leaves
        "Uten tiltak": None,
    }
