import pytest


@pytest.mark.django_db
def test_home_page_without_a_strategy_says_so(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Ingen strategi" in response.text or "No strategy" in response.text


def test_home_page_names_the_strategy_and_its_priorities(client, strategy):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="nb">' in response.text
    assert "Internasjonal strategi 2030" in response.text
    for title in (
        "Medlemsorganisasjoner",
        "Bilaterale avtaler",
        "Prosjektarbeid",
        "Kompetanse og kunnskapsdeling",
    ):
        assert title in response.text


def test_home_page_in_nynorsk_and_english(client, strategy):
    nn = client.get("/nn/")
    assert '<html lang="nn">' in nn.text
    assert "Medlemsorganisasjonar" in nn.text
    en = client.get("/en/")
    assert '<html lang="en">' in en.text
    assert "International Strategy 2030" in en.text
    assert "Member organisations" in en.text


def test_base_template_has_skip_link_landmarks_and_no_inline_code(client, strategy):
    html = client.get("/").text
    assert 'href="#main"' in html
    assert '<main id="main"' in html
    assert "<footer" in html and "<nav" in html
    assert 'name="htmx-config"' in html and '"includeIndicatorStyles": false' in html
    assert "django_htmx/htmx-2.min.js" in html
    assert 'rel="icon"' in html
    # CSP 'self': no inline script bodies, no style attributes or blocks.
    assert "<script>" not in html
    assert "style=" not in html
    assert "<style" not in html


def test_anonymous_pages_carry_no_csrf_token(client, strategy):
    response = client.get("/")
    assert "X-CSRFToken" not in response.text
    assert "csrftoken" not in response.cookies


def test_signed_in_pages_send_the_csrf_header_for_htmx(staff_client, strategy):
    assert "X-CSRFToken" in staff_client.get("/").text
