"""Django admin for the partners register: agreement follow-up, membership filter, history."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import BilateralPartner, Organisation


def expiring_in(days: int | None, name: str) -> BilateralPartner:
    today = timezone.localdate()
    expires = None if days is None else today + datetime.timedelta(days=days)
    return BilateralPartner.objects.create(
        name=name, slug=name.lower(), country="DE", agreement_expires=expires
    )


@pytest.fixture
def agreements(db):
    return [
        expiring_in(-1, "Expired"),
        expiring_in(0, "Today"),
        expiring_in(180, "Day180"),
        expiring_in(181, "Day181"),
        expiring_in(None, "Open"),
    ]


def listed_partners(admin_client, **params) -> set[str]:
    response = admin_client.get(reverse("admin:partners_bilateralpartner_changelist"), params)
    assert response.status_code == 200
    return {partner.name for partner in response.context["cl"].queryset}


def test_expiring_filter_lists_agreements_within_180_days(admin_client, agreements):
    assert listed_partners(admin_client, agreement="expiring") == {"Today", "Day180"}


def test_expired_filter_lists_only_agreements_past_their_date(admin_client, agreements):
    assert listed_partners(admin_client, agreement="expired") == {"Expired"}


def test_unknown_agreement_filter_value_lists_everything(admin_client, agreements):
    assert len(listed_partners(admin_client, agreement="1;drop")) == 5


def test_agreement_filter_is_offered_with_its_choices(admin_client, agreements):
    response = admin_client.get(reverse("admin:partners_bilateralpartner_changelist"))

    assert "?agreement=expiring" in response.text
    assert "?agreement=expired" in response.text


def test_dashboard_lists_agreements_expiring_within_180_days(admin_client, agreements):
    response = admin_client.get(reverse("admin:index"))

    assert response.status_code == 200
    line = response.text.split('id="agreement-follow-up"')[1].split("</div>")[0]
    assert "2 avtaler utløper innen 180 dager" in line
    assert "Today" in line and "Day180" in line
    assert "Day181" not in line and "Expired" not in line and "Open" not in line
    assert "?agreement=expiring" in line
    day180 = BilateralPartner.objects.get(name="Day180")
    assert reverse("admin:partners_bilateralpartner_change", args=[day180.pk]) in line


def test_dashboard_says_when_no_agreement_expires_soon(admin_client, db):
    expiring_in(181, "Later")
    response = admin_client.get(reverse("admin:index"))

    assert "Ingen avtale utløper innen 180 dager." in response.text


def test_dashboard_lists_the_agreements_in_one_query_whatever_their_number(
    admin_client, django_assert_max_num_queries, db
):
    for day in range(30):
        expiring_in(day, f"Partner{day}")
    # Session, user, admin log and the agreement line: a fixed number of queries.
    with django_assert_max_num_queries(8):
        response = admin_client.get(reverse("admin:index"))
    assert "30 avtaler utløper innen 180 dager" in response.text


def test_organisation_membership_filter_separates_direct_and_indirect(admin_client, db):
    office = Organisation.objects.create(name="Osloregionens Europakontor", slug="ore")
    Organisation.objects.create(name="ERRIN", slug="errin", via=office)
    url = reverse("admin:partners_organisation_changelist")

    direct = admin_client.get(url, {"membership": "direct"}).context["cl"].queryset
    indirect = admin_client.get(url, {"membership": "indirect"}).context["cl"].queryset
    assert [o.slug for o in direct] == ["ore"]
    assert [o.slug for o in indirect] == ["errin"]


def test_partner_change_is_in_history_with_the_user(admin_client, admin_user, db):
    partner = expiring_in(100, "Kaunas")
    response = admin_client.post(
        reverse("admin:partners_bilateralpartner_change", args=[partner.pk]),
        {
            "name_nb": "Kaunas",
            "name_en": "Kaunas County",
            "slug": "kaunas",
            "country": "LT",
            "agreement_expires": "2027-12-31",
            "active": "on",
        },
    )

    assert response.status_code == 302
    latest = partner.history.latest()
    assert (latest.history_user, latest.country, latest.name_en) == (
        admin_user,
        "LT",
        "Kaunas County",
    )
    history = admin_client.get(
        reverse("admin:partners_bilateralpartner_history", args=[partner.pk])
    )
    assert history.status_code == 200
    assert "administrator" in history.text
    assert "Kaunas County" in history.text


@pytest.mark.parametrize("typed, saved", [("lt", "LT"), (" de ", "DE"), ("PL", "PL")])
def test_country_code_is_stored_in_capitals(admin_client, db, typed, saved):
    response = admin_client.post(
        reverse("admin:partners_bilateralpartner_add"),
        {"name_nb": "Region", "slug": "region", "country": typed},
    )

    assert response.status_code == 302
    assert BilateralPartner.objects.get(slug="region").country == saved


@pytest.mark.parametrize("typed", ["Litauen", "L1", "ØS"])
def test_country_that_is_not_a_code_is_a_form_error(admin_client, db, typed):
    response = admin_client.post(
        reverse("admin:partners_bilateralpartner_add"),
        {"name_nb": "Region", "slug": "region", "country": typed},
    )

    assert response.status_code == 422
    assert "country" in response.context["adminform"].form.errors
    assert not BilateralPartner.objects.exists()
