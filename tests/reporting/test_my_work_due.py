"""'Due' on "My work" (issue 12, item 5): the entries a user owes in open rounds and their
measures past (or near) the deadline, in one list, most urgent first; and the rules behind it
(EntryQuerySet.owed_by, RoundQuerySet.open_on, MeasureQuerySet.overdue_for / due_for)."""

import datetime

import pytest
from django.utils import timezone

from planning.models import DUE_SOON_DAYS, Measure, State
from reporting.models import Entry, EntryState, Round
from tests.factories import get_commitment, make_measure, make_owner, make_user
from tests.reporting.helpers import open_round

MY_WORK = "/en/mitt-arbeid/"
TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def due_section(html: str) -> str:
    return html.split('id="due-heading"')[1].split("</section>")[0]


def entry_for(the_round: Round, code: str) -> Entry:
    return the_round.entries.get(
        commitment__priority__number=int(code.split(".")[0]),
        commitment__number=int(code.split(".")[1]),
    )


def measure(code: str, deadline: datetime.date, state: str | None = None, **fields) -> Measure:
    made = make_measure(get_commitment(code), year=deadline.year, deadline=deadline, **fields)
    if state:
        made.set_state(state=state, changed_on=min(TODAY, deadline))
    return made


# --- The rules ----------------------------------------------------------------------------


def test_a_round_is_open_from_its_opening_to_the_end_of_its_grace_period(strategy):
    the_round = open_round(opens_on=days(-10), deadline=days(5), grace_days=7)
    assert list(Round.objects.open_on(days(-11))) == []
    assert list(Round.objects.open_on(days(-10))) == [the_round]
    assert list(Round.objects.open_on(days(12))) == [the_round]  # the grace period's last day
    assert list(Round.objects.open_on(days(13))) == []


def test_an_owner_owes_drafts_and_returned_entries_of_open_rounds_only(strategy):
    owner = make_owner(get_commitment("1.1"))
    get_commitment("1.2").owners.add(owner)
    get_commitment("2.1").owners.add(owner)
    the_round = open_round()
    Entry.objects.filter(pk=entry_for(the_round, "1.2").pk).update(state=EntryState.RETURNED)
    Entry.objects.filter(pk=entry_for(the_round, "2.1").pk).update(state=EntryState.SUBMITTED)
    owed = Entry.objects.owed_by(owner, TODAY)
    assert {e.commitment.code for e in owed} == {"1.1", "1.2"}
    # Approved is done too; another owner's entries are not mine.
    Entry.objects.filter(pk=entry_for(the_round, "1.1").pk).update(state=EntryState.APPROVED)
    assert {e.commitment.code for e in Entry.objects.owed_by(owner, TODAY)} == {"1.2"}
    # After the grace period, the round is closed: nothing is owed any more.
    assert not Entry.objects.owed_by(owner, the_round.missing_after + datetime.timedelta(1))
    # Before it opens, neither.
    Round.objects.filter(pk=the_round.pk).update(opens_on=days(1))
    assert not Entry.objects.owed_by(owner, TODAY)


def test_nobody_owes_anything_who_owns_nothing(strategy, staff_user, editor_user):
    open_round()
    assert not Entry.objects.owed_by(staff_user, TODAY)
    assert not Entry.objects.owed_by(editor_user, TODAY)


def test_overdue_measures_are_unfinished_past_their_deadline(strategy, staff_user):
    mine = {"responsible": staff_user}
    late = measure("1.1", days(-2), title="Forsinket", **mine)
    postponed = measure("1.2", days(-20), State.POSTPONED, title="Utsatt", **mine)
    measure("1.3", days(-2), State.DONE, title="Ferdig", **mine)
    measure("2.1", days(-2), State.CANCELLED, title="Avlyst", **mine)
    measure("2.1", days(-2), title="Andres", responsible=make_user("annen"))
    today = measure("3.1", TODAY, title="I dag", **mine)
    soon = measure("3.2", days(DUE_SOON_DAYS), title="Snart", **mine)
    measure("3.3", days(DUE_SOON_DAYS + 1), title="Senere", **mine)
    make_measure(get_commitment("4.1"), deadline=None, title="Uten frist", **mine)
    assert set(Measure.objects.overdue_for(staff_user, TODAY)) == {late, postponed}
    assert set(Measure.objects.due_for(staff_user, TODAY)) == {late, postponed, today, soon}


# --- The page -----------------------------------------------------------------------------


@pytest.fixture
def owner(strategy):
    owner = make_owner(get_commitment("1.1"))
    get_commitment("2.1").owners.add(owner)
    return owner


def test_my_work_starts_with_what_is_due_most_urgent_first(client, owner):
    the_round = open_round(deadline=days(3))
    Entry.objects.filter(pk=entry_for(the_round, "2.1").pk).update(
        state=EntryState.RETURNED, return_comment="Skriv mer om Kaunas."
    )
    measure("1.1", days(-5), title="Søknadsverksted", responsible=owner)
    measure("2.1", days(10), title="Nettverksmøte", responsible=owner)
    measure("1.1", days(1), title="Rapport til Interreg", responsible=owner)
    measure("1.1", days(-1), State.DONE, title="Gjort i går", responsible=owner)
    client.force_login(owner)

    html = client.get(MY_WORK).text
    # The first section of the page.
    assert html.index('id="due-heading"') < html.index('id="owned-heading"')
    due = due_section(html)
    order = [
        "Søknadsverksted",  # 5 days late
        "Rapport til Interreg",  # 1 day left
        "your entry for commitment 1.1",  # 3 days left; entries before measures of a day
        "your entry for commitment 2.1",
        "Nettverksmøte",  # 10 days left
    ]
    positions = [due.index(text) for text in order]
    assert positions == sorted(positions)
    assert "Gjort i går" not in due
    assert "5 days late" in due and "1 day left" in due and "3 days left" in due
    assert f'<time datetime="{days(-5):%Y-%m-%d}">' in due
    # Each links to its entry or measure; a returned entry says so, with the comment.
    assert entry_for(the_round, "1.1").get_absolute_url() in due
    assert Measure.objects.get(title="Søknadsverksted").get_absolute_url() in due
    assert "Returned to you" in due and "Skriv mer om Kaunas." in due
    # The page says in which order.
    assert "Most urgent first" in due


def test_an_entry_in_the_grace_period_counts_the_days_late(client, owner):
    open_round(deadline=days(-2), grace_days=14)
    client.force_login(owner)
    due = due_section(client.get(MY_WORK).text)
    assert due.count("2 days late") == 2  # both of the owner's entries


def test_a_measure_due_today_says_so(client, owner):
    measure("1.1", TODAY, title="Frist i dag", responsible=owner)
    client.force_login(owner)
    assert "Due today" in due_section(client.get(MY_WORK).text)


@pytest.mark.parametrize(
    ("language", "late", "left", "empty"),
    [
        ("", "2 dager på etterskudd", "3 dager igjen", "Ingenting forfaller"),
        ("/nn", "2 dagar på etterskot", "3 dagar igjen", "Ingenting forfell"),
        ("/en", "2 days late", "3 days left", "Nothing is due"),
    ],
)
def test_days_are_counted_in_each_language(client, owner, language, late, left, empty):
    client.force_login(owner)
    assert empty in due_section(client.get(f"{language}/mitt-arbeid/").text)
    measure("1.1", days(-2), title="Sent", responsible=owner)
    measure("1.1", days(3), title="Snart", responsible=owner)
    due = due_section(client.get(f"{language}/mitt-arbeid/").text)
    assert late in due and left in due


def test_nothing_due_says_so(staff_client, strategy):
    open_round()  # staff own no commitment: they owe nothing
    due = due_section(staff_client.get(MY_WORK).text)
    assert "Nothing is due" in due and "<li" not in due


def test_due_is_of_the_pages_strategy_only(client, owner):
    from tests.factories import make_other_strategy_commitment

    other = make_other_strategy_commitment()
    other.owners.add(owner)
    make_measure(other, year=days(-1).year, deadline=days(-1), title="Annen strategi",
                 responsible=owner)  # fmt: skip
    client.force_login(owner)
    assert "Annen strategi" not in due_section(client.get(MY_WORK).text)
    # On that strategy's own "My work" it is due.
    assert "Annen strategi" in due_section(client.get("/en/strategier/annen/mitt-arbeid/").text)
