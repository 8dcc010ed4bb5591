"""Sign-in throttling (django-axes): five wrong passwords lock the username from that address,
with a clear message; an admin unlocks; every failure is logged without the password."""

import logging

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.test import Client

from tests.factories import PASSWORD
from tests.log_helpers import logged

LOGIN = "/en/accounts/login/"
WRONG = "Wrong-Secret-Passw0rd!"
HERE, ELSEWHERE = "198.51.100.7", "203.0.113.9"


def sign_in(client, password, *, username="staff", address=HERE, **extra):
    data = {"username": username, "password": password, **extra}
    return client.post(LOGIN, data, REMOTE_ADDR=address)


def lock_out(client, username="staff", **extra):
    responses = [sign_in(client, WRONG, username=username, **extra) for _ in range(5)]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    return responses[-1]


def test_five_wrong_passwords_lock_the_username_from_that_address(client, staff_user):
    locked = lock_out(client)

    assert "<h1>Too many failed sign-in attempts</h1>" in locked.text
    assert "blocked for 30 minutes after repeated wrong passwords" in locked.text
    assert "ask the portal's administrator to unlock your account" in locked.text
    assert SESSION_KEY not in client.session


def test_the_right_password_is_refused_while_locked(client, staff_user):
    lock_out(client)

    response = sign_in(client, PASSWORD)

    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_the_lock_holds_for_that_address_and_username_only(client, staff_user, other_staff_user):
    lock_out(client)

    # The same user from another address, and a colleague from the same address, sign in.
    elsewhere = Client()
    assert sign_in(elsewhere, PASSWORD, address=ELSEWHERE).status_code == 302
    assert elsewhere.session[SESSION_KEY] == str(staff_user.pk)
    colleague = Client()
    assert sign_in(colleague, PASSWORD, username="otherstaff").status_code == 302
    assert colleague.session[SESSION_KEY] == str(other_staff_user.pk)


def test_the_admin_login_is_throttled_too(client, admin_user):
    for _ in range(4):
        client.post("/en/admin/login/", {"username": "administrator", "password": WRONG})
    response = client.post("/en/admin/login/", {"username": "administrator", "password": WRONG})
    assert response.status_code == 429


def test_an_admin_unlocks_in_the_admin(client, staff_user, admin_user):
    lock_out(client)
    admin = Client()
    admin.force_login(admin_user)

    listing = admin.get("/en/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "staff" in listing.text and "Locked Out" in listing.text
    attempt = AccessAttempt.objects.get(username="staff")
    response = admin.post(f"/en/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302

    assert sign_in(client, PASSWORD).status_code == 302
    assert client.session[SESSION_KEY] == str(staff_user.pk)


def test_an_admin_unlocks_from_the_command_line(client, staff_user, capsys):
    lock_out(client)

    call_command("axes_reset_username", "staff")

    assert sign_in(client, PASSWORD).status_code == 302


def test_a_success_before_the_limit_starts_the_count_again(client, staff_user):
    for _ in range(4):
        sign_in(client, WRONG)
    assert sign_in(client, PASSWORD).status_code == 302
    client.post("/en/accounts/logout/")

    for _ in range(4):
        assert sign_in(client, WRONG).status_code == 200
    assert sign_in(client, PASSWORD).status_code == 302


def test_failures_are_logged_with_username_and_address_never_password_or_session(
    client, staff_user, caplog
):
    # A visitor with a session (and a CSRF cookie) before signing in: neither may be logged.
    session = client.session
    session["seen"] = True
    session.save()
    session_id = client.cookies["sessionid"].value
    client.get(LOGIN)
    csrf_token = client.cookies["csrftoken"].value
    caplog.set_level(logging.INFO)

    lock_out(client, csrfmiddlewaretoken=csrf_token)

    lines = logged(caplog)
    text = "\n".join(str(line) for line in lines)
    failures = [line for line in lines if "login failure by" in line["message"]]
    assert len(failures) == 5
    assert all('username: "staff"' in f["message"] for f in failures)
    assert all(f'ip_address: "{HERE}"' in f["message"] for f in failures)
    assert all(f["level"] == "WARNING" and f["logger"].startswith("axes") for f in failures)
    assert any("Locking out" in line["message"] for line in lines)
    # The request log has the refusal too.
    requests = [line for line in lines if line["logger"] == "strategy_portal.request"]
    assert [r["status"] for r in requests if r["method"] == "POST"] == [200, 200, 200, 200, 429]
    for secret in (WRONG, session_id, csrf_token):
        assert secret not in text
    # Nor in what django-axes keeps for the admin to read.
    stored = AccessAttempt.objects.get(username="staff")
    assert WRONG not in stored.post_data and csrf_token not in stored.post_data


@pytest.mark.parametrize("username", ["x" * 300, "staff\x00", ""])
def test_odd_usernames_are_a_form_error_not_a_crash(client, staff_user, username):
    # django-axes stores the username in a 255-character column: a longer one was a 500
    # on PostgreSQL. Now it is cut to fit, and still counted.
    response = sign_in(client, WRONG, username=username)
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
