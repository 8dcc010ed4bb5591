"""Sign-in with the county's account in a real Chromium: through the provider's own sign-in
page (oidc-provider-mock over HTTP on 127.0.0.1) to "Mitt arbeid", and back out through its
end-session page. axe-core finds nothing on the sign-in and refusal pages, in nb, nn and en."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.conftest import STAFF_GROUPS
from tests.conftest import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("roles_from_the_migration", "oidc_settings"),
]

LANGUAGES = {
    # language: (path prefix, the link's name, the refusal page's heading)
    "nb": ("", "Logg inn med fylkeskommunens konto", "Du har ikke tilgang til portalen"),
    "nn": ("/nn", "Logg inn med fylkeskommunen sin konto", "Du har ikkje tilgang til portalen"),
    "en": ("/en", "Sign in with the county's account", "You have no access to the portal"),
}


@pytest.fixture
def offline(page):
    """The mock provider's page links a stylesheet on a CDN: nothing leaves 127.0.0.1."""
    page.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"), lambda route: route.abort())
    return page


def through_the_provider(page, sub: str) -> None:
    """The provider's sign-in page, as a person uses it: the subject typed in, authorised."""
    page.locator("#subject-input").fill(sub)
    page.get_by_role("button", name="Authorize", exact=True).click()


def test_sign_in_through_the_provider_to_my_work_and_back_out(live_server, offline, oidc_provider):
    page = offline
    oidc_provider.set_user(
        "browser-sub-1", name="Berit Nettleser", email="berit@fylke.example", groups=STAFF_GROUPS
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Logg inn med fylkeskommunens konto").click()
    page.wait_for_url(f"{oidc_provider.url}/oauth2/authorize?**")
    through_the_provider(page, "browser-sub-1")

    page.wait_for_url(f"{live_server.url}/mitt-arbeid/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mitt arbeid")

    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url(f"{oidc_provider.url}/oauth2/end_session?**")
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("link", name="Logg inn")).to_be_visible()
    page.goto(f"{live_server.url}/mitt-arbeid/")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_login_and_refusal_pages_have_no_axe_violations(
    live_server, offline, oidc_provider, language
):
    page = offline
    prefix, link, refused = LANGUAGES[language]
    oidc_provider.set_user(f"outsider-{language}", name="Ola Utenfor", groups=["other"])

    page.goto(f"{live_server.url}{prefix}/accounts/login/")
    assert axe_violations(page) == []
    page.get_by_role("link", name=link).click()
    through_the_provider(page, f"outsider-{language}")

    expect(page.get_by_role("heading", level=1)).to_have_text(refused)
    assert page.evaluate("document.documentElement.lang") == language
    assert axe_violations(page) == []
