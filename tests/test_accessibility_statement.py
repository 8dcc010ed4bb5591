import pytest

from tests.factories import make_portal_owner

URL = "/tilgjengelighetserklaering/"


@pytest.mark.parametrize("prefix, lang", [("", "nb"), ("/nn", "nn"), ("/en", "en")])
@pytest.mark.django_db
def test_statement_is_served_in_each_language_with_a_feedback_channel(client, prefix, lang):
    # The channel is the portal owner's (counties.PortalOwner), set in the admin.
    make_portal_owner(accessibility_email="tilbakemelding@example.org")
    response = client.get(prefix + URL)
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.text
    assert 'href="mailto:tilbakemelding@example.org"' in response.text
    assert 'href="https://www.uutilsynet.no/"' in response.text


@pytest.mark.django_db
def test_statement_has_the_parts_norwegian_public_bodies_publish(client):
    make_portal_owner()
    html = client.get("/en" + URL).text
    for part in (
        "Accessibility statement",
        "WCAG 2.1",
        "uustatus.no",
        "How accessible the portal is",
        "How we tested",
        "Feedback and contact",
        "Supervision",
        "This statement was made on",
    ):
        assert part in html


@pytest.mark.django_db
def test_footer_links_the_statement(client):
    html = client.get("/en/").text
    assert '<a href="/en/tilgjengelighetserklaering/">Accessibility statement</a>' in html


@pytest.mark.parametrize(
    "prefix, claim, said",
    [
        ("", "Denne siden viser innholdet i", "som grunnlag for den erklæringen"),
        ("/nn", "Denne sida viser innhaldet i", "som grunnlag for den erklæringa"),
        ("/en", "This page shows the content of", "as the basis for that statement"),
    ],
)
@pytest.mark.django_db
def test_the_page_does_not_claim_to_copy_a_statement_published_on_uustatus(
    client, prefix, claim, said
):
    # No source in shared/strategy/ says a statement for the portal is published on
    # uustatus.no (issue 13, item 6): the page says what it is, the basis for one.
    make_portal_owner()
    html = client.get(prefix + URL).text
    assert claim not in html
    assert said in html
