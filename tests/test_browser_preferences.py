"""The e-mail settings page in a real Chromium: saved in place by keyboard alone (htmx, no
reload, the change announced), and axe-core finds nothing at desktop and phone width in
bokmål, nynorsk and English."""

import pytest
from playwright.sync_api import expect

from accounts.models import Profile
from tests.conftest import layout_problems
from tests.factories import get_commitment, make_owner
from tests.test_browser_staff import real_errors, sign_in, tab_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("roles_from_the_migration"),
]


def test_the_settings_are_saved_in_place_by_keyboard(live_server, page, console_errors, strategy):
    owner = make_owner(get_commitment("1.1"))
    sign_in(page, live_server, owner.username, "/en/mitt-arbeid/")
    page.get_by_role("link", name="E-mail settings").click()
    page.wait_for_url(live_server.url + "/en/accounts/innstillinger/")
    assert page.evaluate("typeof htmx") == "object"
    page.evaluate("window.__marker = 1")

    tab_to(page, "#id_language")
    page.keyboard.press("ArrowDown")  # bokmål → nynorsk
    tab_to(page, "#id_weekly_digest")
    page.keyboard.press("Space")  # the digest off
    tab_to(page, "#preferences-form button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.locator("#workspace-announcer")).to_have_text("Your settings were saved.")
    assert page.evaluate("window.__marker") == 1
    profile = Profile.objects.get(user=owner)
    assert (profile.language, profile.weekly_digest) == ("nn", False)
    expect(page.locator("#id_language")).to_have_value("nn")
    assert real_errors(console_errors) == []


@pytest.mark.parametrize("prefix, lang", [("", "nb"), ("/nn", "nn"), ("/en", "en")])
def test_the_settings_page_passes_axe(live_server, page, console_errors, strategy, prefix, lang):
    owner = make_owner(get_commitment("1.1"))
    sign_in(page, live_server, owner.username, f"{prefix}/accounts/innstillinger/")
    assert page.locator("html").get_attribute("lang") == lang

    assert layout_problems(page) == {}
    page.locator("#preferences-form button[type=submit]").click()
    expect(page.locator("#workspace-announcer")).not_to_be_empty()
    assert layout_problems(page) == {}
    assert real_errors(console_errors) == []
