"""The round's dashboard: per owner how many entries are submitted, approved, returned, not
yet submitted, late and missing, on a given day (EntryQuerySet.with_standing's `today`)."""

import datetime

import pytest

from reporting.models import Entry, EntryState, Round, Standing
from tests.factories import get_commitment, make_owner
from tests.reporting.helpers import YEAR, entry_of, open_round, url

DEADLINE = datetime.date(YEAR, 12, 1)


@pytest.fixture
def the_round(strategy):
    alma = make_owner(get_commitment("1.1"), "alma")
    get_commitment("1.2").owners.add(alma)
    bjorn = make_owner(get_commitment("2.1"), "bjorn")
    get_commitment("1.3").owners.add(bjorn, alma)  # two owners: counted for each
    the_round = open_round(deadline=DEADLINE, grace_days=14)
    states = {"1.1": EntryState.SUBMITTED, "1.2": EntryState.APPROVED, "2.1": EntryState.RETURNED}
    for code, state in states.items():
        Entry.objects.filter(pk=entry_of(the_round, code).pk).update(state=state)
    return the_round


def counts(summary, username):
    (row,) = [r for r in summary["rows"] if r["owner"] and r["owner"].username == username]
    return {k: v for k, v in row["counts"].items() if v}


@pytest.mark.parametrize(
    "today, draft",
    [
        (DEADLINE, Standing.NOT_YET),  # due today: not late yet
        (DEADLINE + datetime.timedelta(days=1), Standing.LATE),
        (DEADLINE + datetime.timedelta(days=14), Standing.LATE),  # the grace period's last day
        (DEADLINE + datetime.timedelta(days=15), Standing.MISSING),
    ],
)
def test_counts_per_owner_on_a_given_day(the_round, today, draft):
    summary = the_round.summary(today)
    assert counts(summary, "alma") == {"submitted": 1, "approved": 1, draft: 1}  # 1.1–1.3
    assert counts(summary, "bjorn") == {"returned": 1, draft: 1}  # 2.1, 1.3
    (nobody,) = [r for r in summary["rows"] if r["owner"] is None]
    others = the_round.entries.count() - 4
    assert nobody["counts"][draft] == others
    assert summary["totals"] == dict.fromkeys(Standing.values, 0) | {
        "submitted": 1, "approved": 1, "returned": 1, draft: others + 1,
    }  # fmt: skip


def test_the_rule_is_per_round(the_round):
    # Another round's deadline and grace period count for its own entries only.
    strategy = the_round.strategy
    earlier = Round(strategy=strategy, year=YEAR - 1, opens_on=datetime.date(YEAR - 1, 1, 1),
                    deadline=DEADLINE - datetime.timedelta(days=40), grace_days=30)  # fmt: skip
    earlier.open()
    today = DEADLINE + datetime.timedelta(days=1)
    standing = dict(
        Entry.objects.with_standing(today)
        .filter(commitment=get_commitment("3.1"))
        .values_list("round__year", "standing")
    )
    assert standing == {YEAR: Standing.LATE, YEAR - 1: Standing.MISSING}


def test_the_dashboard_page_shows_the_counts(the_round, editor_client):
    response = editor_client.get(url("reporting:round", YEAR))
    assert response.status_code == 200
    text = response.text
    assert 'id="owner-total"' in text and "Test Alma" in text and "Test Bjorn" in text
    assert '<td data-standing="submitted">1</td>' in text


def test_an_owner_sees_only_their_own_entries(the_round, client):
    client.force_login(get_commitment("2.1").owners.get())
    response = client.get(url("reporting:round", YEAR))
    assert response.status_code == 200
    assert 'id="owner-total"' not in response.text
    shown = {e.pk for e in the_round.entries.all() if f'id="entry-{e.pk}"' in response.text}
    assert shown == {entry_of(the_round, "2.1").pk, entry_of(the_round, "1.3").pk}
