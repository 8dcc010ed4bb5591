"""The public yearly report shows the year's approved entries, and nothing else of a round."""

from django.test import Client

from reporting.models import Entry, EntryState
from tests.factories import make_user
from tests.reporting.helpers import YEAR, entry_of, open_round, url


def test_the_yearly_report_shows_the_approved_entries_only(strategy):
    the_round = open_round()
    editor = make_user("editor", "Redaktør")
    approved, submitted = entry_of(the_round, "1.1"), entry_of(the_round, "1.2")
    for entry, assessment in [
        (approved, "Godkjent vurdering."),
        (submitted, "Innsendt vurdering."),
    ]:
        entry.assessment, entry.status, entry.next_steps = assessment, "on_track", "Mer arbeid."
        entry.submit(editor)
    approved.approve(editor)
    assert Entry.objects.filter(state=EntryState.APPROVED).count() == 1

    html = Client().get(url("priorities:report", YEAR)).text
    assert f"Rapportering {YEAR}" in html
    assert "Godkjent vurdering." in html and "Videre arbeid" in html
    assert "Innsendt vurdering." not in html


def test_no_section_without_an_approved_entry(strategy):
    open_round()
    html = Client().get(url("priorities:report", YEAR)).text
    assert 'id="reporting"' not in html
