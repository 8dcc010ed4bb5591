"""Every public page in Chromium: three languages, desktop and 360 px, axe-core and console."""

import pytest
from django.template.loader import render_to_string

from priorities.demo import example_activities
from priorities.models import Activity, Commitment, Status
from tests.conftest import axe_violations
from tests.public_pages import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [(1280, 900), (360, 740)]


@pytest.fixture
def public_paths(strategy):
    example_activities(60)
    data = seed()
    for commitment in Commitment.objects.exclude(pk=data["commitment"].pk)[:4]:
        commitment.set_status(status=Status.ON_TRACK, assessment="Eksempel.", author=None)
    year = data["public"].start_date.year
    return [
        "/",
        "/prioriteringer/medlemsorganisasjoner/",
        "/prioriteringer/medlemsorganisasjoner/1/",
        f"/prioriteringer/medlemsorganisasjoner/1/?year={year}",
        f"/aktiviteter/{data['public'].pk}/",
        f"/aktiviteter/{data['example'].pk}/",
        "/partnere/",
        "/partnere/kaunas/",
        "/partnere/organisasjoner/osloregionens-europakontor/",
        "/partnere/organisasjoner/errin/",
        "/tilgjengelighetserklaering/",
    ]


@pytest.mark.parametrize("prefix, lang", [("", "nb"), ("/nn", "nn"), ("/en", "en")])
def test_every_public_page_passes_axe_at_desktop_and_phone_width(
    live_server, page, console_errors, public_paths, prefix, lang
):
    problems = {}
    for path in public_paths:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(live_server.url + prefix + path)
        assert page.locator("html").get_attribute("lang") == lang, path
        assert page.locator("h1").count() == 1, path
        for width, height in WIDTHS:
            page.set_viewport_size({"width": width, "height": height})
            if violations := axe_violations(page):
                problems[(path, width)] = violations
            # Responsive: nothing forces sideways scrolling on a 360 px phone.
            if width == 360 and page.evaluate(
                "document.documentElement.scrollWidth > window.innerWidth"
            ):
                problems[(path, width)] = "horizontal scroll"
    assert console_errors == []
    assert problems == {}


def test_the_404_page_passes_axe(live_server, page, public_paths):
    for prefix in ("", "/en"):
        response = page.goto(live_server.url + prefix + "/partnere/finnes-ikke/")
        assert response.status == 404
        assert page.locator("h1").count() == 1
        for width, height in WIDTHS:
            page.set_viewport_size({"width": width, "height": height})
            assert axe_violations(page) == []


@pytest.mark.parametrize("template", ["400.html", "500.html", "503.html"])
def test_the_error_pages_pass_axe(live_server, page, console_errors, db, template):
    # Django renders these without a request (no context processors): served here as the
    # handler renders them, at an address of the live server so the stylesheet loads.
    html = render_to_string(template)
    address = f"{live_server.url}/error-page-{template}"
    page.route(address, lambda route: route.fulfill(body=html, content_type="text/html"))
    page.goto(address)
    assert page.locator("h1").count() == 1
    assert page.locator("html").get_attribute("lang") == "nb"
    assert {"nn", "en"} <= set(page.locator("[lang]").evaluate_all("e => e.map(x => x.lang)"))
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        assert axe_violations(page) == []
    assert console_errors == []


def test_keyboard_reaches_main_content_through_the_skip_link(live_server, page, public_paths):
    page.goto(live_server.url + "/en/prioriteringer/medlemsorganisasjoner/1/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    # The next stop is the first link inside main: the breadcrumb.
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_year_filter_works_as_a_plain_link(live_server, page, console_errors, public_paths):
    page.goto(live_server.url + "/en/prioriteringer/medlemsorganisasjoner/1/")
    year_link = page.locator(".year-filter a").nth(1)
    year = year_link.inner_text().split()[0]
    year_link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/prioriteringer/medlemsorganisasjoner/1/?year={year}")
    assert page.locator(".year-filter a[aria-current=page]").inner_text().startswith(year)
    headings = page.locator("#activity-list h3.year-heading").all_inner_texts()
    assert headings == [year]
    shown = Activity.objects.public().filter(
        commitment__priority__number=1, commitment__number=1, start_date__year=int(year)
    )
    assert page.locator("#activity-list .activity-item").count() == shown.count()
    assert console_errors == []
