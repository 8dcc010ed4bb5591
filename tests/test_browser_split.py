"""The overview's note on the 2024 split, in Chromium: three languages, desktop and 360 px,
axe-core clean; and the county filter on the yearly report (issue 13, item 2)."""

import pytest

from counties.models import County
from tests.conftest import axe_violations
from tests.factories import get_commitment, make_activity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [(1280, 900), (360, 740)]

NOTES = {
    "": "Siden 1. januar 2024 har strategien blitt fulgt opp av Telemark fylkeskommune og "
    "Vestfold fylkeskommune, som overtok etter Vestfold og Telemark fylkeskommune.",
    "/nn": "Sidan 1. januar 2024 har strategien vorte følgd opp av Telemark fylkeskommune og "
    "Vestfold fylkeskommune, som tok over etter Vestfold og Telemark fylkeskommune.",
    "/en": "Since Jan. 1, 2024, the strategy has been followed up by Telemark County Authority "
    "and Vestfold County Authority, which took over from Vestfold og Telemark County Authority.",
}


@pytest.mark.parametrize("prefix", NOTES)
def test_the_overview_shows_the_split_note_and_passes_axe(
    live_server, page, console_errors, strategy, prefix
):
    page.goto(live_server.url + prefix + "/")
    note = page.locator("#follow-up")
    assert note.inner_text() == NOTES[prefix]
    assert note.locator("time").get_attribute("datetime") == "2024-01-01"
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        assert note.is_visible()
        assert axe_violations(page) == [], width
    assert console_errors == []


def test_the_report_filtered_by_county_passes_axe(live_server, page, console_errors, strategy):
    make_activity(
        get_commitment("2.1"), title="Møte i Wuhan", county=County.objects.get(slug="telemark")
    )
    make_activity(get_commitment("2.1"), title="Besøk i Kaunas")
    page.goto(live_server.url + "/rapport/2025/")
    page.select_option("#id_county", "telemark")
    page.get_by_role("button", name="Vis").click()
    page.wait_for_url("**/rapport/2025/?county=telemark")
    assert page.get_by_text("Møte i Wuhan").count() == 1
    assert page.get_by_text("Besøk i Kaunas").count() == 0
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        assert axe_violations(page) == [], width
    assert console_errors == []
