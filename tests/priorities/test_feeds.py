import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from priorities.feeds import FEED_SIZE
from priorities.models import Activity
from tests.factories import make_activity

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response) -> list[ET.Element]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


def titles(response) -> list[str]:
    return [entry.find(f"{ATOM}title").text for entry in entries(response)]


def test_feed_lists_new_public_activities_newest_first(client, commitments):
    now = timezone.now()
    make_activity(commitments["1.1"], title="Eldre", created_at=now - datetime.timedelta(days=2))
    make_activity(commitments["3.1"], title="Nyere", created_at=now - datetime.timedelta(days=1))
    make_activity(commitments["3.1"], title="Intern", is_public=False, created_at=now)
    response = client.get("/en/feed/")
    assert titles(response) == ["Nyere", "Eldre"]
    root = ET.fromstring(response.content)
    assert "International Strategy 2030" in root.find(f"{ATOM}title").text
    link = entries(response)[0].find(f"{ATOM}link").get("href")
    assert link.startswith("http://testserver/en/aktiviteter/")


def test_feed_is_public_only_even_for_a_signed_in_editor(editor_client, commitments):
    make_activity(commitments["1.1"], title="Åpen")
    make_activity(commitments["1.1"], title="Intern", is_public=False)
    assert titles(editor_client.get("/feed/")) == ["Åpen"]


def test_feed_per_commitment_has_only_its_activities(client, commitments):
    make_activity(commitments["3.1"], title="Prosjekt 3.1")
    make_activity(commitments["3.2"], title="Prosjekt 3.2")
    make_activity(commitments["3.1"], title="Intern 3.1", is_public=False)
    response = client.get("/prioriteringer/prosjektarbeid/1/feed/")
    assert titles(response) == ["Prosjekt 3.1"]
    assert "3.1" in ET.fromstring(response.content).find(f"{ATOM}title").text


@pytest.mark.parametrize(
    "path", ["/prioriteringer/prosjektarbeid/9/feed/", "/prioriteringer/nope/1/feed/"]
)
def test_feed_for_an_unknown_commitment_is_404(client, commitments, path):
    assert client.get(path).status_code == 404


def test_feed_escapes_the_text_it_carries(client, commitments):
    make_activity(
        commitments["1.1"],
        title="<b>Fet</b> tittel",
        description="<script>alert(1)</script>\nAndre linje",
        outcome="Et resultat & mer",
    )
    entry = entries(client.get("/en/feed/"))[0]
    assert entry.find(f"{ATOM}title").text == "<b>Fet</b> tittel"  # plain text in Atom
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    # The HTML summary holds the text escaped, so a reader shows it and never runs it.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in summary.text
    assert "<script>" not in summary.text
    assert "Et resultat &amp; mer" in summary.text


def test_feed_is_bounded(client, commitments):
    Activity.objects.bulk_create(
        Activity(
            commitment=commitments["4.2"],
            title=f"Møte {i}",
            kind="meeting",
            start_date=datetime.date(2025, 1, 1),
        )
        for i in range(FEED_SIZE + 5)
    )
    assert len(entries(client.get("/feed/"))) == FEED_SIZE
