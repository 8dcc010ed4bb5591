"""Delegation visits in a real Chromium: staff log a visit with one participant in place by
keyboard alone (the page never reloads; the visit's fields show only for that kind), and
axe-core finds nothing on a visit's page and the form at desktop and phone width in bokmål,
nynorsk and English."""

import pytest
from playwright.sync_api import expect

from priorities.models import Activity
from tests.conftest import layout_problems
from tests.factories import get_commitment, make_visit
from tests.test_browser_staff import COMMITMENT, real_errors, sign_in, tab_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("roles_from_the_migration"),
]


def test_staff_log_a_visit_in_place_by_keyboard(
    live_server, page, console_errors, strategy, staff_user
):
    sign_in(page, live_server, "staff")
    assert page.evaluate("typeof htmx") == "object"
    page.evaluate("window.__marker = 1")

    tab_to(page, "#log-activity-button")
    page.keyboard.press("Enter")
    expect(page.locator("#id_title")).to_be_focused()
    # The visit's fields are hidden until the kind is a delegation visit.
    expect(page.locator(".visit-fields")).to_be_hidden()
    page.keyboard.type("Delegasjon til Kaunas")
    tab_to(page, "#id_kind")
    page.keyboard.type("Delegation")
    expect(page.locator("#id_kind")).to_have_value("delegation_visit")
    expect(page.locator(".visit-fields")).to_be_visible()
    tab_to(page, "#id_start_date")
    page.keyboard.type("05122025")
    tab_to(page, "#id_visit-direction_0")
    page.keyboard.press("Space")
    tab_to(page, "#id_visit-purpose")
    page.keyboard.type("Drøfte utveksling av lærlinger.")
    tab_to(page, "#id_visit-follow_up")
    page.keyboard.type("Utkast til avtale innen sommeren.")
    tab_to(page, "#id_visit-cost")
    page.keyboard.type("84500")
    tab_to(page, "#id_participants-0-name")
    page.keyboard.type("Eva Eksempeldal")
    tab_to(page, "#id_participants-0-title")
    page.keyboard.type("fylkesordfører")
    tab_to(page, "#activity-form-slot button[type=submit], .workspace-form button[type=submit]")
    page.keyboard.press("Enter")

    item = page.locator("li.activity-item", has_text="Delegasjon til Kaunas")
    expect(item).to_be_focused()
    expect(item).to_contain_text("Outgoing visit")
    expect(item).to_contain_text("Eva Eksempeldal, fylkesordfører")
    expect(item).not_to_contain_text("84")  # the cost is on the activity's page only
    assert page.evaluate("window.__marker") == 1
    activity = Activity.objects.get(title="Delegasjon til Kaunas")
    assert activity.visit.cost == 84500 and not activity.visit.cost_is_public
    assert [p.name for p in activity.visit.participants.all()] == ["Eva Eksempeldal"]
    assert real_errors(console_errors) == []


@pytest.mark.parametrize("prefix, lang", [("", "nb"), ("/nn", "nn"), ("/en", "en")])
def test_a_visit_page_and_the_form_pass_axe(
    live_server, page, console_errors, strategy, staff_user, prefix, lang
):
    visit = make_visit(
        get_commitment("1.1"),
        staff_user,
        visit={"cost": 84500},
        participants=[
            ("Eva Eksempeldal", "fylkesordfører", "politician", ""),
            ("Wei Eksempel", "", "other", "Hubei-provinsen"),
        ],
    )
    problems = {}

    def check(what: str) -> None:
        assert page.locator("html").get_attribute("lang") == lang, what
        for width, problem in layout_problems(page).items():
            problems[(what, width)] = problem

    page.goto(f"{live_server.url}{prefix}/aktiviteter/{visit.pk}/")  # anonymous
    check("visit page, anonymous")
    sign_in(page, live_server, "staff", COMMITMENT)
    page.goto(f"{live_server.url}{prefix}/aktiviteter/{visit.pk}/")
    check("visit page, staff (with the cost)")
    page.goto(f"{live_server.url}{prefix}/aktiviteter/{visit.pk}/endre/")
    check("edit form page")
    page.locator("#id_visit-cost").fill("-5")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary").first).to_be_visible()
    check("edit form with errors")
    assert real_errors(console_errors) == []
    assert problems == {}
