import pytest

PATHS = [
    "/prioriteringer/finnes-ikke/",
    "/prioriteringer/medlemsorganisasjoner/42/",
    "/aktiviteter/424242/",
    "/partnere/finnes-ikke/",
    "/partnere/organisasjoner/finnes-ikke/",
    "/helt/ukjent/side/",
]


@pytest.mark.parametrize("path", PATHS)
def test_unknown_pages_get_the_styled_404(client, strategy, settings, path):
    settings.DEBUG = False
    response = client.get("/en" + path)
    assert response.status_code == 404
    html = response.text
    assert '<html lang="en">' in html
    assert "<h1>Page not found</h1>" in html
    assert "/static/css/portal.css" in html  # styled like the rest of the portal
    assert 'href="/en/"' in html  # a way back
    assert "Accessibility statement" in html


@pytest.mark.parametrize("prefix, lang", [("", "nb"), ("/nn", "nn")])
def test_404_in_norwegian(client, strategy, settings, prefix, lang):
    settings.DEBUG = False
    response = client.get(prefix + "/aktiviteter/424242/")
    assert response.status_code == 404
    assert f'<html lang="{lang}">' in response.text
    assert f'href="{prefix}/"' in response.text
