"""The import refuses what the workspace's activity form refuses, with the row and column."""

import datetime

import pytest

from partners.models import BilateralPartner
from priorities import exchange
from priorities.forms import ActivityForm
from priorities.models import Activity
from tests.factories import get_commitment
from tests.priorities.test_import import csv_upload, snapshot
from tests.priorities.test_import import row as cells


@pytest.fixture
def commitment(strategy):
    """Commitment 3.1, which test_import's rows name."""
    return get_commitment("3.1")


@pytest.fixture
def retired(strategy):
    """A partner the county no longer works with: the form does not offer it."""
    partner = BilateralPartner.objects.get(slug="hubei")
    partner.active = False
    partner.save()
    return partner


def plan_of(*rows, strategy):
    table = [[number, row] for number, row in enumerate(rows, start=2)]
    return exchange.build_plan(table, strategy=strategy)


def form_accepts(**values) -> bool:
    data = {"title": "Ny aktivitet", "kind": "meeting", "start_date": "2025-05-05"} | values
    return ActivityForm(data=data).is_valid()


REFUSED = [
    pytest.param({"country": "n1"}, "country", id="country-not-letters"),
    pytest.param({"country": "XX"}, "country", id="country-no-such-code"),
    pytest.param({"start_date": "0025-05-05"}, "start_date", id="year-0025"),
    pytest.param({"start_date": "2025-05-05", "end_date": "2025-05-01"}, "end_date", id="end"),
    pytest.param({"partners": "hubei"}, "partners", id="inactive-partner"),
    pytest.param({"programme": "no-such-programme"}, "programme", id="unknown-programme"),
]


@pytest.mark.parametrize("values, column", REFUSED)
def test_a_row_the_form_refuses_is_refused_with_row_column_and_message(
    commitment, retired, values, column
):
    plan = plan_of(cells(title="Gyldig"), cells(**values), strategy=commitment.priority.strategy)
    assert [(e.row, e.column) for e in plan.errors] == [(3, column)]
    assert plan.errors[0].message
    assert not plan.is_valid


@pytest.mark.parametrize(
    "values",
    [
        {"country": "n1"},
        {"country": "XX"},
        {"start_date": "0025-05-05"},
        {"start_date": "2025-05-05", "end_date": "2025-05-01"},
    ],
)
def test_the_workspace_form_refuses_the_same(commitment, retired, values):
    assert not form_accepts(**values)


def test_the_form_does_not_offer_an_inactive_partner(commitment, retired):
    assert not form_accepts(partners=[retired.pk])
    assert form_accepts(partners=[BilateralPartner.objects.get(slug="kaunas").pk])


def test_a_lowercase_country_code_is_read_as_the_form_reads_it(commitment):
    form = ActivityForm(
        data={"title": "x", "kind": "meeting", "start_date": "2025-05-05", "country": "no"}
    )
    assert form.is_valid(), form.errors
    plan = plan_of(cells(country="no"), strategy=commitment.priority.strategy)
    assert plan.errors == []
    assert plan.rows[0].activity.country == form.cleaned_data["country"] == "NO"


def test_an_activity_that_already_links_an_inactive_partner_keeps_it(commitment, retired):
    """As in the workspace: a partner retired later stays on the activities that name it."""
    activity = Activity.objects.create(
        commitment=commitment, title="Gammel", kind="meeting", start_date=datetime.date(2025, 1, 1)
    )
    activity.partners.add(retired)
    row = cells(id=str(activity.pk), title="Gammel", start_date="2025-01-01", partners="hubei")
    plan = plan_of(row, strategy=commitment.priority.strategy)
    assert plan.errors == []
    assert plan.rows[0].action == "unchanged"


def test_an_import_with_a_refused_row_saves_nothing(editor_client, commitment, retired):
    rows = [cells(title="Gyldig"), cells(country="n1"), cells(start_date="0025-05-05")]
    before = snapshot()
    response = editor_client.post("/en/import/", {"action": "dry_run", "file": csv_upload(rows)})
    assert response.status_code == 422
    assert [(e.row, e.column) for e in response.context["plan"].errors] == [
        (3, "country"),
        (4, "start_date"),
    ]
    assert "Nothing was saved" in response.text
    assert snapshot() == before
