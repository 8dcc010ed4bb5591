"""The admin in a real Chromium: no console errors (CSP), autocomplete and side-by-side fields."""

import datetime

import pytest
from playwright.sync_api import expect

from priorities.models import Activity, Commitment
from tests.conftest import axe_violations
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def admin_page(live_server, page, admin_user, strategy):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", admin_user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def test_admin_pages_run_without_console_errors(admin_page, live_server, console_errors, strategy):
    priority = strategy.priorities.first()
    activity = Activity.objects.create(
        commitment=Commitment.objects.first(),
        title="Møte i Brussel",
        kind="meeting",
        start_date=datetime.date(2025, 3, 4),
    )
    activity.is_public = False
    activity.save()  # a second history record, so the history page has a diff to show
    paths = [
        "/admin/",
        f"/admin/priorities/strategy/{strategy.pk}/change/",
        f"/admin/priorities/priority/{priority.pk}/change/",
        "/admin/priorities/activity/",
        f"/admin/priorities/activity/{activity.pk}/change/",
        f"/admin/priorities/activity/{activity.pk}/history/",
        "/admin/partners/bilateralpartner/?agreement=expiring",
        "/en/admin/partners/organisation/add/",
    ]
    for path in paths:
        # The admin's scripts add the calendar and clock icons after "load" (the strategy's
        # "ended on" date, the activity's dates): wait for them, or leaving the page cancels
        # their requests and the cancel reads as a failed request.
        admin_page.goto(live_server.url + path, wait_until="networkidle")
        assert admin_page.locator("#content").is_visible(), path
    assert console_errors == []


def test_admin_pages_added_here_pass_axe(admin_page, live_server, strategy):
    # Pages without an autocomplete box: Django's vendored select2 has axe findings of its own.
    Activity.objects.create(
        commitment=Commitment.objects.first(),
        title="Møte i Brussel",
        kind="meeting",
        start_date=datetime.date(2025, 3, 4),
    )
    paths = [
        "/admin/",  # the agreement follow-up line
        f"/admin/priorities/strategy/{strategy.pk}/change/",  # side-by-side texts, focus points
        f"/admin/priorities/strategy/{strategy.pk}/history/",
        "/admin/priorities/activity/",  # filters, date hierarchy, actions
        "/admin/partners/bilateralpartner/?agreement=expiring",
    ]
    for path in paths:
        admin_page.goto(live_server.url + path)
        assert axe_violations(admin_page) == [], path


def test_translations_are_side_by_side_on_a_wide_screen(admin_page, live_server, strategy):
    admin_page.set_viewport_size({"width": 1400, "height": 900})
    admin_page.goto(f"{live_server.url}/admin/priorities/strategy/{strategy.pk}/change/")

    boxes = [
        admin_page.locator(f"#id_purpose_{lang}").bounding_box() for lang in ("nb", "nn", "en")
    ]
    assert boxes[0]["y"] == boxes[1]["y"] == boxes[2]["y"]
    assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]
    assert boxes[2]["x"] + boxes[2]["width"] <= 1400  # no sideways scrolling


def test_activity_commitment_is_chosen_by_autocomplete(admin_page, live_server, console_errors):
    admin_page.goto(f"{live_server.url}/admin/priorities/activity/add/")

    admin_page.click(".field-commitment .select2-selection")
    dropdown = admin_page.locator(".select2-container--open .select2-dropdown")
    results = dropdown.locator(".select2-results__option")
    # Let the first request finish: typing would abort it (a "failed request" in the log).
    expect(results.filter(has_text="1.1 ")).to_have_count(1)
    dropdown.locator(".select2-search__field").fill("kompetanse")
    expect(results.filter(has_text="1.1 ")).to_have_count(0)  # the search ran on the server
    results.filter(has_text="4.3 Fylkeskommunen skal ha kompetanse").click()
    admin_page.fill("#id_title", "Kurs i prosjektledelse")
    admin_page.select_option("#id_kind", "knowledge_sharing")
    admin_page.fill("#id_start_date", "2026-03-01")
    admin_page.click("input[name=_save]")

    admin_page.wait_for_url(f"{live_server.url}/admin/priorities/activity/")
    activity = Activity.objects.get(title="Kurs i prosjektledelse")
    assert activity.commitment.code == "4.3"
    assert console_errors == []
