"""Feed readers find the feeds from the pages they carry: each page whose content a feed
carries names it in its <head> as <link rel="alternate" type="application/atom+xml">."""

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from priorities.models import Activity, Commitment

ATOM = "{http://www.w3.org/2005/Atom}"
PREFIXES = pytest.mark.parametrize("prefix", ["", "/nn", "/en"], ids=["nb", "nn", "en"])


class _HeadFeeds(HTMLParser):
    """The Atom feeds a page advertises in its <head>: (href, title) pairs."""

    def __init__(self):
        super().__init__()
        self.in_head = False
        self.feeds: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif tag == "body":
            self.in_head = False
        elif (
            tag == "link"
            and self.in_head
            and "alternate" in (attrs.get("rel") or "").split()
            and attrs.get("type") == "application/atom+xml"
        ):
            self.feeds.append((attrs.get("href"), attrs.get("title")))

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


def advertised_feeds(client, path: str) -> list[tuple[str, str]]:
    response = client.get(path)
    assert response.status_code == 200, path
    parser = _HeadFeeds()
    parser.feed(response.text)
    return parser.feeds


def feed_title(client, href: str) -> str:
    """Fetch the advertised feed: it must be an Atom feed; its title."""
    response = client.get(href)
    assert response.status_code == 200, href
    assert response["Content-Type"].startswith("application/atom+xml"), href
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root.find(f"{ATOM}title").text


@pytest.fixture
def commitment_31(strategy):
    commitment = Commitment.objects.select_related("priority").get(priority__number=3, number=1)
    Activity.objects.create(
        commitment=commitment, title="Prosjektmøte", kind="meeting", start_date="2025-03-01"
    )
    return commitment


@PREFIXES
def test_the_front_page_advertises_the_feed_of_all_activities(client, strategy, prefix):
    feeds = advertised_feeds(client, f"{prefix}/")
    assert [href for href, _ in feeds] == [f"{prefix}/feed/"]
    href, title = feeds[0]
    assert title  # a reader lists the feed by this name
    assert "International Strategy 2030" in feed_title(client, "/en/feed/")


@PREFIXES
def test_a_commitment_page_advertises_its_own_feed(client, commitment_31, prefix):
    page = f"{prefix}/prioriteringer/{commitment_31.priority.slug}/1/"
    feeds = advertised_feeds(client, page)
    assert [href for href, _ in feeds] == [f"{page}feed/"]
    href, title = feeds[0]
    assert "3.1" in title
    assert "3.1" in feed_title(client, href)
    entries = ET.fromstring(client.get(href).content).findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Prosjektmøte"]


def test_the_search_page_still_advertises_the_feed_of_all_activities(client, strategy):
    assert [href for href, _ in advertised_feeds(client, "/en/aktiviteter/")] == ["/en/feed/"]
