"""Local passwords with a provider configured: LOCAL_PASSWORDS=0 leaves the password form to
the break-glass admin alone (BREAK_GLASS_USERNAME), on the sign-in page and in /admin/ alike,
and django-axes keeps throttling what the form is still tried with."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client

from tests.factories import PASSWORD, make_user

LOGIN = "/en/accounts/login/"
WRONG = "Wrong-Secret-Passw0rd!"


@pytest.fixture
def passwords_off(oidc_settings):
    oidc_settings.LOCAL_PASSWORDS = False
    oidc_settings.BREAK_GLASS_USERNAME = "naudadmin"
    return oidc_settings


@pytest.fixture
def break_glass(db):
    return make_user("naudadmin", is_staff=True, is_superuser=True)


def sign_in(client, username, password=PASSWORD, url=LOGIN):
    return client.post(url, {"username": username, "password": password})


def test_the_password_form_refuses_everyone_but_the_break_glass_admin(
    client, passwords_off, staff_user, admin_user, break_glass
):
    for username in ("staff", "administrator"):
        response = sign_in(Client(), username)
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.text

    response = sign_in(client, "naudadmin")
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(break_glass.pk)


def test_the_admin_login_refuses_them_too(client, passwords_off, admin_user, break_glass):
    response = sign_in(client, "administrator", url="/admin/login/")
    assert SESSION_KEY not in client.session
    assert response.status_code == 200

    response = sign_in(client, "naudadmin", url="/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(break_glass.pk)


def test_a_password_session_from_before_ends_when_passwords_are_switched_off(
    client, oidc_settings, staff_user
):
    assert sign_in(client, "staff").status_code == 302
    oidc_settings.LOCAL_PASSWORDS = False
    oidc_settings.BREAK_GLASS_USERNAME = "naudadmin"

    response = client.get("/mitt-arbeid/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_login_page_says_passwords_are_for_the_emergency_admin(client, passwords_off, db):
    html = client.get(LOGIN).text
    assert "Passwords are only for the portal's emergency administrator" in html
    assert "Forgotten your password?" not in html


def test_axes_still_locks_the_break_glass_admin_after_wrong_passwords(
    client, passwords_off, break_glass
):
    statuses = [sign_in(client, "naudadmin", WRONG).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    # Locked: the right password is refused too.
    assert sign_in(client, "naudadmin").status_code == 429
    assert SESSION_KEY not in client.session


def test_axes_counts_the_refused_users_attempts(client, passwords_off, staff_user):
    statuses = [sign_in(client, "staff").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    assert AccessAttempt.objects.get(username="staff").failures_since_start == 5


def test_with_passwords_on_everyone_signs_in_with_a_password(client, oidc_settings, staff_user):
    assert sign_in(client, "staff").status_code == 302
