"""Country codes are ISO 3166 codes on the model (django-countries), shown as names in the
page's language."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import translation
from django_countries import countries
from django_countries.fields import Country

from partners.models import BilateralPartner
from priorities.models import Activity
from tests.factories import get_commitment, make_activity

upper_case_codes = importlib.import_module(
    "priorities.migrations.0006_country_codes"
).upper_case_codes
upper_case_partner_codes = importlib.import_module(
    "partners.migrations.0003_country_codes"
).upper_case_codes


@pytest.fixture
def activity(strategy):
    return make_activity(
        get_commitment("1.1"), title="Studietur", days_ago=10, place="Wien", country="AT"
    )


@pytest.mark.parametrize(
    "prefix, name", [("", "Wien, Østerrike"), ("/nn", "Wien, Austerrike"), ("/en", "Wien, Austria")]
)
def test_the_activity_page_names_the_country_in_the_page_language(client, activity, prefix, name):
    html = client.get(f"{prefix}/aktiviteter/{activity.pk}/").text
    assert name in html


@pytest.mark.parametrize(
    "prefix, name", [("", "Sveits"), ("/nn", "Sveits"), ("/en", "Switzerland")]
)
def test_any_iso_country_is_named_not_only_a_list_of_eighteen(client, strategy, prefix, name):
    make_activity(get_commitment("1.1"), title="Møte i Genève", days_ago=3, country="CH")
    html = client.get(f"{prefix}/aktiviteter/?q=Gen%C3%A8ve").text
    assert name in html


@pytest.mark.parametrize(
    "prefix, name", [("", "Litauen"), ("/nn", "Litauen"), ("/en", "Lithuania")]
)
def test_partner_pages_name_the_country_in_the_page_language(client, strategy, prefix, name):
    assert BilateralPartner.objects.get(slug="kaunas").country == "LT"
    assert f"<dd>{name}</dd>" in client.get(f"{prefix}/partnere/kaunas/").text
    assert f"<dd>{name}</dd>" in client.get(f"{prefix}/partnere/").text


def test_no_country_is_named_in_english_on_a_nynorsk_page():
    """django-countries has no nynorsk: nynorsk falls back to bokmål, except where a name
    changed in English (partners/country_names.py)."""
    with translation.override("en"):
        english = dict(countries)
    with translation.override("nb"):
        bokmal = dict(countries)
    with translation.override("nn"):
        nynorsk = dict(countries)
    in_english = [code for code in english if nynorsk[code] == english[code] != bokmal[code]]
    assert in_english == []
    assert (nynorsk["NO"], nynorsk["AT"], bokmal["NO"]) == ("Noreg", "Austerrike", "Norge")


def test_the_model_holds_a_country(activity):
    activity.refresh_from_db()
    assert isinstance(activity.country, Country)
    assert activity.country.code == "AT"


@pytest.mark.parametrize("code", ["XX", "N1", "N", "Norge"])
def test_the_model_refuses_a_code_that_is_no_country(activity, code):
    activity.country = code
    with pytest.raises(ValidationError) as refused:
        activity.full_clean()
    assert "country" in refused.value.message_dict


def test_the_migration_upper_cases_codes_and_blanks_what_is_no_country(strategy):
    rows = {
        code: Activity.objects.create(
            commitment=get_commitment("1.1"),
            title=f"Kode {code!r}",
            kind="meeting",
            start_date=datetime.date(2025, 1, 1),
        )
        for code in ["no", "Be", "n1", "XX", "", "SE"]
    }
    for code, row in rows.items():  # as the old CharField let them in, past any check
        Activity.objects.filter(pk=row.pk).update(country=code)
    upper_case_codes(apps, None)
    stored = {code: Activity.objects.get(pk=row.pk).country.code for code, row in rows.items()}
    assert stored == {"no": "NO", "Be": "BE", "n1": "", "XX": "", "": "", "SE": "SE"}


def test_the_partner_migration_upper_cases_codes(strategy):
    BilateralPartner.objects.filter(slug="kaunas").update(country="lt")
    upper_case_partner_codes(apps, None)
    assert BilateralPartner.objects.get(slug="kaunas").country == "LT"


def test_the_partner_migration_stops_on_a_code_that_is_no_country(strategy):
    """A partner's country is required, and a partner is few and curated: better a clear
    stop naming it than a silent blank."""
    BilateralPartner.objects.filter(slug="kaunas").update(country="L1")
    with pytest.raises(ValueError, match="kaunas"):
        upper_case_partner_codes(apps, None)
