"""The whole-page cache for anonymous visitors (strategy_portal/cache.py).

The cache is off in the rest of the suite (tests/conftest.py, page_cache_off): the
`page_cache_on` fixture turns it on. Tests run inside a transaction that never commits, so a
change is wrapped in django_capture_on_commit_callbacks(execute=True), which runs the
on-commit bump as a real commit would.
"""

import datetime
import types

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client
from django.utils import timezone

import strategy_portal.cache
from partners.models import BilateralPartner
from priorities.models import Activity, Priority, Status
from strategy_portal.cache import (
    VERSION_KEY,
    PageCacheMiddleware,
    bump_version,
    page_cache,
)
from tests.factories import make_activity, make_portal_owner
from tests.html_forms import form_data


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE = True
    bump_version()  # start from an empty cache: pages of earlier tests are stale
    return page_cache()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def version() -> int:
    return page_cache().get(VERSION_KEY)


# --- Stored and served ---------------------------------------------------------------------


def test_anonymous_page_is_stored_then_served_without_queries(
    client, commitment, page_cache_on, django_assert_num_queries
):
    url = commitment.get_absolute_url()
    first = client.get(url)
    assert first.status_code == 200
    assert first["X-Cache"] == "MISS"
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    # Headers added around the cache are there on a cached page too.
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Language"):
        assert second[header] == first[header]
    vary = {v.strip().lower() for v in second["Vary"].split(",")}
    assert {"cookie", "hx-request"} <= vary


def test_head_is_answered_from_the_page_a_get_stored(client, strategy, page_cache_on):
    assert client.get("/")["X-Cache"] == "MISS"
    head = client.head("/")
    assert head.status_code == 200
    assert head["X-Cache"] == "HIT"


def test_visitor_with_only_a_csrf_or_language_cookie_gets_the_cached_page(
    client, strategy, page_cache_on
):
    assert client.get("/")["X-Cache"] == "MISS"
    client.cookies["csrftoken"] = "a" * 32
    client.cookies["django_language"] = "en"
    response = client.get("/")
    assert response["X-Cache"] == "HIT"
    assert '<html lang="nb">' in response.text


def test_language_and_query_string_are_separate_pages(client, strategy, page_cache_on):
    for path in ("/", "/nn/", "/en/", "/?a=1"):
        assert client.get(path)["X-Cache"] == "MISS", path
    english = client.get("/en/")
    assert english["X-Cache"] == "HIT"
    assert '<html lang="en">' in english.text
    bokmal = client.get("/")
    assert bokmal["X-Cache"] == "HIT"
    assert '<html lang="nb">' in bokmal.text


def test_htmx_fragment_and_whole_page_are_separate_entries(client, strategy, page_cache_on):
    url = "/aktiviteter/?q=nettverk"
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"}
    page = client.get(url)
    fragment = client.get(url, **htmx)
    assert (page["X-Cache"], fragment["X-Cache"]) == ("MISS", "MISS")
    assert "<html" in page.text
    assert "<html" not in fragment.text

    page_again = client.get(url)
    fragment_again = client.get(url, **htmx)
    assert (page_again["X-Cache"], fragment_again["X-Cache"]) == ("HIT", "HIT")
    assert page_again.content == page.content
    assert fragment_again.content == fragment.content
    # A history restore asks for the whole page, with HX-Request set.
    restore = client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert restore["X-Cache"] == "MISS"
    assert "<html" in restore.text


def test_a_new_day_is_a_new_page(client, strategy, page_cache_on, monkeypatch):
    # Pages say "today" and "3 months ago"; the day is part of the key.
    assert client.get("/")["X-Cache"] == "MISS"
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    # Tomorrow for the cache's key only: the views and Django keep the real date. (Patching
    # "strategy_portal.cache.timezone.localdate" would patch django.utils.timezone itself.)
    cache_clock = types.SimpleNamespace(**vars(timezone) | {"localdate": lambda: tomorrow})
    monkeypatch.setattr(strategy_portal.cache, "timezone", cache_clock)
    assert client.get("/")["X-Cache"] == "MISS"
    monkeypatch.undo()
    assert client.get("/")["X-Cache"] == "HIT"  # and today's page is still today's


# --- Served early: before the session, language, CSRF and user middleware ------------------

SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Content-Language",
    "Content-Type",
    "Vary",
)


@pytest.mark.parametrize("path", ["/", "/en/", "/aktiviteter/?q=Kaunas", "/partnere/kaunas/"])
def test_a_hit_carries_the_same_headers_as_the_miss_that_stored_it(
    client, strategy, page_cache_on, path
):
    miss = client.get(path)
    hit = client.get(path)
    assert (miss["X-Cache"], hit["X-Cache"]) == ("MISS", "HIT")
    for header in SECURITY_HEADERS:
        assert header in miss, header
    headers = {name: value for name, value in miss.items() if name != "X-Cache"}
    assert {name: value for name, value in hit.items() if name != "X-Cache"} == headers
    assert hit.content == miss.content


def test_a_request_with_a_session_cookie_never_gets_nor_fills_a_cached_page(
    client, strategy, page_cache_on, settings
):
    # No session behind the cookie: the visitor is anonymous, but only the session
    # middleware could tell, and a cached page is served before it runs.
    with_cookie = Client()
    with_cookie.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    response = with_cookie.get("/")
    assert response.status_code == 200
    assert "X-Cache" not in response
    assert client.get("/")["X-Cache"] == "MISS"
    assert client.get("/")["X-Cache"] == "HIT"
    assert "X-Cache" not in with_cookie.get("/")


def test_the_language_of_a_cached_page_is_the_paths(client, strategy, page_cache_on, settings):
    pages = (("/", "nb"), ("/nn/", "nn"), ("/en/", "en"))
    for path, _language in pages:
        assert client.get(path)["X-Cache"] == "MISS"
    # Neither the language cookie nor Accept-Language choose the language: the path does.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for path, language in pages:
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
        assert response["X-Cache"] == "HIT"
        assert response["Content-Language"] == language
        assert f'<html lang="{language}">' in response.text


def test_cached_pages_are_logged_as_every_request_is(client, strategy, page_cache_on, caplog):
    with caplog.at_level("INFO", logger="strategy_portal.request"):
        client.get("/en/")
        client.get("/en/")
    logged = [r for r in caplog.records if r.name == "strategy_portal.request"]
    assert [(r.path, r.status, r.user_id) for r in logged] == [("/en/", 200, None)] * 2


# --- Never for signed-in users -------------------------------------------------------------


def test_staff_never_fill_the_cache_nor_get_a_cached_page(
    client, commitment, staff_user, page_cache_on
):
    url = commitment.get_absolute_url()
    staff = signed_in(staff_user)
    staff_page = staff.get(url)
    assert staff_page.status_code == 200
    assert "X-Cache" not in staff_page
    # The anonymous visitor after them renders afresh: staff filled nothing.
    assert client.get(url)["X-Cache"] == "MISS"
    assert client.get(url)["X-Cache"] == "HIT"
    # And staff do not get the anonymous page now that it is cached.
    again = staff.get(url)
    assert "X-Cache" not in again
    assert "X-CSRFToken" in again.text
    assert "X-CSRFToken" not in client.get(url).text


def test_two_staff_users_never_see_each_others_pages(
    staff_user, other_staff_user, commitment, page_cache_on
):
    make_activity(
        commitment, title="Logget av første saksbehandler", days_ago=0, created_by=staff_user
    )
    make_activity(
        commitment, title="Logget av andre saksbehandler", days_ago=0, created_by=other_staff_user
    )
    first, second = signed_in(staff_user), signed_in(other_staff_user)
    for _ in range(2):
        mine = first.get("/mitt-arbeid/")
        theirs = second.get("/mitt-arbeid/")
        assert "X-Cache" not in mine and "X-Cache" not in theirs
        assert "Logget av første saksbehandler" in mine.text
        assert "Logget av andre saksbehandler" not in mine.text
        assert "Logget av andre saksbehandler" in theirs.text
        assert "Logget av første saksbehandler" not in theirs.text


def test_admin_and_sign_in_pages_are_never_stored(client, admin_user, strategy, page_cache_on):
    for path in ("/accounts/login/", "/en/accounts/login/"):
        response = client.get(path)
        assert response.status_code == 200
        assert "X-Cache" not in response
    admin = signed_in(admin_user)
    assert "X-Cache" not in admin.get("/admin/")
    assert "X-Cache" not in client.get("/admin/login/")


# --- Internal activities -------------------------------------------------------------------


def test_internal_activities_never_end_up_in_a_cached_anonymous_page(
    client, commitment, staff_user, page_cache_on
):
    make_activity(commitment, title="Offentlig møte i Kaunas", days_ago=0)
    make_activity(commitment, title="Internt forberedende møte", days_ago=0, is_public=False)
    url = commitment.get_absolute_url()
    # Staff first: their page lists the internal activity, and must not be what's stored.
    assert "Internt forberedende møte" in signed_in(staff_user).get(url).text
    for expected in ("MISS", "HIT"):
        response = client.get(url)
        assert response["X-Cache"] == expected
        assert "Offentlig møte i Kaunas" in response.text
        assert "Internt forberedende møte" not in response.text


def test_an_activity_made_internal_leaves_the_cached_pages(
    client, commitment, page_cache_on, django_capture_on_commit_callbacks
):
    activity = make_activity(commitment, title="Snart internt møte", days_ago=0)
    url = commitment.get_absolute_url()
    assert "Snart internt møte" in client.get(url).text
    assert client.get(url)["X-Cache"] == "HIT"
    # A bulk update sends no model signal; the cache sees the write anyway.
    with django_capture_on_commit_callbacks(execute=True):
        Activity.objects.filter(pk=activity.pk).update(is_public=False)
    response = client.get(url)
    assert response["X-Cache"] == "MISS"
    assert "Snart internt møte" not in response.text


# --- A change through each path shows on the next request -----------------------------------


def cached(client, url: str) -> str:
    """Fetch `url` until it comes from the cache; return the page."""
    client.get(url)
    response = client.get(url)
    assert response["X-Cache"] == "HIT"
    return response.text


def test_activity_logged_through_the_htmx_view_shows_on_the_next_request(
    client, commitment, staff_user, page_cache_on, django_capture_on_commit_callbacks
):
    url = commitment.get_absolute_url()
    assert "Logget med htmx" not in cached(client, url)
    staff = signed_in(staff_user)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = staff.post(
            f"{url}aktiviteter/ny/",
            {
                "title": "Logget med htmx",
                "kind": "meeting",
                "start_date": timezone.localdate().isoformat(),
                "is_public": "on",
            },
            HTTP_HX_REQUEST="true",
        )
    assert response.status_code == 200, response.text[:500]
    assert callbacks, "the write registered the on-commit bump"
    after = client.get(url)
    assert after["X-Cache"] == "MISS"
    assert "Logget med htmx" in after.text


def test_status_set_as_the_views_do_shows_on_the_next_request(
    client, commitment, editor_user, page_cache_on, django_capture_on_commit_callbacks
):
    url = commitment.get_absolute_url()
    assert "Vurdering etter møtet i Brussel" not in cached(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        commitment.set_status(
            status=Status.NEEDS_ATTENTION,
            assessment="Vurdering etter møtet i Brussel",
            author=editor_user,
        )
    after = client.get(url)
    assert after["X-Cache"] == "MISS"
    assert "Vurdering etter møtet i Brussel" in after.text


def test_strategy_text_changed_through_the_model_shows_on_the_next_request(
    client, strategy, page_cache_on, django_capture_on_commit_callbacks
):
    assert "Medlemskap og nettverk" not in cached(client, "/")
    priority = Priority.objects.get(number=1)
    with django_capture_on_commit_callbacks(execute=True):
        priority.title_nb = "Medlemskap og nettverk"
        priority.save()
    assert "Medlemskap og nettverk" in client.get("/").text


def test_admin_action_shows_on_the_next_request(
    client, commitment, admin_user, page_cache_on, django_capture_on_commit_callbacks
):
    activity = make_activity(commitment, title="Skjules av administrator", days_ago=0)
    url = commitment.get_absolute_url()
    assert "Skjules av administrator" in cached(client, url)
    admin = signed_in(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            "/admin/priorities/activity/",
            {"action": "make_internal", "_selected_action": [activity.pk]},
        )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.is_public is False
    after = client.get(url)
    assert after["X-Cache"] == "MISS"
    assert "Skjules av administrator" not in after.text


def test_partner_changed_in_admin_shows_on_the_next_request(
    client, strategy, admin_user, page_cache_on, django_capture_on_commit_callbacks
):
    partner = BilateralPartner.objects.get(slug="kaunas")
    url = partner.get_absolute_url()
    assert "Kauno regionas" not in cached(client, url)
    admin = signed_in(admin_user)
    form = admin.get(f"/admin/partners/bilateralpartner/{partner.pk}/change/")
    data = form_data(form.text, "bilateralpartner_form")
    data["name_nb"] = "Kauno regionas"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(f"/admin/partners/bilateralpartner/{partner.pk}/change/", data)
    assert response.status_code == 302, response.text[:2000]
    after = client.get(url)
    assert after["X-Cache"] == "MISS"
    assert "Kauno regionas" in after.text


def test_owner_changed_shows_on_the_next_request(
    client, strategy, page_cache_on, django_capture_on_commit_callbacks
):
    # Every page names the county that runs the portal (counties.PortalOwner).
    with django_capture_on_commit_callbacks(execute=True):
        owner = make_portal_owner()
    assert "Eksempelfylket County Authority" in cached(client, "/en/")
    with django_capture_on_commit_callbacks(execute=True):
        owner.county.name_en = "Telemark County Authority"
        owner.county.save()
    response = client.get("/en/")
    assert response["X-Cache"] != "HIT"
    assert "Telemark County Authority" in response.text


def test_import_shows_on_the_next_request(
    client, commitment, editor_user, page_cache_on, django_capture_on_commit_callbacks
):
    from priorities import exchange
    from priorities.imports import IMPORT_SESSION_KEY

    activity = make_activity(commitment, title="Før importen", days_ago=0)
    url = commitment.get_absolute_url()
    assert "Før importen" in cached(client, url)
    sheet = exchange.csv_bytes([activity]).decode().replace("Før importen", "Etter importen")
    editor = signed_in(editor_user)
    dry_run = editor.post(
        "/import/", {"file": SimpleUploadedFile("aktiviteter.csv", sheet.encode())}
    )
    assert dry_run.status_code == 200, dry_run.text[:2000]
    digest = editor.session[IMPORT_SESSION_KEY]["digest"]
    with django_capture_on_commit_callbacks(execute=True):
        done = editor.post("/import/", {"action": "confirm", "digest": digest})
    assert done.status_code in (200, 303, 302)
    after = client.get(url)
    assert after["X-Cache"] == "MISS"
    assert "Etter importen" in after.text
    assert "Før importen" not in after.text


def test_bulk_import_in_one_transaction_bumps_the_version_once(
    commitment, page_cache_on, django_capture_on_commit_callbacks
):
    before = version()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for i in range(20):
            make_activity(commitment, title=f"Importert aktivitet {i}", days_ago=0)
        Activity.objects.filter(title__startswith="Importert").update(place="Skien")
    assert version() == before + 1


def test_rolled_back_change_leaves_the_pages_and_the_next_change_bumps(
    commitment, page_cache_on, django_capture_on_commit_callbacks
):
    before = version()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        make_activity(commitment, title="Aldri lagret", days_ago=0)
        raise RuntimeError("rolled back")
    assert version() == before
    with django_capture_on_commit_callbacks(execute=True):
        make_activity(commitment, title="Lagret", days_ago=0)
    assert version() == before + 1


def test_writes_outside_the_content_do_not_make_pages_stale(
    client, strategy, staff_user, page_cache_on, django_capture_on_commit_callbacks
):
    before = version()
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(staff_user)  # a login writes the session and the user's last_login
        SessionStore().create()
    assert version() == before
    assert client.get("/")["X-Cache"] == "MISS"
    assert client.get("/")["X-Cache"] == "HIT"


def test_version_missing_from_the_cache_starts_above_any_used_before(db, page_cache_on):
    before = version()
    page_cache().delete(VERSION_KEY)
    bump_version()
    assert version() > before


# --- What is never stored: the middleware on its own ----------------------------------------


def run_middleware(rf, view, path="/", method="get", **headers):
    request = getattr(rf, method)(path, headers=headers)
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = default_storage(request)
    return PageCacheMiddleware(view)(request)


def page(request):
    return HttpResponse("<p>side</p>")


def with_csrf_token(request):
    return HttpResponse(f"<input value='{get_token(request)}'>")


def setting_a_cookie(request):
    response = page(request)
    response.set_cookie("seen", "1")
    return response


def private(request):
    response = page(request)
    response["Cache-Control"] = "private, max-age=60"
    return response


def no_store(request):
    response = page(request)
    response["Cache-Control"] = "no-store"
    return response


def varying_on_accept(request):
    response = page(request)
    response["Vary"] = "Accept"
    return response


def adding_a_message(request):
    messages.success(request, "Lagret.")
    return page(request)


def showing_a_message(request):
    request._messages.add(messages.INFO, "Velkommen tilbake.")
    request._messages.added_new = False  # as if it came with the request
    return HttpResponse("".join(str(m) for m in messages.get_messages(request)))


def not_found(request):
    return HttpResponse("nope", status=404)


def writing_the_session(request):
    request.session["seen"] = True
    return page(request)


@pytest.mark.parametrize(
    "view",
    [
        with_csrf_token,
        setting_a_cookie,
        private,
        no_store,
        varying_on_accept,
        not_found,
        writing_the_session,
        adding_a_message,
        showing_a_message,
    ],
)
def test_responses_that_belong_to_one_visitor_are_never_stored(db, rf, page_cache_on, view):
    for _ in range(2):
        assert "X-Cache" not in run_middleware(rf, view)


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("post", "/", {}),
        ("get", "/admin/", {}),
        ("get", "/nn/admin/priorities/", {}),
        ("get", "/accounts/login/", {}),
        ("get", "/en/accounts/logout/", {}),
        ("get", "/", {"Authorization": "Bearer abc"}),
        ("get", "/", {"Cookie": "messages=abc"}),
        ("get", "/", {"Cookie": "sessionid=abc"}),
    ],
)
def test_requests_that_are_never_served_from_the_cache(
    db, rf, page_cache_on, method, path, headers
):
    for _ in range(2):
        assert "X-Cache" not in run_middleware(rf, page, path, method, **headers)


def test_plain_public_page_is_stored(db, rf, page_cache_on):
    assert run_middleware(rf, page)["X-Cache"] == "MISS"
    assert run_middleware(rf, page)["X-Cache"] == "HIT"


def rendered_in_english(request):
    request.LANGUAGE_CODE = "en"  # as LocaleMiddleware records what it activated
    return page(request)


def test_a_page_in_another_language_than_the_paths_is_not_stored(db, rf, page_cache_on):
    for _ in range(2):
        assert "X-Cache" not in run_middleware(rf, rendered_in_english, "/")
    assert run_middleware(rf, rendered_in_english, "/en/")["X-Cache"] == "MISS"


def test_page_cache_off_stores_nothing(db, rf, page_cache_on, settings):
    settings.PAGE_CACHE = False
    for _ in range(2):
        assert "X-Cache" not in run_middleware(rf, page)


# --- Submitting an admin form as a browser would ------------------------------------------
