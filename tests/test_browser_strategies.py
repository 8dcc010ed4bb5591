"""Several strategies in Chromium: the list of strategies and an archived strategy's pages,
in three languages at desktop and 360 px, with axe-core and no console errors."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from priorities.models import Activity, Commitment, Strategy
from tests.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [(1280, 900), (360, 740)]
EXAMPLE_FILE = Path(__file__).resolve().parent / "data" / "eksempel-strategi.toml"
EXAMPLE = "eksempel-internasjonal-strategi-2025"


@pytest.fixture
def archived(strategy) -> Strategy:
    """The invented strategy beside the real one, ended yesterday, with an activity."""
    call_command("load_strategy", str(EXAMPLE_FILE), stdout=io.StringIO())
    example = Strategy.objects.get(slug=EXAMPLE)
    Activity.objects.create(
        commitment=Commitment.objects.of_strategy(example).first(),
        title="Oppdiktet nettverksmøte",
        kind=Activity.Kind.MEETING,
        start_date=datetime.date(2025, 3, 4),
    )
    example.ended_on = timezone.localdate() - datetime.timedelta(days=1)
    example.save()
    return example


@pytest.mark.parametrize("prefix, lang", [("", "nb"), ("/nn", "nn"), ("/en", "en")])
def test_the_strategies_list_and_an_archived_strategy_pass_axe(
    live_server, page, console_errors, archived, prefix, lang
):
    notice = {"nb": "Arkivert strategi", "nn": "Arkivert strategi", "en": "Archived strategy"}
    problems = {}
    for path in (
        "/strategier/",
        f"/strategier/{EXAMPLE}/",
        f"/strategier/{EXAMPLE}/prioriteringer/eksempel-regionalt-samarbeid/1/",
    ):
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(live_server.url + prefix + path)
        assert page.locator("html").get_attribute("lang") == lang, path
        assert page.locator("h1").count() == 1, path
        if path != "/strategier/":
            assert page.get_by_role("region", name=notice[lang]).is_visible(), path
        for width, height in WIDTHS:
            page.set_viewport_size({"width": width, "height": height})
            if violations := axe_violations(page):
                problems[(path, width)] = violations
            if width == 360 and page.evaluate(
                "document.documentElement.scrollWidth > window.innerWidth"
            ):
                problems[(path, width)] = "horizontal scroll"
    assert console_errors == []
    assert problems == {}


def test_the_strategies_list_shows_both_as_cards_side_by_side(live_server, page, archived):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/strategier/")
    cards = page.locator(".strategy-card")
    assert cards.count() == 2
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    # One beside the other on a desktop screen, one below the other on a phone.
    assert first["y"] == second["y"] and first["x"] < second["x"]
    page.set_viewport_size({"width": 360, "height": 740})
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert first["y"] < second["y"]
