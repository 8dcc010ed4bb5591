""" "My work" with due items in a real Chromium (issue 12, item 5): axe-core finds nothing at
desktop and phone width in bokmål, nynorsk and English, the phone needs no sideways scrolling,
and the most urgent item comes first on screen."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reporting.models import Entry, EntryState
from tests.conftest import layout_problems
from tests.factories import get_commitment, make_measure, make_owner
from tests.reporting.helpers import entry_of, open_round
from tests.test_browser_staff import real_errors, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("roles_from_the_migration"),
]


@pytest.mark.parametrize(
    ("prefix", "lang", "first"),
    [
        ("", "nb", "dager på etterskudd"),
        ("/nn", "nn", "dagar på etterskot"),
        ("/en", "en", "days late"),
    ],
)
def test_my_work_with_due_items_passes_axe_and_reads_on_a_phone(
    live_server, page, console_errors, strategy, prefix, lang, first
):
    today = timezone.localdate()
    owner = make_owner(get_commitment("1.1"))
    get_commitment("2.1").owners.add(owner)
    the_round = open_round(deadline=today + datetime.timedelta(days=3))
    Entry.objects.filter(pk=entry_of(the_round, "2.1").pk).update(
        state=EntryState.RETURNED,
        return_comment="Skriv mer om samarbeidet med Kaunas og hvilke kommuner som var med, "
        "og legg ved lenke til sluttrapporten fra prosjektet.",
    )
    late = today - datetime.timedelta(days=4)
    make_measure(
        get_commitment("1.1"),
        year=late.year,
        deadline=late,
        responsible=owner,
        title="Felles søknadsverksted for kommunene om Interreg Øresund-Kattegat-Skagerrak",
    )
    soon = today + datetime.timedelta(days=9)
    make_measure(get_commitment("2.1"), year=soon.year, deadline=soon, responsible=owner)

    path = f"{prefix}/mitt-arbeid/"
    sign_in(page, live_server, owner.username, path)
    assert page.locator("html").get_attribute("lang") == lang
    items = page.locator(".due-list > li")
    expect(items).to_have_count(4)
    # The most urgent first: the measure four days late.
    expect(items.first).to_contain_text(f"4 {first}")
    expect(items.first.locator("time")).to_have_attribute("datetime", late.isoformat())
    assert layout_problems(page) == {}
    assert real_errors(console_errors) == []
