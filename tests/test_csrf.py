"""CSRF is enforced on every POST, htmx ones included; sign-out is a POST.

The test clients here check CSRF as a browser's requests are checked (enforce_csrf_checks).
htmx sends the token in the X-CSRFToken header that base.html puts on <body>.
"""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation

from priorities.models import Activity, StatusUpdate
from tests.factories import PASSWORD
from tests.html_forms import csrf_token, page_token
from tests.priorities.workspace_helpers import HX, activity_data, make_activity, url


def csrf_client(user=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def state():
    return (
        list(Activity.objects.order_by("pk").values_list("pk", "title", "updated_at")),
        StatusUpdate.objects.count(),
    )


def all_paths(commitment, activity) -> list[str]:
    """One path for every URL pattern of the site (admin aside), its arguments filled in."""
    args = {
        # A strategy's pages under strategier/<slug>/ (priorities/urls.py, STRATEGY_PAGES).
        "strategy": commitment.priority.strategy.slug,
        "slug": commitment.priority.slug,
        "number": commitment.number,
        "pk": activity.pk,
        "year": activity.start_date.year,
        "extension": "svg",
    }
    paths = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if "admin/" in route:
                continue
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(args[m.group(1)]), route)
                paths.append("/" + path.lstrip("^").rstrip("$"))

    with translation.override("nb"):  # bokmål: the unprefixed paths
        walk(get_resolver().url_patterns, "")
    return paths


def test_no_view_is_csrf_exempt():
    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            else:
                yield pattern

    exempt = [str(p.pattern) for p in walk(get_resolver().url_patterns)
              if getattr(p.callback, "csrf_exempt", False)]  # fmt: skip
    assert exempt == []


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_every_post_without_a_token_is_refused(commitment, admin_user, staff_user, htmx):
    # An admin may do everything, so only the missing token can be the reason for the 403.
    activity = make_activity(commitment, staff_user)
    client = csrf_client(admin_user)
    paths = all_paths(commitment, activity)
    assert len(paths) > 20 and f"/aktiviteter/{activity.pk}/slett/" in paths
    before = state()
    for path in paths:
        response = client.post(path, activity_data(), **(HX if htmx else {}))
        # The read-only API refuses the method itself, before CSRF (tests/test_api_contract.py).
        assert response.status_code == (405 if path.startswith("/api/") else 403), path
    assert state() == before
    assert SESSION_KEY in client.session  # not even signed out


# --- The staff workspace's posts: refused without the token, done with it ---------------------


def workspace_posts(commitment, activity):
    """(who, path, data) for each workspace POST."""
    c = commitment
    return {
        "log activity": ("staff", url("priorities:activity_create", c.priority.slug, c.number),
                         activity_data()),
        "edit activity": ("staff", url("priorities:activity_edit", activity.pk),
                          activity_data(version=activity.updated_at.isoformat())),
        "delete activity": ("staff", url("priorities:activity_delete", activity.pk), {}),
        "set status": ("editor", url("priorities:status_create", c.priority.slug, c.number),
                       {"status": "on_track", "assessment": "Godt i gang."}),
    }  # fmt: skip


@pytest.mark.parametrize(
    "action", ["log activity", "edit activity", "delete activity", "set status"]
)
def test_htmx_posts_need_the_token_from_the_page(
    commitment, staff_user, editor_user, action, subtests
):
    activity = make_activity(commitment, staff_user)
    who, path, data = workspace_posts(commitment, activity)[action]
    client = csrf_client({"staff": staff_user, "editor": editor_user}[who])
    page_token(client, commitment.get_absolute_url())  # the page sets the CSRF cookie
    before = state()

    with subtests.test("no token"):
        assert client.post(path, data, **HX).status_code == 403
        assert state() == before
    with subtests.test("a wrong token"):
        wrong = {**HX, "HTTP_X_CSRFTOKEN": "x" * 32}
        assert client.post(path, data, **wrong).status_code == 403
        assert state() == before
    with subtests.test("another session's token"):
        stranger = csrf_client(staff_user)
        other = page_token(stranger, commitment.get_absolute_url())
        client.cookies.pop("csrftoken", None)
        client.get(commitment.get_absolute_url())  # a fresh cookie, not matching `other`
        assert client.post(path, data, **HX, HTTP_X_CSRFTOKEN=other).status_code == 403
        assert state() == before
    with subtests.test("the page's token"):
        token = page_token(client, commitment.get_absolute_url())
        response = client.post(path, data, **HX, HTTP_X_CSRFTOKEN=token)
        assert response.status_code == 200
        assert state() != before


def test_plain_form_posts_need_the_token_field(commitment, staff_user):
    client = csrf_client(staff_user)
    path = url("priorities:activity_create", commitment.priority.slug, commitment.number)
    assert client.post(path, activity_data()).status_code == 403
    assert not Activity.objects.exists()

    form = client.get(path).content.decode()
    token = csrf_token(form)
    response = client.post(path, activity_data(csrfmiddlewaretoken=token))
    assert response.status_code == 303
    assert Activity.objects.count() == 1


def test_import_needs_the_token(strategy, editor_user):
    client = csrf_client(editor_user)
    upload = SimpleUploadedFile("a.csv", b"id;commitment\n")
    assert client.post("/en/import/", {"file": upload}).status_code == 403

    form = client.get("/en/import/").content.decode()
    token = csrf_token(form)
    upload = SimpleUploadedFile("a.csv", b"id;commitment\n")
    response = client.post("/en/import/", {"file": upload, "csrfmiddlewaretoken": token})
    assert response.status_code == 400  # read, and refused for its header: past CSRF


def test_sign_in_needs_the_token(staff_user):
    client = csrf_client()
    assert (
        client.post("/en/accounts/login/", {"username": "staff", "password": PASSWORD}).status_code
        == 403
    )
    assert SESSION_KEY not in client.session

    form = client.get("/en/accounts/login/").content.decode()
    token = csrf_token(form)
    data = {"username": "staff", "password": PASSWORD, "csrfmiddlewaretoken": token}
    assert client.post("/en/accounts/login/", data).status_code == 302
    assert client.session[SESSION_KEY] == str(staff_user.pk)


def test_password_change_needs_the_token(staff_user):
    client = csrf_client(staff_user)
    data = {
        "old_password": PASSWORD,
        "new_password1": "n3w-long-pass!",
        "new_password2": "n3w-long-pass!",
    }
    assert client.post("/en/accounts/password_change/", data).status_code == 403
    staff_user.refresh_from_db()
    assert staff_user.check_password(PASSWORD)


def test_admin_posts_need_the_token(commitment, admin_user, staff_user):
    activity = make_activity(commitment, staff_user)
    client = csrf_client(admin_user)
    response = client.post(f"/en/admin/priorities/activity/{activity.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Activity.objects.filter(pk=activity.pk).exists()


# --- Signing out ------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/nn", "/en"])
def test_sign_out_is_a_post_only(staff_user, prefix):
    client = csrf_client(staff_user)
    assert client.get(f"{prefix}/accounts/logout/").status_code == 405
    assert client.get(f"{prefix}/accounts/logout/", **HX).status_code == 405
    assert SESSION_KEY in client.session


def test_sign_out_needs_the_token(strategy, staff_user):
    # Otherwise any site could sign staff out (login CSRF's cousin).
    client = csrf_client(staff_user)
    assert client.post("/en/accounts/logout/").status_code == 403
    assert SESSION_KEY in client.session

    page = client.get("/en/").content.decode()
    token = csrf_token(page)  # its sign-out form's
    response = client.post("/en/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("htmx", [False, True])
def test_email_settings_need_the_token(staff_user, htmx):
    from accounts.models import Profile

    client = csrf_client(staff_user)
    response = client.post("/accounts/innstillinger/", {"language": "en"}, **(HX if htmx else {}))

    assert response.status_code == 403
    assert not Profile.objects.exists()
