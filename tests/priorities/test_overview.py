import pytest
from django.utils import timezone
from django.utils.html import escape

from priorities.models import Commitment
from tests.public_pages import EXAMPLE_TITLE, INTERNAL_TITLE, PUBLIC_TITLE, seed


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


# --- Issue 3: what the overview tells a reader --------------------------------------------

LANGS = [("", "nb"), ("/nn", "nn"), ("/en", "en")]


@pytest.fixture
def data(strategy):
    return seed()


@pytest.mark.parametrize("prefix, lang", LANGS)
def test_overview_shows_strategy_facts_focus_points_and_every_commitment(
    client, data, strategy, prefix, lang
):
    response = client.get(prefix + "/")
    assert response.status_code == 200
    html = response.text
    assert f'<html lang="{lang}">' in html
    assert escape(getattr(strategy, f"purpose_{lang}")) in html
    assert escape(getattr(strategy, f"sdg_statement_{lang}")) in html
    for point in strategy.focus_points.all():
        assert escape(getattr(point, f"text_{lang}")) in html
    for c in Commitment.objects.select_related("priority"):
        assert f'href="{prefix}/prioriteringer/{c.priority.slug}/{c.number}/"' in html
    assert html.count('class="status status--') == 10  # one status per commitment
    assert PUBLIC_TITLE in html
    assert INTERNAL_TITLE not in html


def test_overview_in_english_names_adoption_sdg_and_freshness(client, data):
    html = client.get("/en/").text
    assert "Adopted by the Vestfold og Telemark County Council (fylkestinget) on" in html
    assert "UN Sustainable Development Goal 17" in html
    assert "Needs attention" in html  # 1.1's status as a text label
    assert "No status yet" in html  # the others have none
    assert "Last activity 3\xa0months ago" in html  # from the public activity, not the internal
    assert "Latest activities" in html


def test_overview_counts_public_activities_only(client, data):
    response = client.get("/")
    [c11] = [
        c for p in response.context["priorities"] for c in p.commitments.all() if c.code == "1.1"
    ]
    assert c11.public_activity_count == 1
    assert c11.last_public_activity_on == data["public"].start_date
    this_year = timezone.localdate().year
    assert c11.public_activity_count_year == (
        1 if data["public"].start_date.year == this_year else 0
    )


def test_latest_activities_mark_examples(client, data):
    html = client.get("/en/").text
    item = html[html.index(f'id="activity-{data["example"].pk}"') :]
    item = item[: item.index("</li>")]
    assert EXAMPLE_TITLE in item
    assert "badge--example" in item and ">Example<" in item


def test_footer_links_the_accessibility_statement_on_every_page(client, data):
    for path in ("/", "/en/", "/nn/partnere/", "/prioriteringer/medlemsorganisasjoner/1/"):
        html = client.get(path).text
        prefix = "/" + path.split("/")[1] if path.startswith(("/en/", "/nn/")) else ""
        assert f'href="{prefix}/tilgjengelighetserklaering/"' in html


def test_language_switcher_keeps_the_page_and_sets_hreflang(client, data):
    html = client.get("/nn/prioriteringer/medlemsorganisasjoner/1/?year=2024").text
    assert '<a href="/prioriteringer/medlemsorganisasjoner/1/?year=2024" hreflang="nb"' in html
    assert '<a href="/en/prioriteringer/medlemsorganisasjoner/1/?year=2024" hreflang="en"' in html
    assert (
        '<link rel="alternate" hreflang="en" '
        'href="http://testserver/en/prioriteringer/medlemsorganisasjoner/1/?year=2024">'
    ) in html
    assert 'hreflang="x-default"' in html


@pytest.mark.parametrize(
    "prefix, note",
    [
        ("", "med åpenbare språkfeil rettet"),
        ("/nn", "med openberre språkfeil retta"),
        ("/en", "with evident language errors corrected"),
    ],
)
def test_the_overview_says_the_sources_language_errors_are_corrected(
    client, strategy, prefix, note
):
    assert note in client.get(f"{prefix}/").text
