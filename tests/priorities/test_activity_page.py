import pytest

from tests.public_pages import EXAMPLE_TITLE, INTERNAL_TITLE, PUBLIC_TITLE, seed


@pytest.fixture
def data(strategy):
    return seed()


@pytest.mark.parametrize("prefix, lang", [("", "nb"), ("/nn", "nn"), ("/en", "en")])
def test_it_shows_the_public_activity_with_its_links(client, data, prefix, lang):
    response = client.get(f"{prefix}/aktiviteter/{data['public'].pk}/")
    assert response.status_code == 200
    html = response.text
    assert f'<html lang="{lang}">' in html
    assert PUBLIC_TITLE in html
    assert "Fylket la fram sitt innspill." in html and "Et felles notat." in html
    assert f'href="{prefix}/prioriteringer/medlemsorganisasjoner/1/"' in html
    assert f'href="{prefix}/partnere/kaunas/"' in html
    assert f'href="{prefix}/partnere/organisasjoner/cpmr-north-sea-commission/"' in html
    assert INTERNAL_TITLE not in html


def test_english_labels_and_country_name(client, data):
    html = client.get(f"/en/aktiviteter/{data['public'].pk}/").text
    assert "Brussel, Belgium" in html
    assert "Meeting" in html and "Outcome" in html


def test_example_activity_is_marked(client, data):
    html = client.get(f"/en/aktiviteter/{data['example'].pk}/").text
    assert EXAMPLE_TITLE in html
    assert 'class="badge badge--example">Example<' in html
    assert "This is an invented example" in html


def test_internal_activity_is_a_404_for_anonymous_visitors(client, data):
    response = client.get(f"/aktiviteter/{data['internal'].pk}/")
    assert response.status_code == 404
    assert INTERNAL_TITLE not in response.text


def test_staff_see_an_internal_activity_marked_internal(staff_client, data):
    response = staff_client.get(f"/en/aktiviteter/{data['internal'].pk}/")
    assert response.status_code == 200
    assert 'class="badge badge--internal">Internal<' in response.text


def test_unknown_activity_is_a_404(client, data):
    assert client.get("/aktiviteter/999999/").status_code == 404
