"""What only a browser shows: the page runs without console errors and passes axe-core."""

import pytest

from tests.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("path", ["/", "/nn/", "/en/"])
def test_home_page_has_no_console_errors_and_no_axe_violations(
    live_server, page, console_errors, strategy, path
):
    page.goto(live_server.url + path)
    assert page.locator("h1").inner_text() in (
        "Internasjonal strategi 2030",
        "International Strategy 2030",
    )
    assert page.evaluate("typeof htmx") == "object"
    assert console_errors == []
    assert axe_violations(page) == []
