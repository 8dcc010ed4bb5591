"""The partner map in Chromium: no axe violations at desktop and phone width in every
language, nothing fetched from outside the portal, and the same map without JavaScript."""

import pytest

from tests.conftest import layout_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def places(strategy):
    """The real places of the strategy's partners and arenas (load_strategy)."""


@pytest.mark.parametrize("prefix, lang", [("", "nb"), ("/nn", "nn"), ("/en", "en")])
def test_partner_map_passes_axe_at_both_widths_and_fetches_only_from_the_portal(
    live_server, page, console_errors, places, prefix, lang
):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(live_server.url + prefix + "/partnere/kart/")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator(".partner-map__marker").count() == 5
    assert page.locator(".map-list__item").count() == 5

    assert layout_problems(page) == {}
    assert console_errors == []
    assert all(url.startswith(live_server.url) for url in requests), requests
    assert any(url.endswith("/static/map/world.svg") for url in requests)


def test_partner_map_is_drawn_without_javascript_and_scales_to_a_phone(
    live_server, browser, places
):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    outlines = []
    page.on(
        "response",
        lambda response: (
            outlines.append(response.status) if "/static/map/" in response.url else None
        ),
    )
    page.goto(live_server.url + "/en/partnere/kart/")
    assert outlines == [200, 200]  # world.svg and europe.svg, from the portal
    world = page.locator(".partner-map--world svg").bounding_box()
    assert 300 <= world["width"] <= 360 and world["height"] > 100
    # The markers stand inside the drawn map, scaled with it.
    marker = page.locator(".partner-map--europe .partner-map__marker circle").first.bounding_box()
    europe = page.locator(".partner-map--europe svg").bounding_box()
    assert europe["x"] <= marker["x"] <= europe["x"] + europe["width"]
    assert europe["y"] <= marker["y"] <= europe["y"] + europe["height"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()
