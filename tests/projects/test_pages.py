"""The project list and a project's page: filters, languages, what visitors see."""

import datetime

import pytest

from partners.models import BilateralPartner, Organisation, Programme
from projects.models import State
from tests.factories import get_commitment, make_project


def test_the_list_shows_public_projects_with_their_facts(client, strategy):
    make_project(name="Kystlinjer", acronym="KYST", county_share_eur=200000)
    response = client.get("/prosjekter/")
    assert response.status_code == 200
    text = response.text
    assert "KYST – Kystlinjer" in text
    assert "Interreg ØKS" in text and "Innvilget" in text and "Partner" in text


@pytest.mark.parametrize("prefix", ["", "/nn", "/en"])
def test_the_pages_are_in_three_languages(client, strategy, prefix):
    project = make_project()
    assert client.get(f"{prefix}/prosjekter/").status_code == 200
    response = client.get(f"{prefix}/prosjekter/{project.slug}/")
    assert response.status_code == 200
    lang = {"": "nb", "/nn": "nn", "/en": "en"}[prefix]
    assert f'lang="{lang}"' in response.text


def test_internal_projects_are_not_shown_to_visitors(client, strategy):
    make_project(name="Hemmelig forstudie", acronym="HEMMELIG", is_public=False)
    make_project(name="Åpent prosjekt", acronym="APENT")
    text = client.get("/prosjekter/").text
    assert "HEMMELIG" not in text and "APENT" in text
    assert "1 prosjekt" in text
    assert client.get("/prosjekter/hemmelig/").status_code == 404


def test_staff_see_internal_projects(staff_client, strategy):
    make_project(acronym="HEMMELIG", is_public=False)
    assert "HEMMELIG" in staff_client.get("/prosjekter/").text
    assert staff_client.get("/prosjekter/hemmelig/").status_code == 200


def test_filters(client, strategy):
    erasmus = Programme.objects.get(slug="erasmus-plus")
    kaunas = BilateralPartner.objects.get(slug="kaunas")
    nsc = Organisation.objects.get(slug="cpmr-north-sea-commission")
    a = make_project(acronym="AAA", programme=erasmus, role="lead_partner")
    a.partners.add(kaunas)
    b = make_project(acronym="BBB", programme=None, state=State.REJECTED, start_date=None)
    b.organisations.add(nsc)
    make_project(
        acronym="CCC",
        start_date=datetime.date(2021, 1, 1),
        end_date=datetime.date(2022, 1, 1),
        decided_on=datetime.date(2020, 11, 1),
    )

    def shown(query: str) -> set[str]:
        text = client.get(f"/prosjekter/?{query}").text
        return {acronym for acronym in ("AAA", "BBB", "CCC") if f">{acronym} –" in text}

    assert shown("") == {"AAA", "BBB", "CCC"}
    assert shown("programme=erasmus-plus") == {"AAA"}
    assert shown("programme=other") == {"BBB"}
    assert shown("state=rejected") == {"BBB"}
    assert shown("role=lead_partner") == {"AAA"}
    assert shown("year=2021") == {"CCC"}
    assert shown("partner=kaunas") == {"AAA"}
    assert shown("organisation=cpmr-north-sea-commission") == {"BBB"}


@pytest.mark.parametrize(
    "query", ["programme=nope", "state=flying", "role=boss", "year=abc", "partner=atlantis"]
)
def test_an_unknown_filter_value_is_a_400_with_a_message(client, strategy, query):
    response = client.get(f"/prosjekter/?{query}")
    assert response.status_code == 400
    assert "error-summary" in response.text


def test_a_projects_page_shows_money_partners_commitments_and_links(client, strategy):
    project = make_project(other_partners="Aarhus universitet\nKommune X")
    project.partners.add(BilateralPartner.objects.get(slug="kaunas"))
    project.commitments.add(get_commitment("3.1"))
    project.links.create(title="Nyhetssak", url="https://example.org/nyhet")
    text = client.get(project.get_absolute_url()).text
    assert "200\xa0000" in text  # the share in EUR
    assert "2\xa0300\xa0000" in text  # in NOK at 11.5
    assert "11,5" in text
    assert "Kaunas" in text and "Aarhus universitet" in text
    assert "3.1" in text and "Nyhetssak" in text


def test_partner_organisation_and_commitment_pages_list_their_projects(client, strategy):
    kaunas = BilateralPartner.objects.get(slug="kaunas")
    nsc = Organisation.objects.get(slug="cpmr-north-sea-commission")
    commitment = get_commitment("3.1")
    public = make_project(acronym="SYNLIG")
    internal = make_project(acronym="SKJULT", is_public=False)
    for project in (public, internal):
        project.partners.add(kaunas)
        project.organisations.add(nsc)
        project.commitments.add(commitment)
    for url in (kaunas.get_absolute_url(), nsc.get_absolute_url(), commitment.get_absolute_url()):
        text = client.get(url).text
        assert "SYNLIG" in text and "SKJULT" not in text, url


def test_the_overview_and_the_report_show_the_funding_figure(client, strategy):
    make_project(county_share_eur=123456, decided_on=datetime.date(2024, 5, 1))
    make_project(acronym="SKJULT", is_public=False, county_share_eur=999999)
    make_project(acronym="AVSLATT", state=State.REJECTED, decided_on=datetime.date(2024, 6, 1))
    for url in ("/", "/rapport/2024/"):
        text = client.get(url).text
        assert "123\xa0456" in text, url
        assert "999\xa0999" not in text, url
        assert 'data-success-percent="50"' in text, url
