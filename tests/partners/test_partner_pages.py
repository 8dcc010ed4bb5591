import pytest

from partners.models import BilateralPartner, Organisation
from partners.views import PAGE_SIZE
from tests.factories import get_commitment, make_activity
from tests.public_pages import (
    EXAMPLE_TITLE,
    INTERNAL_TITLE,
    PUBLIC_TITLE,
    seed,
)

LANGS = [("", "nb"), ("/nn", "nn"), ("/en", "en")]


@pytest.fixture
def data(strategy):
    return seed()


@pytest.mark.parametrize("prefix, lang", LANGS)
def test_list_shows_every_partner_and_organisation_with_public_counts(client, data, prefix, lang):
    response = client.get(prefix + "/partnere/")
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.text
    for partner in BilateralPartner.objects.all():
        assert f'href="{prefix}/partnere/{partner.slug}/"' in response.text
    for organisation in Organisation.objects.all():
        assert f'href="{prefix}/partnere/organisasjoner/{organisation.slug}/"' in response.text
    counts = {p.slug: p.activity_count for p in response.context["partners"]}
    assert counts["kaunas"] == 2  # the public and the example one; not the internal one
    counts = {o.slug: o.activity_count for o in response.context["organisations"]}
    assert counts["cpmr-north-sea-commission"] == 1


def test_list_in_english_says_how_each_membership_works(client, data):
    html = client.get("/en/partnere/").text
    assert "Bilateral partners" in html and "Organisations and arenas" in html
    assert "Lithuania" in html
    assert "Indirect, through Osloregionens Europakontor" in html  # ERRIN & co.
    assert "Direct" in html


@pytest.mark.parametrize("prefix, lang", LANGS)
def test_partner_page_shows_facts_and_public_activities_by_commitment(client, data, prefix, lang):
    response = client.get(prefix + "/partnere/kaunas/")
    assert response.status_code == 200
    html = response.text
    assert f'<html lang="{lang}">' in html
    kaunas = data["kaunas"]
    assert getattr(kaunas, f"themes_{lang}") in html
    assert "1991" in html
    assert PUBLIC_TITLE in html and EXAMPLE_TITLE in html
    assert INTERNAL_TITLE not in html
    # The partner × commitment table: 1.1 and 2.1, one public activity each.
    assert [(row["code"], row["count"]) for row in response.context["summary"]] == [
        ("1.1", 1),
        ("2.1", 1),
    ]
    assert f'href="{prefix}/prioriteringer/bilaterale-avtaler/1/"' in html


def test_partner_page_in_english_names_country_and_coordination(client, data):
    html = client.get("/en/partnere/schleswig-holstein/").text
    assert "Germany" in html and "Coordinated through" in html
    assert 'href="/en/partnere/organisasjoner/ostlandssamarbeidet/"' in html
    assert "No public activities involve it yet." in html


def test_partner_page_marks_example_activities(client, data):
    html = client.get("/en/partnere/kaunas/").text
    item = html[html.index(f'id="activity-{data["example"].pk}"') :]
    assert ">Example<" in item[: item.index("</li>")]


@pytest.mark.parametrize("prefix, lang", LANGS)
def test_organisation_page_shows_membership_and_public_activities(client, data, prefix, lang):
    response = client.get(prefix + "/partnere/organisasjoner/cpmr-north-sea-commission/")
    assert response.status_code == 200
    html = response.text
    assert f'<html lang="{lang}">' in html
    nsc = data["nsc"]
    assert getattr(nsc, f"seats_and_role_{lang}") in html
    assert getattr(nsc, f"purpose_{lang}").replace("'", "&#x27;") in html
    assert PUBLIC_TITLE in html and INTERNAL_TITLE not in html
    assert response.context["total"] == 1


def test_indirect_organisation_links_the_one_it_goes_through(client, data):
    html = client.get("/en/partnere/organisasjoner/errin/").text
    assert "Indirect, through" in html
    assert 'href="/en/partnere/organisasjoner/osloregionens-europakontor/"' in html
    office = client.get("/en/partnere/organisasjoner/osloregionens-europakontor/").text
    assert "Networks the county reaches through it" in office
    assert 'href="/en/partnere/organisasjoner/errin/"' in office


def test_partner_activities_are_paginated_and_a_bad_page_is_a_400(client, strategy):
    kaunas = BilateralPartner.objects.get(slug="kaunas")
    c21 = get_commitment("2.1")
    for i in range(PAGE_SIZE + 5):
        make_activity(c21, title=f"Besøk {i}", days_ago=i, partners=[kaunas])
    first = client.get("/en/partnere/kaunas/")
    assert "Page 1 of 2" in first.text
    assert len(first.context["page_obj"].object_list) == PAGE_SIZE
    assert client.get("/en/partnere/kaunas/", {"page": 2}).status_code == 200
    bad = client.get("/en/partnere/kaunas/", {"page": "x"})
    assert bad.status_code == 400
    assert "That page number is not valid." in bad.text


@pytest.mark.parametrize(
    "path", ["/partnere/finnes-ikke/", "/partnere/organisasjoner/finnes-ikke/", "/en/partnere/x/"]
)
def test_unknown_partner_or_organisation_is_a_404(client, strategy, path):
    assert client.get(path).status_code == 404


def test_a_programme_committee_is_not_called_a_membership(client, data):
    # The county's part in Interreg ØKS is seats in the programme's committees (FACTS.md), not
    # a membership: neither its page nor the list says "Membership: Direct" of it.
    committee = client.get("/en/partnere/organisasjoner/interreg-oks-komiteer/").text
    assert "Programme committee" in committee
    assert "<dt>Membership</dt>" not in committee
    member = client.get("/en/partnere/organisasjoner/cpmr-north-sea-commission/").text
    assert "<dt>Membership</dt>" in member
    listing = client.get("/en/partnere/").text
    entry = listing.split("Interreg Öresund-Kattegat-Skagerrak")[1].split("</dl>")[0]
    assert "Programme committee" in entry and "Membership" not in entry
