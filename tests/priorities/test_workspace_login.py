"""Staff sign in at /accounts/login/ (our templates), sign out by POST, change password."""

import pytest
from django.contrib.auth import SESSION_KEY

from tests.factories import PASSWORD
from tests.priorities.workspace_helpers import url

LOGIN = "/en/accounts/login/"


def test_login_page_uses_our_template(client, db):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Sign in</h1>" in html
    assert 'name="username"' in html and 'autocomplete="username"' in html
    assert 'name="password"' in html and 'autocomplete="current-password"' in html
    assert "csrfmiddlewaretoken" in html
    assert "Django administration" not in html


def test_login_goes_to_my_work(client, staff_user):
    response = client.post(LOGIN, {"username": "staff", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/en/mitt-arbeid/"
    assert client.session[SESSION_KEY] == str(staff_user.pk)


def test_wrong_password_shows_a_message_and_does_not_sign_in(client, staff_user):
    response = client.post(LOGIN, {"username": "staff", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "correct username and password" in html
    # A form-wide error: the summary takes the focus; the username stays filled in.
    assert 'class="error-summary" id="form-errors" tabindex="-1" autofocus' in html
    assert 'value="staff"' in html
    assert SESSION_KEY not in client.session


def test_login_follows_next_on_our_own_site(client, staff_user):
    response = client.post(
        LOGIN + "?next=/prioriteringer/medlemsorganisasjoner/1/",
        {"username": "staff", "password": PASSWORD},
    )
    assert response["Location"] == "/prioriteringer/medlemsorganisasjoner/1/"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
        "/\\evil.example/",
    ],
)
def test_login_never_redirects_to_another_site(client, staff_user, next_url):
    response = client.post(LOGIN, {"username": "staff", "password": PASSWORD, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/en/mitt-arbeid/"


def test_staff_pages_send_anonymous_visitors_to_login_and_back(client, db):
    response = client.get("/en/mitt-arbeid/")
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/login/?next=/en/mitt-arbeid/"


def test_an_expired_session_sends_the_whole_page_to_login_under_htmx(client, strategy):
    # Not the login form swapped into a fragment: htmx is told to load the login page.
    page = "/en/prioriteringer/medlemsorganisasjoner/1/"
    response = client.get(
        page + "aktiviteter/ny/",
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver{page}",
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/en/accounts/login/?next={page}"
    assert b"<form" not in response.content


def test_logout_is_a_post(staff_client):
    assert staff_client.get("/en/accounts/logout/").status_code == 405
    assert SESSION_KEY in staff_client.session

    response = staff_client.post("/en/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/en/"
    assert SESSION_KEY not in staff_client.session


def test_password_change(staff_client, staff_user):
    page = staff_client.get("/en/accounts/password_change/")
    assert page.status_code == 200 and "<h1>Change password</h1>" in page.content.decode()

    new = "another-long-password-77"
    response = staff_client.post(
        "/en/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/password_change/done/"
    done = staff_client.get(response["Location"]).content.decode()
    assert "<h1>Password changed</h1>" in done
    staff_user.refresh_from_db()
    assert staff_user.check_password(new)


def test_password_change_with_a_wrong_old_password_changes_nothing(staff_client, staff_user):
    response = staff_client.post(
        "/en/accounts/password_change/",
        {
            "old_password": "wrong",
            "new_password1": "x-long-pass-91",
            "new_password2": "x-long-pass-91",
        },
    )
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    staff_user.refresh_from_db()
    assert staff_user.check_password(PASSWORD)


def test_password_change_needs_login(client, db):
    response = client.get("/en/accounts/password_change/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


def test_header_shows_sign_in_or_my_work_and_sign_out(client, staff_user, strategy):
    html = client.get("/en/").content.decode()
    assert "Sign in</a>" in html and "Sign out" not in html

    client.force_login(staff_user)
    html = client.get("/en/").content.decode()
    assert f'href="/en{url("priorities:my_work")}"' in html and ">My work</a>" in html
    assert 'action="/en/accounts/logout/"' in html and "Sign out</button>" in html
