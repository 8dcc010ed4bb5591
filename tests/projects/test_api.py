"""/api/projects/: public projects only, whoever asks, as the OpenAPI document describes."""

import datetime

import jsonschema
import pytest

from priorities.openapi import openapi_document
from projects.models import State
from tests.factories import get_commitment, make_project


def validator(name: str) -> jsonschema.Draft202012Validator:
    components = openapi_document()["components"]
    return jsonschema.Draft202012Validator(
        {"$ref": f"#/components/schemas/{name}", "components": components}
    )


@pytest.mark.parametrize("persona", ["client", "staff_client", "admin_client"])
def test_internal_projects_never_reach_the_api(request, strategy, persona):
    client = request.getfixturevalue(persona)
    make_project(acronym="OPEN", county_share_eur=100, decided_on=datetime.date(2025, 1, 1))
    make_project(
        acronym="INTERN",
        is_public=False,
        county_share_eur=900,
        decided_on=datetime.date(2025, 1, 1),
    )
    make_project(acronym="NEI", is_public=False, state=State.REJECTED)
    data = client.get("/api/projects/").json()
    assert [p["slug"] for p in data["results"]] == ["open"]
    assert data["funding"] == [
        {"year": 2025, "programme": "interreg-oks", "county_share_eur": "100.00", "count": 1}
    ]
    assert data["success_rate"] == {"granted": 1, "decided": 1, "rate": 1.0}


def test_the_answer_matches_the_document(client, strategy):
    project = make_project(other_partners="Aarhus universitet")
    project.commitments.add(get_commitment("3.1"))
    project.links.create(title="Nyhet", url="https://example.org/")
    no_money = {"total_budget_eur": None, "county_share_eur": None, "eur_nok_rate": None}
    make_project(
        acronym="IDE", programme=None, state=State.IDEA, rate_date=None, decided_on=None, **no_money
    )
    data = client.get("/api/projects/").json()
    validator("ProjectList").validate(data)
    first = next(p for p in data["results"] if p["slug"] == "grnn")
    assert first["county_share_nok"] == "2300000.00"
    assert first["commitments"] == ["3.1"]
    assert first["url"] == "http://testserver/prosjekter/grnn/"


def test_the_document_lists_the_path(client, db):
    document = client.get("/api/openapi.json").json()
    assert "/api/projects/" in document["paths"]
    assert "Project" in document["components"]["schemas"]


def test_the_api_is_read_only(client, db):
    response = client.post("/api/projects/")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
