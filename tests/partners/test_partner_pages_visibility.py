"""Partner and organisation pages follow the activity visibility rule of the commitment pages:
staff see internal activities too (marked as such), everyone else public ones only."""

import pytest
from django.test import Client

from tests.public_pages import INTERNAL_TITLE, PUBLIC_TITLE, seed

PAGES = ["/en/partnere/kaunas/", "/en/partnere/organisasjoner/cpmr-north-sea-commission/"]


@pytest.fixture
def data(strategy):
    return seed()


def item(html: str, pk: int) -> str:
    start = html.index(f'id="activity-{pk}"')
    return html[start : html.index("</li>", start)]


@pytest.mark.parametrize("path", PAGES)
def test_staff_see_internal_activities_marked_internal(staff_client, data, path):
    response = staff_client.get(path)
    html = response.text
    assert PUBLIC_TITLE in html and INTERNAL_TITLE in html
    assert ">Internal<" in item(html, data["internal"].pk)
    assert ">Internal<" not in item(html, data["public"].pk)
    # The table per commitment counts what the list shows: 1.1 has both activities.
    counts = {row["code"]: row["count"] for row in response.context["summary"]}
    assert counts["1.1"] == 2
    # And the headings say so, rather than "public activities".
    assert "Activities by commitment" in html and "internal ones included" in html


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_do_not_see_internal_activities(client, data, path):
    response = client.get(path)
    assert PUBLIC_TITLE in response.text and INTERNAL_TITLE not in response.text
    counts = {row["code"]: row["count"] for row in response.context["summary"]}
    assert counts["1.1"] == 1
    assert "Public activities by commitment" in response.text


def test_staff_see_the_same_activities_as_on_the_commitment_page(staff_client, data):
    commitment_page = staff_client.get(data["commitment"].get_absolute_url())
    on_commitment = {a.pk for a in commitment_page.context["page_obj"].object_list}
    partner_page = staff_client.get("/partnere/kaunas/")
    on_partner = {
        a.pk
        for a in partner_page.context["page_obj"].object_list
        if a.commitment_id == data["commitment"].pk
    }
    assert on_partner == on_commitment == {data["public"].pk, data["internal"].pk}


def test_partner_list_counts_internal_activities_for_staff_only(staff_client, data):
    # staff_client is the `client` fixture signed in: a client of its own for the anonymous.
    anonymous = {p.slug: p.activity_count for p in Client().get("/partnere/").context["partners"]}
    staff = {p.slug: p.activity_count for p in staff_client.get("/partnere/").context["partners"]}
    assert anonymous["kaunas"] == 2  # the public and the example one
    assert staff["kaunas"] == 3  # and the internal one
