"""No redirect leaves the site, whatever `next` or path an attacker puts in a link.

A Location is read as a browser reads it: relative to the page, backslashes as slashes, tabs
and newlines dropped, leading spaces and control characters stripped.
"""

from urllib.parse import quote, urljoin, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY

from tests.factories import PASSWORD

ELSEWHERE = [
    "//evil.example/",
    "///evil.example/",
    "https://evil.example/",
    "http:evil.example",
    "https:/evil.example",
    "/\\evil.example/",
    "\\\\evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    " //evil.example",
    "\x01//evil.example",
    "http://testserver@evil.example/",
    "http://evil.example\\@testserver/",
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/%2F%2Fevil.example",
]


def where(page: str, location: str) -> tuple[str, str]:
    """(scheme, host) a browser goes to when `page` answers with `location`."""
    cleaned = location.replace("\\", "/").replace("\t", "").replace("\n", "").replace("\r", "")
    cleaned = cleaned.lstrip("".join(map(chr, range(0x21))))
    target = urlsplit(urljoin(f"http://testserver{page}", cleaned))
    return target.scheme, target.netloc


def assert_stays(page: str, response) -> None:
    if response.status_code in (301, 302, 303, 307, 308):
        assert where(page, response["Location"]) == ("http", "testserver"), response["Location"]
    if "HX-Redirect" in response:
        assert where(page, response["HX-Redirect"]) == ("http", "testserver")


@pytest.mark.parametrize("next_url", ELSEWHERE)
def test_sign_in_next_in_the_link(client, staff_user, next_url):
    page = f"/en/accounts/login/?next={quote(next_url)}"
    # The form carries `next` on: it must not put it in a place it can run from either.
    form = client.get(page)
    assert form.status_code == 200
    assert 'value="javascript:' not in form.text.lower()

    response = client.post(page, {"username": "staff", "password": PASSWORD})
    assert response.status_code == 302 and SESSION_KEY in client.session
    assert_stays(page, response)


@pytest.mark.parametrize("next_url", ELSEWHERE)
def test_sign_in_next_in_the_form(client, staff_user, next_url):
    page = "/accounts/login/"
    response = client.post(page, {"username": "staff", "password": PASSWORD, "next": next_url})
    assert response.status_code == 302
    assert_stays(page, response)


@pytest.mark.parametrize("next_url", ELSEWHERE)
def test_already_signed_in(staff_client, next_url):
    # The login page sends a signed-in user straight on: the same check applies.
    page = f"/accounts/login/?next={quote(next_url)}"
    response = staff_client.get(page)
    assert response.status_code == 302
    assert_stays(page, response)


@pytest.mark.parametrize("next_url", ELSEWHERE)
def test_sign_out_next(staff_client, next_url):
    page = f"/accounts/logout/?next={quote(next_url)}"
    response = staff_client.post(page, {"next": next_url})
    assert response.status_code == 302
    assert_stays(page, response)


@pytest.mark.parametrize("next_url", ELSEWHERE)
def test_admin_sign_in_next(client, admin_user, next_url):
    page = f"/admin/login/?next={quote(next_url)}"
    response = client.post(page, {"username": "administrator", "password": PASSWORD})
    assert response.status_code == 302
    assert_stays(page, response)


@pytest.mark.parametrize(
    "path",
    [
        "//evil.example",
        "//evil.example/",
        "//evil.example/aktiviteter",
        "/\\evil.example",
        "/en//evil.example",
        "/nn/\\evil.example/",
        "/%2F%2Fevil.example",
        "/aktiviteter//evil.example",
    ],
)
def test_paths_that_look_like_another_site(client, db, path):
    # Trailing-slash and language redirects build their Location from the path.
    response = client.get("/", PATH_INFO=path)
    assert response.status_code < 500
    assert_stays(path, response)


def test_htmx_login_redirect_keeps_to_the_site(client, strategy):
    # An expired session under htmx: HX-Redirect goes to the login page of this site, with
    # the page the user was on taken from HX-Current-URL, whatever host that names.
    response = client.get(
        "/prioriteringer/medlemsorganisasjoner/1/aktiviteter/ny/",
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="https://evil.example//evil.example/x",
    )
    assert response.status_code == 200
    assert_stays("/", response)
    assert response["HX-Redirect"].startswith("/accounts/login/?next=")
