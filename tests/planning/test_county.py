"""Measures attributed to a county authority (issue 13, item 2): chosen in the form from the
counties that exist, shown on the plan, and a county filter on the plan page."""

import datetime

import pytest

from counties.models import County
from planning.models import Measure
from tests.factories import make_measure
from tests.planning.helpers import YEAR, measure_data, snapshot, url


@pytest.fixture
def counties(strategy) -> dict:
    return {county.slug: county for county in County.objects.all()}


def test_an_editor_attributes_a_new_measure_to_a_county(editor_client, commitment, counties):
    response = editor_client.post(
        url("planning:measure_create", YEAR),
        measure_data(commitment, county=counties["telemark"].pk),
    )
    assert response.status_code == 303
    measure = Measure.objects.get()
    assert measure.county == counties["telemark"]
    assert measure.history.first().county_id == counties["telemark"].pk
    page = editor_client.get(url("planning:plan_year", YEAR)).text
    assert "<dt>Fylkeskommune</dt><dd>Telemark fylkeskommune</dd>" in page


def test_a_dissolved_county_is_no_choice_for_a_new_measure(editor_client, commitment, counties):
    before = snapshot()
    dissolved = counties["vestfold-og-telemark"]
    assert dissolved.dissolved_on <= datetime.date.today()
    response = editor_client.post(
        url("planning:measure_create", YEAR), measure_data(commitment, county=dissolved.pk)
    )
    assert response.status_code == 422
    assert 'id="id_county"' in response.text
    assert snapshot() == before


def test_the_plan_filters_by_county(client, commitment, counties):
    make_measure(commitment, title="Telemarks tiltak", county=counties["telemark"])
    make_measure(commitment, title="Vestfolds tiltak", county=counties["vestfold"])
    make_measure(commitment, title="Tiltak uten fylke")
    everything = client.get(url("planning:plan_year", YEAR)).text
    assert all(t in everything for t in ("Telemarks", "Vestfolds", "Tiltak uten fylke"))
    telemark = client.get(url("planning:plan_year", YEAR) + "?county=telemark")
    assert telemark.status_code == 200
    assert "Telemarks tiltak" in telemark.text
    assert "Vestfolds tiltak" not in telemark.text and "Tiltak uten fylke" not in telemark.text


def test_an_unknown_county_on_the_plan_is_a_400_with_the_forms_message(client, strategy):
    response = client.get(url("planning:plan_year", YEAR) + "?county=atlantis")
    assert response.status_code == 400
    assert "atlantis" in response.text
    assert 'id="id_county"' in response.text
