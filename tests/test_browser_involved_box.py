"""In a real Chromium: logging an activity in place updates "Partners and organisations
involved" without a reload (the box comes back as an out-of-band swap)."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("roles_from_the_migration"),
]

COMMITMENT = "/en/prioriteringer/medlemsorganisasjoner/1/"


def test_logging_an_activity_updates_the_involved_box_in_place(
    live_server, page, console_errors, strategy, staff_user
):
    page.goto(f"{live_server.url}/en/accounts/login/?next={COMMITMENT}")
    page.get_by_label("Username").fill("staff")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + COMMITMENT)
    page.evaluate("window.__marker = 1")
    box = page.locator("#involved")
    expect(box).not_to_contain_text("Kaunas")

    page.get_by_role("link", name="Log activity").click()
    page.locator("#activity-form-slot #id_title").fill("Generalforsamling i CPMR")
    page.get_by_label("Kind").select_option("conference")
    page.get_by_label("Date (or start date)").fill("2025-06-12")
    page.get_by_label("Kaunas").check()
    page.locator("#activity-form-slot").get_by_role("button", name="Log activity").click()

    expect(page.locator("#workspace-announcer")).to_have_text(
        "“Generalforsamling i CPMR” was logged."
    )
    expect(box.get_by_role("link", name="Kaunas")).to_be_visible()
    expect(box).to_contain_text("(1 activity)")
    expect(page.locator("#involved")).to_have_count(1)
    assert page.evaluate("window.__marker") == 1  # in place: no reload
    assert console_errors == []
