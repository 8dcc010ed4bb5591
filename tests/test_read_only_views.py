"""A view that only shows something refuses a POST with 405, whoever asks (require_safe).

Every URL of the URLconf is tried, so a new read-only view without the decorator fails here;
views that take a POST are listed in WRITE_VIEWS. The clients check CSRF as a browser's
requests are checked, and send a valid token: the 405 is the view's answer, not CSRF's.
"""

import io
import itertools
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation

from counties.models import County
from priorities.models import Activity, Commitment
from priorities.urls import STRATEGY_PAGES
from tests.factories import make_measure, make_project, make_user
from tests.reporting.helpers import approve_all, entry_of, open_round

# URL names of the views that take a POST: forms, sign-in and sign-out, the import.
WRITE_VIEWS = {
    "login",
    "logout",
    "password_change",
    "preferences",
    "priorities:import",
    "priorities:activity_create",
    "priorities:activity_edit",
    "priorities:activity_delete",
    "priorities:status_create",
    "planning:measure_create",
    "planning:measure_edit",
    "planning:measure_state",
    "reporting:round_create",
    "reporting:entry",
    "reporting:entry_review",
    "reporting:round_report",
    "projects:create",
    "projects:edit",
}
# The county sign-in (accounts/) answers 404 until a provider is configured; with one it
# redirects to the provider (tests/accounts/ go through it against a real one).
PROVIDER_VIEWS = {"oidc_login", "oidc_callback"}
# Django's admin has its own forms and permissions (tests/test_admin_access.py).
SKIPPED_NAMESPACES = {"admin"}
TOKEN = "a" * 32  # any well-formed CSRF secret; the cookie and the header agree
# A second strategy, whose pages live under strategier/<slug>/ (priorities/urls.py).
EXAMPLE_FILE = Path(__file__).resolve().parent / "data" / "eksempel-strategi.toml"
OTHER_STRATEGY = " (strategier/)"


def url_names() -> list[str]:
    """Every named URL pattern, namespaced: "priorities:report"."""
    names = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if inner not in SKIPPED_NAMESPACES:
                    walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"unnamed URL pattern {pattern.pattern}"
                names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None)
    return names


@pytest.fixture
def paths(strategy) -> dict[str, str]:
    """{name: bokmål path} of every read-only view, its arguments those of real objects."""
    commitment = Commitment.objects.select_related("priority").first()
    activity = Activity.objects.create(
        commitment=commitment, title="Møte", kind="meeting", start_date=timezone.localdate()
    )
    # A county with a logo, for the logo's address.
    county = County.objects.get(slug="vestfold")
    county.set_logo(b'<svg xmlns="http://www.w3.org/2000/svg"/>', County.LogoType.SVG)
    county.save()
    # Views of another kind of object than the activity take its own id.
    # This year's round, approved as the yearly report: the Årsrapport and its PDF exist.
    the_round = approve_all(open_round(), make_user("redaktor", "Redaktør"))
    entry = entry_of(the_round, commitment.code)
    pks = {
        "planning:measure_history": make_measure(commitment).pk,
        "reporting:entry_history": entry.pk,
    }
    slugs = {
        "partners:partner": "kaunas",
        "partners:organisation": "errin",
        "partners:partner_brief": "kaunas",
        "partners:partner_brief_pdf": "kaunas",
        "partners:organisation_brief": "errin",
        "partners:organisation_brief_pdf": "errin",
        "counties:logo": "vestfold",
        "projects:project": make_project().slug,
    }
    values = {
        "number": commitment.number,
        "pk": activity.pk,
        "year": activity.start_date.year,
        "extension": "svg",
    }
    found = {}
    with translation.override("nb"):
        for name in url_names():
            if name not in WRITE_VIEWS:
                slug = slugs.get(name, commitment.priority.slug)
                pk = pks.get(name, activity.pk)
                found[name] = _reverse(name, {**values, "slug": slug, "pk": pk})
    # The same pages of another strategy than the current one, at their own addresses.
    call_command("load_strategy", str(EXAMPLE_FILE), stdout=io.StringIO())
    other = Commitment.objects.exclude(priority__strategy=commitment.priority.strategy).first()
    other_values = {**values, "slug": other.priority.slug, "number": other.number}
    with translation.override("nb"):
        for pattern in STRATEGY_PAGES:
            name = f"priorities:{pattern.name}"
            strategy = {"strategy": other.priority.strategy.slug}
            found[name + OTHER_STRATEGY] = _reverse(name, other_values, required=strategy)
    return found


def _reverse(name: str, values: dict, required: dict | None = None) -> str:
    """reverse() with `required` and those of `values` the route takes."""
    required = required or {}
    for size in range(len(values) + 1):
        for keys in itertools.combinations(values, size):
            try:
                return reverse(name, kwargs={**required, **{key: values[key] for key in keys}})
            except NoReverseMatch:
                continue
    raise AssertionError(f"cannot reverse {name} with {values}")


def csrf_client(user=None) -> Client:
    client = Client(enforce_csrf_checks=True, HTTP_X_CSRFTOKEN=TOKEN)
    client.cookies["csrftoken"] = TOKEN
    if user is not None:
        client.force_login(user)
    return client


def test_the_token_gets_a_post_past_csrf(staff_user):
    # The control: with this client a write view does its work (signs out), so a 405 below
    # comes from the view and not from a refused token.
    client = csrf_client(staff_user)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_write_views_listed_exist_and_everything_else_is_tried(paths):
    assert {name.removesuffix(OTHER_STRATEGY) for name in paths} | WRITE_VIEWS == set(url_names())
    assert paths["priorities:report" + OTHER_STRATEGY].startswith("/strategier/eksempel-")
    # The list is the whole site: pages, downloads, feeds and the API.
    assert {
        "priorities:overview",
        "priorities:report_csv",
        "priorities:feed",
        "api:activities",
        "planning:plan",
        "planning:measure_history",
    } <= (set(paths))


@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_read_only_views_refuse_a_post_with_405(paths, staff_user, who, subtests):
    client = csrf_client(staff_user if who == "staff" else None)
    for name, path in paths.items():
        with subtests.test(name, path=path):
            response = client.post(path, {"title": "x"})
            assert response.status_code == 405, (name, path, response.status_code)
            allowed = {method.strip() for method in response["Allow"].split(",")}
            assert {"GET", "HEAD"} <= allowed and "POST" not in allowed, response["Allow"]


@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_read_only_views_still_answer_get_and_head(paths, staff_user, who, subtests):
    client = csrf_client(staff_user if who == "staff" else None)
    for name, path in paths.items():
        with subtests.test(name, path=path):
            for method in (client.get, client.head):
                response = method(path)
                # Anonymous visitors are sent to sign in for the staff pages.
                expected = {200} if who == "staff" else {200, 302}
                if name in PROVIDER_VIEWS:
                    expected = {404}
                assert response.status_code in expected, (name, path, response.status_code)
