"""A round's life cycle through the views, as people use it: an editor opens the round, the
owner writes and submits, the editor returns it with a comment, the owner fixes and resubmits,
the editor approves (a status update with the entry's status and assessment), the approved
entry is frozen, and an editor reopens it. Plain forms and htmx alike."""

import pytest
from django.test import Client

from priorities.models import StatusUpdate
from reporting.models import Entry, EntryState, Round
from tests.factories import get_commitment, make_activity, make_measure, make_owner
from tests.reporting.helpers import (
    HX,
    YEAR,
    entry_data,
    entry_of,
    entry_url,
    review_data,
    round_data,
    snapshot,
    url,
)

BOTH_PATHS = pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])


@pytest.fixture
def people(strategy, editor_user):
    owner = make_owner(get_commitment("1.1"))
    clients = {"owner": Client(), "editor": Client()}
    clients["owner"].force_login(owner)
    clients["editor"].force_login(editor_user)
    return {"owner_user": owner, "editor_user": editor_user, **clients}


def ok(response, htmx: bool) -> None:
    assert response.status_code == (200 if htmx else 303), response.text[:2000]
    if htmx:
        assert 'id="entry-panel"' in response.text and "<html" not in response.text


@BOTH_PATHS
def test_a_round_from_opening_to_approval_and_reopening(people, htmx):
    headers = HX if htmx else {}
    commitment = get_commitment("1.1")
    make_activity(commitment, title="Studietur til Brussel", start_date=f"{YEAR}-03-04")
    make_measure(commitment, title="Søknadsverksted")
    make_activity(commitment, title="Internt møte", start_date=f"{YEAR}-03-05", is_public=False)

    # The editor opens the round: every commitment gets a draft, Gjennomført prefilled.
    response = people["editor"].post(url("reporting:round_create"), round_data(), **headers)
    the_round = Round.objects.get(year=YEAR)
    if htmx:
        assert response["HX-Redirect"] == the_round.get_absolute_url()
    else:
        assert response.status_code == 303
    assert the_round.entries.count() == the_round.strategy.priorities.values("commitments").count()
    entry = entry_of(the_round)
    assert entry.state == EntryState.DRAFT
    assert "Studietur til Brussel" in entry.done and "Søknadsverksted" in entry.done
    assert "Internt møte" not in entry.done

    # The owner writes and submits.
    ok(people["owner"].post(entry_url(entry), entry_data(entry, "submit"), **headers), htmx)
    entry.refresh_from_db()
    assert entry.state == EntryState.SUBMITTED and entry.submitted_by == people["owner_user"]

    # The editor returns it with a comment; the owner sees the comment.
    review = entry_url(entry, "reporting:entry_review")
    comment = "Skriv litt mer om kommunene."
    ok(people["editor"].post(review, review_data("return", comment), **headers), htmx)
    entry.refresh_from_db()
    assert entry.state == EntryState.RETURNED and entry.return_comment == comment
    assert comment in people["owner"].get(entry_url(entry)).text

    # The owner fixes and resubmits.
    fixed = "Sju av ti kommuner har søkt; tre trenger hjelp."
    data = entry_data(entry, "submit", assessment=fixed, status="needs_attention")
    ok(people["owner"].post(entry_url(entry), data, **headers), htmx)
    entry.refresh_from_db()
    assert entry.state == EntryState.SUBMITTED

    # The editor approves: a status update with the entry's status and assessment.
    assert not StatusUpdate.objects.filter(commitment=commitment).exists()
    ok(people["editor"].post(review, review_data("approve"), **headers), htmx)
    entry.refresh_from_db()
    update = StatusUpdate.objects.get(commitment=commitment)
    assert (update.status, update.assessment) == ("needs_attention", fixed)
    assert update.author == people["owner_user"]
    assert entry.state == EntryState.APPROVED and entry.status_update == update

    # Frozen: neither the owner nor the editor can change it, and nothing is saved.
    before = snapshot()
    for who in ("owner", "editor"):
        response = people[who].post(entry_url(entry), entry_data(entry, assessment="!"), **headers)
        assert response.status_code == 409
        assert "kan ikke lenger endres" in response.text
    assert snapshot() == before
    # Approving twice makes no second status update.
    assert people["editor"].post(review, review_data("approve"), **headers).status_code == 409
    assert StatusUpdate.objects.filter(commitment=commitment).count() == 1

    # The editor reopens it: it can be changed again, and approving again records anew.
    ok(people["editor"].post(review, review_data("reopen"), **headers), htmx)
    entry.refresh_from_db()
    assert entry.state == EntryState.SUBMITTED
    data = entry_data(entry, assessment="Sju av ti kommuner har søkt.")
    ok(people["owner"].post(entry_url(entry), data, **headers), htmx)
    entry.refresh_from_db()
    assert entry.assessment == "Sju av ti kommuner har søkt."
    # Every change is in the history.
    states = list(entry.history.order_by("history_date").values_list("state", flat=True))
    assert states[:1] == ["draft"] and "returned" in states and "approved" in states


def test_the_history_page_lists_the_changes(people):
    from tests.reporting.helpers import open_round

    entry = entry_of(open_round())
    people["owner"].post(entry_url(entry), entry_data(entry, "submit"))
    response = people["owner"].get(entry_url(entry, "reporting:entry_history"))
    assert response.status_code == 200
    assert response.text.count('class="status-history__item"') == 3  # created, saved, submitted


def test_a_submitted_entry_stays_editable_until_approved(people):
    from tests.reporting.helpers import open_round

    entry = entry_of(open_round())
    people["owner"].post(entry_url(entry), entry_data(entry, "submit"))
    entry.refresh_from_db()
    response = people["owner"].post(entry_url(entry), entry_data(entry, next_steps="Mer."))
    assert response.status_code == 303
    entry.refresh_from_db()
    assert (entry.state, entry.next_steps) == (EntryState.SUBMITTED, "Mer.")


def test_a_draft_may_be_incomplete_but_a_submission_may_not(people):
    from tests.reporting.helpers import open_round

    entry = entry_of(open_round())
    draft = entry_data(entry, assessment="", status="")
    assert people["owner"].post(entry_url(entry), draft).status_code == 303
    entry.refresh_from_db()
    before = snapshot()
    response = people["owner"].post(
        entry_url(entry), entry_data(entry, "submit", assessment="", status="")
    )
    assert response.status_code == 422
    assert "Skriv en vurdering før du sender inn." in response.text
    assert "Velg en status før du sender inn." in response.text
    assert snapshot() == before
    assert Entry.objects.get(pk=entry.pk).state == EntryState.DRAFT
