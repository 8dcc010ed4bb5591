"""The project register's rules: money, dates, the state machine, and the figures' numbers."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from partners.models import Programme
from projects.models import Project, State
from tests.factories import make_project


def test_the_share_in_nok_is_the_share_times_the_stored_rate(strategy):
    project = make_project(county_share_eur=Decimal("200000"), eur_nok_rate=Decimal("11.5"))
    assert project.county_share_nok == Decimal("2300000")


def test_no_nok_value_without_a_rate(strategy):
    assert make_project(eur_nok_rate=None, rate_date=None).county_share_nok is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"total_budget_eur": Decimal("-1")}, "total_budget_eur"),
        ({"county_share_eur": Decimal("2000000")}, "county_share_eur"),
        ({"end_date": datetime.date(2024, 1, 1)}, "end_date"),
        ({"eur_nok_rate": Decimal("0")}, "eur_nok_rate"),
        ({"eur_nok_rate": Decimal("11"), "rate_date": None}, "rate_date"),
    ],
    ids=["negative budget", "share above total", "end before start", "rate zero", "no rate date"],
)
def test_clean_refuses_bad_money_and_dates(strategy, fields, field):
    defaults = {
        "name": "X",
        "slug": "x",
        "role": "partner",
        "total_budget_eur": Decimal("1000000"),
        "start_date": datetime.date(2025, 1, 1),
    }
    project = Project(**(defaults | fields))
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert field in error.value.message_dict


@pytest.mark.parametrize(
    "fields",
    [
        {"total_budget_eur": Decimal("-1"), "county_share_eur": None},
        {"total_budget_eur": Decimal("10"), "county_share_eur": Decimal("11")},
        {"start_date": datetime.date(2025, 2, 1), "end_date": datetime.date(2025, 1, 1)},
        {"eur_nok_rate": Decimal("0")},
    ],
    ids=["negative budget", "share above total", "end before start", "rate zero"],
)
def test_the_database_refuses_them_too(strategy, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_project(**fields)


def test_the_slug_comes_from_the_acronym_and_is_unique(strategy):
    first = make_project(acronym="Blue Growth")
    second = make_project(acronym="Blue Growth")
    assert first.slug == "blue-growth"
    assert second.slug == "blue-growth-2"


def test_the_slug_never_takes_the_registration_address(strategy):
    assert make_project(acronym="NY").slug == "ny-2"


@pytest.mark.parametrize(
    ("old", "new", "allowed"),
    [
        (State.IDEA, State.APPLICATION_SENT, True),
        (State.IDEA, State.GRANTED, False),
        (State.APPLICATION_SENT, State.GRANTED, True),
        (State.APPLICATION_SENT, State.REJECTED, True),
        (State.GRANTED, State.RUNNING, True),
        (State.RUNNING, State.CLOSED, True),
        (State.REJECTED, State.RUNNING, False),
        (State.CLOSED, State.RUNNING, False),
        (State.GRANTED, State.IDEA, False),
    ],
)
def test_the_state_machine(strategy, old, new, allowed):
    project = make_project(state=old)
    project.state = new
    if allowed:
        project.full_clean()
    else:
        with pytest.raises(ValidationError) as error:
            project.full_clean()
        assert "state" in error.value.message_dict


def test_entering_a_state_keeps_its_date(strategy):
    today = timezone.localdate()
    project = make_project(state=State.IDEA, decided_on=None, start_date=None)
    project.state = State.APPLICATION_SENT
    project.full_clean()
    project.save()
    assert project.applied_on == today
    project.state = State.GRANTED
    project.full_clean()
    project.save()
    assert project.decided_on == today
    assert [h.state for h in project.history.order_by("history_date")] == [
        "idea",
        "application_sent",
        "granted",
    ]


def test_a_new_project_may_start_in_any_state(strategy):
    assert Project().next_states() == State.values
    project = make_project(state=State.APPLICATION_SENT)
    assert project.next_states() == ["application_sent", "granted", "rejected"]


def test_funding_by_year_and_programme_counts_the_grant_year(strategy):
    oks = Programme.objects.get(slug="interreg-oks")
    erasmus = Programme.objects.get(slug="erasmus-plus")
    make_project(programme=oks, county_share_eur=100, decided_on=datetime.date(2024, 6, 1))
    make_project(programme=oks, county_share_eur=50, decided_on=datetime.date(2024, 9, 1))
    make_project(programme=erasmus, county_share_eur=30, decided_on=datetime.date(2025, 1, 1))
    # No decision date: the start year counts.
    make_project(
        programme=None, county_share_eur=7, decided_on=None, start_date=datetime.date(2023, 1, 1)
    )
    # Not granted: not counted.
    make_project(state=State.REJECTED, county_share_eur=999)
    make_project(state=State.APPLICATION_SENT, county_share_eur=999, decided_on=None)
    rows = [
        (r["year"], r["programme"], r["amount"], r["count"])
        for r in Project.objects.funding_by_year_and_programme()
    ]
    assert rows == [
        (2023, None, 7, 1),
        (2024, oks, 150, 2),
        (2025, erasmus, 30, 1),
    ]


def test_success_rate_is_granted_over_decided(strategy):
    for state in (State.GRANTED, State.RUNNING, State.CLOSED, State.REJECTED):
        make_project(state=state)
    make_project(state=State.APPLICATION_SENT)
    make_project(state=State.IDEA)
    assert Project.objects.success_rate() == {"granted": 3, "decided": 4, "rate": 0.75}


def test_no_success_rate_before_any_decision(db):
    assert Project.objects.success_rate() == {"granted": 0, "decided": 0, "rate": None}


def test_running_in_a_year(strategy):
    make_project(
        acronym="A", start_date=datetime.date(2023, 1, 1), end_date=datetime.date(2024, 6, 1)
    )
    make_project(acronym="B", start_date=datetime.date(2025, 1, 1), end_date=None)
    make_project(acronym="C", start_date=None, end_date=None)
    assert {p.acronym for p in Project.objects.for_year(2024)} == {"A"}
    assert {p.acronym for p in Project.objects.for_year(2026)} == {"B"}
