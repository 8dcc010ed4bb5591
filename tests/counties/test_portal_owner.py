"""The county that runs the portal: named on every page, its contact on the statement."""

import re
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.db import IntegrityError

from counties.models import County, PortalOwner
from tests.factories import make_county, make_portal_owner
from tests.query_counts import count_queries

ROOT = Path(__file__).resolve().parents[2]
STATEMENT = "/tilgjengelighetserklaering/"


@pytest.mark.parametrize(
    ("prefix", "name"),
    [
        ("", "Eksempelfylket fylkeskommune"),
        ("/nn", "Eksempelfylket fylkeskommune"),
        ("/en", "Eksempelfylket County Authority"),
    ],
)
@pytest.mark.django_db
def test_pages_name_the_owner_in_their_language(client, strategy, prefix, name):
    make_portal_owner(make_county(email="post@example.org", postal_address="Postboks 1\n3101"))
    html = client.get(prefix + "/").text
    assert f"– {name}</title>" in html
    assert f'<span class="site-brand__county">{name}</span>' in html
    assert f"<p>{name} · " in html
    assert '<a href="mailto:post@example.org">post@example.org</a>' in html
    assert "Postboks 1<br>3101" in html


@pytest.mark.django_db
def test_without_an_owner_no_county_is_named(client, strategy):
    html = client.get("/en/").text
    assert "site-brand__county" not in html
    # The strategy's own text names its adopting council; the page's frame names no county.
    # Head and header; the page's description is its content (the strategy's purpose).
    frame = re.sub(r'<meta name="description"[^>]*>', "", html.split("<main")[0])
    assert "Vestfold og Telemark" not in frame
    assert "Vestfold og Telemark" not in html.split("</main>")[1]  # footer


@pytest.mark.django_db
def test_the_owners_logo_is_in_the_header_with_its_name_as_alt_text(client, strategy):
    county = make_county()
    county.set_logo(b"\x89PNG\r\n\x1a\n" + b"\x00" * 30, "image/png")
    county.save()
    make_portal_owner(county)
    html = client.get("/en/").text
    img = f'<img class="site-brand__logo" src="{county.logo_url()}" alt="{county.name_en}">'
    assert img in html


@pytest.mark.django_db
def test_the_owner_costs_one_query_per_page(client, strategy):
    without, _ = count_queries(client.get, STATEMENT)
    make_portal_owner()
    with_owner, response = count_queries(client.get, STATEMENT)
    assert "Eksempelfylket fylkeskommune" in response.text
    assert with_owner == without


# --- The accessibility statement -----------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/nn", "/en"])
@pytest.mark.django_db
def test_statement_shows_the_owners_contact_and_date(client, prefix):
    make_portal_owner(feedback_url="https://example.org/tilbakemelding")
    html = client.get(prefix + STATEMENT).text
    assert 'href="mailto:tilbakemelding@example.org"' in html
    assert 'href="https://example.org/tilbakemelding"' in html
    assert "2026" in html.split("contact--missing")[0]
    assert "contact--missing" not in html


@pytest.mark.parametrize(
    ("prefix", "sentence"),
    [
        ("", "Kontakten for tilbakemeldinger er ikke satt opp for denne portalen ennå."),
        ("/nn", "Kontakten for tilbakemeldingar er ikkje sett opp for denne portalen enno."),
        ("/en", "The contact for feedback has not been configured for this portal yet."),
    ],
)
@pytest.mark.django_db
def test_statement_says_plainly_when_no_contact_is_set(client, prefix, sentence):
    html = client.get(prefix + STATEMENT).text
    assert sentence in html
    assert "mailto:" not in html


@pytest.mark.django_db
def test_statement_with_an_owner_but_no_contact_says_so(client):
    make_portal_owner(accessibility_email="", statement_date=None)
    html = client.get("/en" + STATEMENT).text
    assert "The contact for feedback has not been configured" in html
    assert "The date of this statement has not been configured" in html
    assert "Eksempelfylket County Authority works to make the strategy portal" in html


def test_no_template_holds_a_placeholder_address():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if "fylkeskommune.example" in path.read_text()
    ]
    assert offenders == []


# --- The deploy check --------------------------------------------------------------------------


def deploy_warnings() -> list[str]:
    return sorted(
        message.id
        for message in run_checks(include_deployment_checks=True, databases=["default"])
        if message.id and message.id.startswith("counties.")
    )


@pytest.mark.django_db
def test_deploy_check_warns_while_no_owner_is_set_and_passes_once_set():
    assert deploy_warnings() == ["counties.W001"]
    owner = make_portal_owner(accessibility_email="", statement_date=None)
    assert deploy_warnings() == ["counties.W002", "counties.W003"]
    owner.accessibility_email = "tilbakemelding@example.org"
    owner.save()
    assert deploy_warnings() == ["counties.W003"]
    owner.statement_date = "2026-11-26"
    owner.save()
    assert deploy_warnings() == []


@pytest.mark.django_db
def test_deploy_check_reads_the_database_only_when_asked():
    # `check --deploy` without --database reads nothing, as Django's own database checks.
    ids = [m.id for m in run_checks(include_deployment_checks=True)]
    assert not any(i.startswith("counties.") for i in ids)


# --- One owner -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_can_add_the_owner_once_and_never_delete_it(admin_client):
    county = make_county()
    assert admin_client.get("/admin/counties/portalowner/add/").status_code == 200
    response = admin_client.post(
        "/admin/counties/portalowner/add/",
        {
            "county": county.pk,
            "accessibility_email": "a@example.org",
            "statement_date": "2026-11-26",
        },
    )
    assert response.status_code == 302
    owner = PortalOwner.objects.get()
    assert admin_client.get("/admin/counties/portalowner/add/").status_code == 403
    assert admin_client.get(f"/admin/counties/portalowner/{owner.pk}/delete/").status_code == 403
    assert (
        admin_client.post(
            f"/admin/counties/portalowner/{owner.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert PortalOwner.objects.count() == 1
    assert owner.history.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_second_owner_row_cannot_exist():
    make_portal_owner()
    with pytest.raises(IntegrityError):
        PortalOwner.objects.create(county=make_county("telemark", name_nb="Telemark"))
    with pytest.raises(IntegrityError):
        PortalOwner.objects.create(id=2, county=County.objects.get(slug="telemark"))
    assert PortalOwner.objects.count() == 1
