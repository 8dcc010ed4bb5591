"""Every response carries the security headers; production values come from the environment."""

import pytest

pytestmark = pytest.mark.django_db


def test_every_page_has_the_security_headers(client):
    response = client.get("/")
    assert response.headers["Content-Security-Policy"] == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'self'; "
        "frame-ancestors 'none'; object-src 'none'"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_error_pages_have_the_headers_too(client):
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404
    assert "Content-Security-Policy" in response.headers
    assert response.headers["X-Frame-Options"] == "DENY"


def test_a_request_that_cannot_be_read_gets_the_400_page_with_the_headers(client):
    # A host name the portal does not serve (DisallowedHost): Django's handler400, our page.
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Forespørselen kunne ikke leses" in response.text
    assert "The request could not be read" in response.text
    assert "Content-Security-Policy" in response.headers
    assert response.headers["X-Frame-Options"] == "DENY"


def test_production_sends_hsts_and_redirects_http(client, settings):
    # The values production gets from SECURE_HTTPS (see test_settings for the env handling).
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    insecure = client.get("/")
    assert insecure.status_code == 301
    assert insecure.headers["Location"] == "https://testserver/"
    secure = client.get("/", secure=True)
    assert secure.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )


def test_session_cookie_is_secure_httponly_and_samesite(client, settings, admin_user):
    from tests.factories import PASSWORD

    settings.SESSION_COOKIE_SECURE = True
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": admin_user.username, "password": PASSWORD},
        secure=True,
    )
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
