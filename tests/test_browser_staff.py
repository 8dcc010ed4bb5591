"""The staff workspace in a real Chromium: sign in, log, edit and delete an activity in place
(the page never reloads), the same by keyboard alone, set a status, and the same without
JavaScript. axe-core finds nothing with the form open and with errors shown."""

import re

import pytest
from playwright.sync_api import expect

from priorities.models import Activity, StatusUpdate
from tests.conftest import axe_violations
from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("roles_from_the_migration"),
]

COMMITMENT = "/en/prioriteringer/medlemsorganisasjoner/1/"
# Chromium logs every 4xx response as a console error. A form with errors is answered with
# 422 on purpose, so that one line is expected; anything else is a real error.
EXPECTED_422 = re.compile(r"^Failed to load resource: the server responded with a status of 422")


def real_errors(console_errors: list[str]) -> list[str]:
    return [e for e in console_errors if not EXPECTED_422.match(e)]


def sign_in(page, live_server, username: str, next_path: str = COMMITMENT) -> None:
    page.goto(f"{live_server.url}/en/accounts/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + next_path)


def focused(page) -> str:
    """A short description of the focused element: its id, or tag and text."""
    return page.evaluate(
        "(() => { const e = document.activeElement;"
        " return e.id || (e.tagName + ':' + e.textContent.trim().slice(0, 40)); })()"
    )


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}; stuck on {focused(page)}")


def test_log_edit_and_delete_in_place(live_server, page, console_errors, strategy, staff_user):
    sign_in(page, live_server, "staff")
    assert page.evaluate("typeof htmx") == "object"
    page.evaluate("window.__marker = 1")

    # Open the form in place: the title field takes the focus.
    page.get_by_role("link", name="Log activity").click()
    title = page.locator("#activity-form-slot #id_title")
    expect(title).to_be_focused()
    assert axe_violations(page) == []

    # Submit it empty: the errors are shown in place, the first field takes the focus.
    page.locator("#activity-form-slot").get_by_role("button", name="Log activity").click()
    expect(page.locator(".error-summary")).to_contain_text("There is a problem")
    expect(title).to_be_focused()
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(title).to_have_attribute("aria-describedby", "id_title_error")
    assert axe_violations(page) == []

    # Fill it in and save: the activity joins the list, the form closes, the page stays.
    title.fill("Generalforsamling i CPMR")
    page.get_by_label("Kind").select_option("conference")
    page.get_by_label("Date (or start date)").fill("2025-06-12")
    page.get_by_label("Kaunas").check()
    page.locator("#activity-form-slot").get_by_role("button", name="Log activity").click()
    item = page.locator("#activity-list li.activity-item", has_text="Generalforsamling i CPMR")
    expect(item).to_be_visible()
    expect(item).to_be_focused()
    expect(page.locator("#activity-form-slot #id_title")).to_have_count(0)
    expect(page.locator("#workspace-announcer")).to_have_text(
        "“Generalforsamling i CPMR” was logged."
    )
    expect(page.locator("#commitment-summary")).to_contain_text("1 in total")
    assert page.evaluate("window.__marker") == 1
    activity = Activity.objects.get()
    assert activity.created_by == staff_user
    assert [p.slug for p in activity.partners.all()] == ["kaunas"]

    # Edit it in place.
    item.get_by_role("link", name="Edit").click()
    edit_title = page.locator(f"#activity-{activity.pk} #id_title")
    expect(edit_title).to_be_focused()
    expect(edit_title).to_have_value("Generalforsamling i CPMR")
    edit_title.fill("Generalforsamling i CPMR Nordsjøkommisjonen")
    page.locator(f"#activity-{activity.pk}").get_by_role("button", name="Save changes").click()
    item = page.locator(f"#activity-{activity.pk}")
    expect(item).to_contain_text("Generalforsamling i CPMR Nordsjøkommisjonen")
    expect(item).to_be_focused()
    assert page.evaluate("window.__marker") == 1
    activity.refresh_from_db()
    assert activity.title == "Generalforsamling i CPMR Nordsjøkommisjonen"

    # Delete it, after a confirmation in place.
    item.get_by_role("link", name="Delete").click()
    expect(page.locator(f"#delete-question-{activity.pk}")).to_be_focused()
    assert Activity.objects.filter(pk=activity.pk).exists()
    page.get_by_role("button", name="Yes, delete").click()
    notice = page.locator(f"#activity-{activity.pk}")
    expect(notice).to_have_text("“Generalforsamling i CPMR Nordsjøkommisjonen” was deleted.")
    expect(notice).to_be_focused()
    expect(page.locator("#commitment-summary")).to_contain_text("0 in total")
    assert not Activity.objects.exists()

    assert page.evaluate("window.__marker") == 1
    assert page.evaluate("typeof htmx") == "object"
    assert real_errors(console_errors) == []


def test_the_same_by_keyboard_alone(live_server, page, console_errors, strategy, staff_user):
    # Sign in with the keyboard.
    page.goto(f"{live_server.url}/en/accounts/login/?next={COMMITMENT}")
    tab_to(page, "#id_username")
    page.keyboard.type("staff")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + COMMITMENT)
    page.evaluate("window.__marker = 1")

    # Log an activity: Enter on the button, type, Space on a checkbox and on the button.
    tab_to(page, "#log-activity-button")
    page.keyboard.press("Enter")
    expect(page.locator("#id_title")).to_be_focused()
    page.keyboard.type("Nettverksmøte")
    page.keyboard.press("Tab")  # kind
    page.keyboard.type("Meeting")
    page.keyboard.press("Tab")  # date
    page.keyboard.type("06122025")
    assert page.locator("#id_start_date").input_value() == "2025-06-12"
    tab_to(page, "#activity-form-slot input[name=partners]")  # the first partner
    page.keyboard.press("Space")
    tab_to(page, "#activity-form-slot button[type=submit]")
    page.keyboard.press("Space")
    item = page.locator("#activity-list li.activity-item", has_text="Nettverksmøte")
    expect(item).to_be_focused()
    activity = Activity.objects.get()
    assert (activity.title, activity.kind) == ("Nettverksmøte", "meeting")
    assert activity.partners.count() == 1

    # Edit it: Tab from the activity to its Edit button.
    tab_to(page, f"#activity-{activity.pk} a[href$='/endre/']")
    page.keyboard.press("Enter")
    expect(page.locator(f"#activity-{activity.pk} #id_title")).to_be_focused()
    page.keyboard.press("End")
    page.keyboard.type(" i Brussel")
    tab_to(page, f"#activity-{activity.pk} button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator(f"#activity-{activity.pk}")).to_contain_text("Nettverksmøte i Brussel")
    expect(page.locator(f"#activity-{activity.pk}")).to_be_focused()

    # Delete it: Enter on Delete, Tab to "Yes, delete", Space.
    tab_to(page, f"#activity-{activity.pk} a[href$='/slett/']")
    page.keyboard.press("Enter")
    expect(page.locator(f"#delete-question-{activity.pk}")).to_be_focused()
    page.keyboard.press("Tab")
    assert focused(page) == "BUTTON:Yes, delete"
    page.keyboard.press("Space")
    expect(page.locator(f"#activity-{activity.pk}")).to_contain_text("was deleted")
    expect(page.locator(f"#activity-{activity.pk}")).to_be_focused()
    assert not Activity.objects.exists()

    assert page.evaluate("window.__marker") == 1
    assert real_errors(console_errors) == []


def test_editor_sets_status_in_place(live_server, page, console_errors, strategy, editor_user):
    sign_in(page, live_server, "editor")
    page.evaluate("window.__marker = 1")

    page.get_by_role("link", name="Set status").click()
    expect(page.get_by_label("Not started")).to_be_focused()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Save status").click()  # nothing chosen, no assessment
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.get_by_label("Not started")).to_be_focused()
    assert axe_violations(page) == []

    page.get_by_label("Needs attention").check()
    page.get_by_label("Assessment").fill("Få aktiviteter i år; bør prioriteres.")
    page.get_by_role("button", name="Save status").click()
    expect(page.locator("#status-history")).to_contain_text("Få aktiviteter i år")
    expect(page.locator("#commitment-summary")).to_contain_text("Needs attention")
    expect(page.get_by_role("link", name="Set status")).to_be_focused()
    expect(page.locator("#workspace-announcer")).to_have_text(
        "The status was set to “Needs attention”."
    )
    assert page.evaluate("window.__marker") == 1
    update = StatusUpdate.objects.get()
    assert (update.status, update.author) == ("needs_attention", editor_user)
    assert real_errors(console_errors) == []


def test_staff_pages_pass_axe(live_server, page, console_errors, strategy, staff_user):
    page.goto(f"{live_server.url}/en/accounts/login/")
    assert axe_violations(page) == []
    sign_in(page, live_server, "staff", next_path="/en/mitt-arbeid/")
    expect(page.get_by_role("heading", name="My work", exact=True)).to_be_visible()
    assert axe_violations(page) == []

    # The full-page form (no JavaScript needed), with errors.
    page.goto(f"{live_server.url}{COMMITMENT}aktiviteter/ny/")
    page.get_by_role("button", name="Log activity").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#id_title")).to_be_focused()
    assert axe_violations(page) == []
    assert real_errors(console_errors) == []


def test_everything_works_without_javascript(browser, live_server, strategy, staff_user):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, "staff")

    # The "Log activity" link leads to the full-page form; saving redirects back.
    page.get_by_role("link", name="Log activity").click()
    page.wait_for_url("**/aktiviteter/ny/")
    page.get_by_label("Title").fill("Uten JavaScript")
    page.get_by_label("Kind").select_option("meeting")
    page.get_by_label("Date (or start date)").fill("2025-06-12")
    page.get_by_role("button", name="Log activity").click()
    page.wait_for_url(re.compile(re.escape(live_server.url + COMMITMENT) + "#activity-[0-9]+$"))
    expect(page.locator(".messages")).to_contain_text("“Uten JavaScript” was logged.")
    activity = Activity.objects.get()

    # Edit and delete, each a page of its own.
    page.locator(f"#activity-{activity.pk}").get_by_role("link", name="Edit").click()
    page.get_by_label("Title").fill("Uten JavaScript, endret")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".messages")).to_contain_text("“Uten JavaScript, endret” was saved.")
    page.locator(f"#activity-{activity.pk}").get_by_role("link", name="Delete").click()
    page.get_by_role("button", name="Yes, delete").click()
    expect(page.locator(".messages")).to_contain_text("was deleted.")
    assert not Activity.objects.exists()
    context.close()


def test_an_activity_deleted_meanwhile_gives_a_message(
    live_server, page, console_errors, strategy, staff_user
):
    from tests.factories import get_commitment
    from tests.priorities.workspace_helpers import make_activity

    activity = make_activity(get_commitment(), staff_user, title="Snart borte")
    sign_in(page, live_server, "staff")
    error = page.locator("#workspace-error")
    expect(error).to_be_hidden()

    # Someone else deletes it while the page is open; then Edit is a 404, and we say so.
    Activity.objects.filter(pk=activity.pk).delete()
    page.locator(f"#activity-{activity.pk}").get_by_role("link", name="Edit").click()
    expect(error).to_be_visible()
    expect(error).to_contain_text("Someone may have changed or deleted it")
    expect(page.locator(f"#activity-{activity.pk}")).to_contain_text("Snart borte")
    assert any("404" in e for e in console_errors)  # the failed request itself

    # The next request clears it.
    page.get_by_role("link", name="Log activity").click()
    expect(page.locator("#id_title")).to_be_focused()
    expect(error).to_be_hidden()
