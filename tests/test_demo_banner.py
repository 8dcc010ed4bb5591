"""While demo data is loaded, every page says so in a banner; without it, no page does.

The pages are those the HTML check crawls (tests/test_valid_html.py: its start pages and the
same-site links from them), as an anonymous visitor and as staff, in bokmål, nynorsk and
English.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from priorities.demo import demo_data_loaded
from priorities.models import Activity, StatusUpdate
from strategy_portal.cache import bump_version
from tests.factories import get_commitment, make_activity, make_status_update
from tests.public_pages import seed
from tests.test_valid_html import OTHER_STRATEGY_FILE, Pages, crawl, language_of, starts

BANNER = 'id="demo-banner-title"'
# demo_data_loaded()'s question: is there any example row?
DEMO_QUERY = re.compile(r'WHERE "priorities_(activity|statusupdate)"\."is_example"')
TITLES = {
    "nb": "Demonstrasjon: eksempeldata",
    "nn": "Demonstrasjon: eksempeldata",
    "en": "Demonstration: example data",
}
SENTENCES = {
    "nb": "Aktivitetene og vurderingene merket «Eksempel» er oppdiktet",
    "nn": "Aktivitetane og vurderingane merkte «Døme» er dikta opp",
    "en": "The activities and assessments marked “Example” are invented",
}


def crawled_pages(tmp_path, content, staff_user) -> list[tuple[str, str, str]]:
    """(persona, address, HTML) of every page the HTML check's crawl reaches."""
    staff = Client()
    staff.force_login(staff_user)
    pages = Pages(tmp_path)
    for persona, client in (("anonymous", Client()), ("staff", staff)):
        crawl(client, persona, starts(persona, content), pages)
    # Not found, which no link leads to, in each language.
    for prefix in ("", "/nn", "/en"):
        pages.save("anonymous", f"{prefix}/finnes-ikke/", Client().get(f"{prefix}/finnes-ikke/"))
    found = []
    for name, about in pages.about.items():
        persona, address = about.split()[:2]
        found.append((persona, address, (tmp_path / name).read_text()))
    return found


@pytest.fixture
def content(strategy, editor_user):
    """Public, internal and one example activity (tests/public_pages.py), and a second
    strategy, whose pages under strategier/<slug>/ the crawl reaches from the list."""
    call_command("load_strategy", str(OTHER_STRATEGY_FILE), stdout=io.StringIO())
    return seed(author=editor_user)


def test_with_demo_data_every_page_has_the_banner(content, staff_user, tmp_path):
    pages = crawled_pages(tmp_path, content, staff_user)
    personas = {persona for persona, _address, _html in pages}
    assert personas == {"anonymous", "staff"}
    assert any("/mitt-arbeid/" in address for _persona, address, _html in pages)
    assert any("/strategier/eksempel-" in address for _persona, address, _html in pages)
    assert len(pages) > 50
    for persona, address, html in pages:
        language = language_of(address)
        assert BANNER in html, f"{persona} {address}: no demo banner"
        assert TITLES[language] in html, f"{persona} {address}: banner not in {language}"
        assert SENTENCES[language] in html, f"{persona} {address}: no sentence in {language}"
        # A landmark with a name, at the top of the page.
        assert 'role="region" aria-labelledby="demo-banner-title"' in html
        assert html.index(BANNER) < html.index('id="main"')


def test_without_demo_data_no_page_has_the_banner(content, staff_user, tmp_path):
    Activity.objects.filter(is_example=True).delete()
    pages = crawled_pages(tmp_path, content, staff_user)
    assert len(pages) > 50
    for persona, address, html in pages:
        assert BANNER not in html, f"{persona} {address}: a demo banner without demo data"
        assert "demo-banner" not in html


def test_an_example_status_update_alone_counts_as_demo_data(strategy, client):
    assert not demo_data_loaded()
    assert BANNER not in client.get("/").text
    make_status_update(get_commitment("3.1"), is_example=True)
    assert demo_data_loaded()
    assert BANNER in client.get("/").text
    StatusUpdate.objects.all().delete()
    assert BANNER not in client.get("/en/").text


def test_the_admin_has_the_banner_too(strategy, admin_client):
    assert BANNER not in admin_client.get("/admin/").text
    make_activity(get_commitment("1.1"), is_example=True)
    page = admin_client.get("/admin/priorities/activity/").text
    assert BANNER in page
    assert TITLES["nb"] in page


def test_the_banner_costs_no_query_once_cached_and_follows_the_content(
    strategy, staff_client, settings, django_capture_on_commit_callbacks
):
    """Staff pages are not cached whole, but the banner is, under the content version: a
    page asks whether demo data is loaded only after the content changed."""
    settings.PAGE_CACHE = True
    # Committed, as a request's writes are before any page is rendered (the strategy's
    # loading is still pending in the test's transaction: nothing would be cached).
    with django_capture_on_commit_callbacks(execute=True):
        make_activity(get_commitment("1.1"), title="Ekte møte")

    def example_queries() -> tuple[int, bool]:
        with CaptureQueriesContext(connection) as queries:
            html = staff_client.get("/mitt-arbeid/").text
        asked = sum(bool(DEMO_QUERY.search(q["sql"])) for q in queries)
        return asked, BANNER in html

    asked, shown = example_queries()
    assert asked >= 1 and not shown
    assert example_queries() == (0, False)
    with django_capture_on_commit_callbacks(execute=True):
        make_activity(get_commitment("1.1"), is_example=True)
    asked, shown = example_queries()
    assert asked >= 1 and shown
    assert example_queries() == (0, True)


def test_anonymous_cached_pages_get_the_banner_when_demo_data_is_loaded(
    strategy, client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE = True
    bump_version()
    client.get("/")
    response = client.get("/")
    assert response["X-Cache"] == "HIT"
    assert BANNER not in response.text
    with django_capture_on_commit_callbacks(execute=True):
        make_activity(get_commitment("1.1"), is_example=True)
    assert BANNER in client.get("/").text
