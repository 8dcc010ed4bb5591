"""What the reporting forms refuse: a 4xx with a clear message and nothing saved, as a plain
POST and with htmx; and the models' own rules (admin, scripts)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from reporting.models import Entry, EntryState, Round
from tests.factories import make_other_strategy_commitment, make_owner
from tests.reporting.helpers import (
    HX,
    YEAR,
    entry_data,
    entry_of,
    entry_url,
    open_round,
    review_data,
    round_data,
    snapshot,
    url,
)

BOTH_PATHS = pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])


@pytest.fixture
def other_strategy_commitment(strategy):
    return make_other_strategy_commitment()


def refused(response, htmx: bool, message: str, status: int = 422) -> None:
    assert response.status_code == status
    assert message in response.text
    assert ("<html" in response.text) is not htmx


BAD_ROUNDS = {
    "a deadline before the round opens": (
        {"opens_on": f"{YEAR}-06-01", "deadline": f"{YEAR}-05-31"},
        "Fristen kan ikke være før runden åpner.",
    ),
    "a year outside the strategy": ({"year": "1999"}, "innenfor strategiperioden"),
    "a year that is no number": ({"year": "abc"}, "Oppgi et heltall"),
    "a negative grace period": ({"grace_days": "-1"}, "større enn eller lik 0"),
    "a grace period of years": ({"grace_days": "10000"}, "mindre enn eller lik 365"),
    "no deadline": ({"deadline": ""}, "påkrevet"),
    "a NUL byte": ({"deadline": f"{YEAR}-12-01\x00"}, "Oppgi en gyldig dato"),
}


@BOTH_PATHS
@pytest.mark.parametrize("case", BAD_ROUNDS)
def test_a_bad_round_is_refused(editor_client, strategy, case, htmx):
    changes, message = BAD_ROUNDS[case]
    before = snapshot()
    response = editor_client.post(
        url("reporting:round_create"), round_data(**changes), **(HX if htmx else {})
    )
    refused(response, htmx, message)
    assert snapshot() == before


@BOTH_PATHS
def test_a_second_round_for_the_same_year_is_refused(editor_client, strategy, htmx):
    open_round()
    before = snapshot()
    response = editor_client.post(
        url("reporting:round_create"), round_data(), **(HX if htmx else {})
    )
    refused(response, htmx, f"Det finnes allerede en rapporteringsrunde for {YEAR}.")
    assert snapshot() == before


BAD_ENTRIES = {
    "100,000 characters": ({"done": "x" * 100_000}, "10000 eller færre tegn"),
    "a long assessment": ({"assessment": "x" * 100_000}, "2000 eller færre tegn"),
    "a NUL byte": ({"next_steps": "Videre\x00"}, "Null-tegn"),
    "an unknown status": ({"status": "splendid"}, "Velg et gyldig valg"),
    "no assessment on submit": ({"assessment": " ", "action": "submit"}, "Skriv en vurdering"),
    "no status on submit": ({"status": "", "action": "submit"}, "Velg en status"),
}


@BOTH_PATHS
@pytest.mark.parametrize("case", BAD_ENTRIES)
def test_a_bad_entry_is_refused(client, strategy, case, htmx):
    entry = entry_of(open_round())
    client.force_login(make_owner(entry.commitment))
    changes, message = BAD_ENTRIES[case]
    before = snapshot()
    response = client.post(entry_url(entry), entry_data(entry, **changes), **(HX if htmx else {}))
    refused(response, htmx, message)
    assert snapshot() == before


@BOTH_PATHS
def test_saving_over_a_newer_version_is_a_conflict(client, strategy, htmx):
    entry = entry_of(open_round())
    client.force_login(make_owner(entry.commitment))
    stale = entry_data(entry, version="2000-01-01T00:00:00+00:00")
    before = snapshot()
    response = client.post(entry_url(entry), stale, **(HX if htmx else {}))
    refused(response, htmx, "Noen endret dette svaret etter at du åpnet skjemaet", 409)
    assert snapshot() == before


BAD_REVIEWS = {
    "an unknown action": (review_data("delete", "Nei."), "Ukjent handling."),
    "a return without a comment": (review_data("return", "  "), "Skriv hva som må rettes."),
    "a comment of 100,000 characters": (review_data("return", "x" * 100_000), "2000 eller færre"),
    "a NUL byte": (review_data("return", "Rett\x00"), "Null-tegn"),
}


@BOTH_PATHS
@pytest.mark.parametrize("case", BAD_REVIEWS)
def test_a_bad_review_is_refused(editor_client, strategy, case, htmx):
    entry = entry_of(open_round())
    Entry.objects.filter(pk=entry.pk).update(
        state=EntryState.SUBMITTED, assessment="Bra.", status="on_track"
    )
    data, message = BAD_REVIEWS[case]
    before = snapshot()
    response = editor_client.post(
        entry_url(entry, "reporting:entry_review"), data, **(HX if htmx else {})
    )
    refused(response, htmx, message)
    assert snapshot() == before


@BOTH_PATHS
def test_a_draft_cannot_be_approved(editor_client, strategy, htmx):
    entry = entry_of(open_round())
    before = snapshot()
    response = editor_client.post(
        entry_url(entry, "reporting:entry_review"), review_data("approve"), **(HX if htmx else {})
    )
    refused(response, htmx, "Dette svaret er «Utkast» nå", 409)
    assert snapshot() == before


def test_an_entry_for_another_strategys_commitment_is_refused(other_strategy_commitment):
    the_round = open_round()
    entry = Entry(round=the_round, commitment=other_strategy_commitment)
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert "commitment" in error.value.message_dict
    assert not the_round.entries.filter(commitment=other_strategy_commitment).exists()


def test_an_entry_for_another_strategys_commitment_is_refused_in_admin(
    admin_client, other_strategy_commitment
):
    the_round = open_round()
    before = snapshot()
    response = admin_client.post(
        "/admin/reporting/entry/add/",
        {"round": the_round.pk, "commitment": other_strategy_commitment.pk, "state": "draft"},
    )
    assert response.status_code == 422  # the admin shows its form again, with the error
    assert "Forpliktelsen må høre til rundens strategi." in response.text
    assert snapshot() == before


def test_an_entry_is_not_found_under_another_strategy_or_year(client, strategy):
    entry = entry_of(open_round())
    client.force_login(make_owner(entry.commitment))
    assert client.get(url("reporting:entry", YEAR - 1, entry.pk)).status_code == 404
    make_other_strategy_commitment()
    other = f"/strategier/annen/rapportering/{YEAR}/svar/{entry.pk}/"
    assert client.get(other).status_code == 404


def test_the_round_refuses_what_the_model_refuses(strategy):
    with pytest.raises(ValidationError):
        Round(strategy=strategy, year=YEAR, opens_on=datetime.date(YEAR, 6, 1),
              deadline=datetime.date(YEAR, 5, 1)).open()  # fmt: skip
    assert not Round.objects.exists() and not Entry.objects.exists()


@BOTH_PATHS
@pytest.mark.parametrize("state", ["approved", "splendid"])
def test_an_owner_cannot_post_a_state_into_an_entry(client, strategy, state, htmx):
    # The state is the workflow's (submit, return, approve), never a field of the form: a
    # forged or unknown one in the POST changes nothing of it, and no status update is made.
    entry = entry_of(open_round())
    client.force_login(make_owner(entry.commitment))
    data = entry_data(entry, state=state, approved_at="2026-01-01T00:00:00Z")
    response = client.post(entry_url(entry), data, **(HX if htmx else {}))
    assert response.status_code == (200 if htmx else 303)
    entry.refresh_from_db()
    assert entry.state == EntryState.DRAFT and entry.approved_at is None
    assert entry.status_update is None
