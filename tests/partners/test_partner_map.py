"""The partner map (/partnere/kart/): outlines from static/map/ (scripts/build_map.mjs),
markers placed on the server with the script's projection, and the same facts as a list."""

import io
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from partners import map as partner_map
from partners.models import BilateralPartner, Organisation
from priorities import strategy_file
from tests.public_pages import INTERNAL_TITLE, PUBLIC_TITLE, seed
from tests.query_counts import count_queries

LANGS = [("", "nb"), ("/nn", "nn"), ("/en", "en")]
MAP_DIR = settings.BASE_DIR / "static" / "map"
SVG = "{http://www.w3.org/2000/svg}"

# The real places (FACTS.md's partners and arenas; a region by its capital or a point in it).
REAL_PLACES = {
    "kaunas": ("Kaunas", "54.8985", "23.9036"),
    "hubei": ("Wuhan", "30.5928", "114.3055"),
    "midwest-usa": ("Minnesota og North Dakota", "46.8772", "-96.7898"),
    "schleswig-holstein": ("Kiel", "54.3233", "10.1228"),
}


# ---------------------------------------------------------------- the committed outlines


@pytest.mark.parametrize("name", ["world", "europe"])
def test_committed_outline_is_valid_svg_that_loads_nothing(name):
    path = MAP_DIR / f"{name}.svg"
    text = path.read_text(encoding="utf-8")
    assert len(text.encode()) < 300_000
    root = ET.fromstring(text)  # well-formed XML, or this raises
    assert root.tag == f"{SVG}svg"
    spec = partner_map.maps()[name]
    assert root.get("viewBox") == f"0 0 {spec['width']} {spec['height']}"
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert tags == {"svg", "path"}  # no <image>, <script>, <style>, <use> or <a>
    for element in root.iter():
        for attribute, value in element.attrib.items():
            assert "href" not in attribute and "url(" not in value and "//" not in value
    # The only URL in the file is the SVG namespace.
    assert re.findall(r"https?://[^\s\"']+", text) == ["http://www.w3.org/2000/svg"]


def test_the_generator_gives_the_committed_files(tmp_path):
    node = shutil.which("node")
    if node is None or not (settings.BASE_DIR / "node_modules" / "world-atlas").is_dir():
        pytest.skip("node or node_modules (npm ci) missing: the generator not re-run")
    script = settings.BASE_DIR / "scripts" / "build_map.mjs"
    subprocess.run([node, str(script), str(tmp_path)], check=True, capture_output=True)
    for name in ["world.svg", "europe.svg", "projection.json", "LICENSE-world-atlas.txt"]:
        assert (tmp_path / name).read_bytes() == (MAP_DIR / name).read_bytes(), name


def test_licence_and_notice_are_vendored_beside_the_outlines():
    assert "Michael Bostock" in (MAP_DIR / "LICENSE-world-atlas.txt").read_text()
    notice = (MAP_DIR / "NOTICE.txt").read_text()
    assert "Natural Earth" in notice and "public domain" in notice


# ---------------------------------------------------------------- the projection


@pytest.mark.parametrize("name", ["world", "europe"])
def test_python_projection_puts_points_where_the_generator_put_them(name):
    samples = json.loads((MAP_DIR / "projection.json").read_text())["maps"][name]["samples"]
    assert len(samples) >= 4
    for sample in samples:
        x, y = partner_map.project(sample["lat"], sample["lon"], name)
        assert x == pytest.approx(sample["x"], abs=0.001), sample["name"]
        assert y == pytest.approx(sample["y"], abs=0.001), sample["name"]


def test_projection_takes_the_models_decimals():
    assert partner_map.project(Decimal("0"), Decimal("0"), "world") == (480, 250)
    west, _ = partner_map.project(Decimal("46.8772"), Decimal("-96.7898"), "world")
    east, _ = partner_map.project(Decimal("54.8985"), Decimal("23.9036"), "world")
    assert west < 480 < east


def test_europe_frame_on_the_world_map_holds_the_european_places():
    x, y, width, height = partner_map.frame_on("europe", "world")
    for lat, lon in [(54.8985, 23.9036), (50.8503, 4.3517), (54.3233, 10.1228)]:
        px, py = partner_map.project(lat, lon, "world")
        assert x < px < x + width and y < py < y + height
    px, py = partner_map.project(30.5928, 114.3055, "world")  # Wuhan: outside
    assert not (x < px < x + width and y < py < y + height)


# ---------------------------------------------------------------- the model


@pytest.mark.parametrize(
    "latitude, longitude, field",
    [("91", "10", "latitude"), ("-90.5", "10", "latitude"), ("10", "180.1", "longitude")],
)
def test_coordinates_out_of_range_are_refused(db, latitude, longitude, field):
    partner = BilateralPartner(
        name="Region", slug="region", country="LT", latitude=latitude, longitude=longitude
    )
    with pytest.raises(ValidationError) as error:
        partner.full_clean()
    assert field in error.value.message_dict


def test_one_coordinate_without_the_other_is_refused(db):
    organisation = Organisation(name="Kontor", slug="kontor", latitude="50.85")
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert "Oppgi både breddegrad og lengdegrad" in " ".join(error.value.messages)  # nb
    with pytest.raises(IntegrityError), transaction.atomic():
        organisation.save()  # and the database refuses it too


def test_admin_refuses_a_bad_latitude_with_a_message_and_a_422(admin_client, db):
    response = admin_client.post(
        "/en" + reverse("admin:partners_bilateralpartner_add"),
        {
            "name_nb": "Region",
            "slug": "region",
            "country": "LT",
            "latitude": "95",
            "longitude": "10",
        },
    )
    assert response.status_code == 422
    assert "latitude" in response.context["adminform"].form.errors
    assert "less than or equal to 90" in response.text
    assert not BilateralPartner.objects.exists()


def test_admin_refuses_a_latitude_without_longitude(admin_client, db):
    response = admin_client.post(
        "/en" + reverse("admin:partners_organisation_add"),
        {"name_nb": "Kontor", "slug": "kontor", "kind": "other", "latitude": "50.85"},
    )
    assert response.status_code == 422
    assert "Give both latitude and longitude, or neither" in response.text
    assert not Organisation.objects.exists()


def test_admin_saves_a_place(admin_client, db):
    response = admin_client.post(
        reverse("admin:partners_organisation_add"),
        {
            "name_nb": "Kontor",
            "slug": "kontor",
            "kind": "other",
            "active": "on",
            "place_nb": "Brussel",
            "country": "be",
            "latitude": "50.8503",
            "longitude": "4.3517",
            # The organisation's fee and seat rows (inlines), none added.
            **{
                f"{rows}-{n}_FORMS": "0" for rows in ("fees", "seats") for n in ("TOTAL", "INITIAL")
            },
        },
    )
    assert response.status_code == 302
    office = Organisation.objects.get(slug="kontor")
    assert (office.place, office.country, office.latitude) == ("Brussel", "BE", Decimal("50.8503"))
    assert list(Organisation.objects.on_map()) == [office]


# ---------------------------------------------------------------- the content


def test_load_strategy_gives_the_real_places(strategy):
    for slug, (place, latitude, longitude) in REAL_PLACES.items():
        partner = BilateralPartner.objects.get(slug=slug)
        assert (partner.place_nb, partner.latitude, partner.longitude) == (
            place,
            Decimal(latitude),
            Decimal(longitude),
        )
    office = Organisation.objects.get(slug="osloregionens-europakontor")
    assert (office.place_nb, office.place_en, office.country) == ("Brussel", "Brussels", "BE")
    assert set(BilateralPartner.objects.on_map().values_list("slug", flat=True)) == set(REAL_PLACES)
    # Only the office FACTS.md places is on the map; networks and councils have no place.
    assert list(Organisation.objects.on_map().values_list("slug", flat=True)) == [
        "osloregionens-europakontor"
    ]


def test_load_strategy_fills_places_of_rows_loaded_before_the_map_and_keeps_admin_edits(
    strategy,
):
    BilateralPartner.objects.filter(slug="kaunas").update(latitude=None, longitude=None)
    BilateralPartner.objects.filter(slug="hubei").update(latitude="31", longitude="112")
    call_command("load_strategy", stdout=io.StringIO())
    kaunas = BilateralPartner.objects.get(slug="kaunas")
    assert (kaunas.latitude, kaunas.longitude) == (Decimal("54.8985"), Decimal("23.9036"))
    hubei = BilateralPartner.objects.get(slug="hubei")
    assert (hubei.latitude, hubei.longitude) == (Decimal("31"), Decimal("112"))


def test_strategy_file_with_half_a_place_or_a_bad_coordinate_is_refused(strategy):
    content = {
        "strategy": {},
        "partners": [
            {"slug": "a", "name": "A", "country": "LT", "latitude": 54.9},
            {"slug": "b", "name": "B", "country": "LT", "latitude": 95, "longitude": 10},
            {"slug": "c", "name": "C", "country": "LT", "latitude": "nord", "longitude": 10},
        ],
    }
    with translation.override("en"):
        messages = [str(problem.message) for problem in strategy_file.check(content)]
    assert any('"longitude" is missing' in m for m in messages)
    assert "95: Ensure this value is less than or equal to 90." in messages
    assert any('"nord" is not a number of degrees' in m for m in messages)


# ---------------------------------------------------------------- the page


@pytest.fixture
def data(strategy):
    return seed()


def world_map(html: str) -> str:
    start = html.index('class="partner-map partner-map--world"')
    return html[start : html.index("</figure>", start)]


def europe_map(html: str) -> str:
    start = html.index('class="partner-map partner-map--europe"')
    return html[start : html.index("</figure>", start)]


def place_list(html: str) -> str:
    start = html.index('id="map-list-heading"')
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize("prefix, lang", LANGS)
def test_map_and_list_name_every_relation_with_a_place(client, data, prefix, lang):
    response = client.get(prefix + "/partnere/kart/")
    assert response.status_code == 200
    html = response.text
    assert f'<html lang="{lang}">' in html
    maps = world_map(html) + europe_map(html)
    listed = place_list(html)
    relations = [*BilateralPartner.objects.on_map(), *Organisation.objects.on_map()]
    assert len(relations) == 5
    for relation in relations:
        name = getattr(relation, f"name_{lang}")
        assert f". {name} – " in maps  # a marker's title
        assert (
            f'href="{prefix}{relation.get_absolute_url().removeprefix(prefix)}">{name}</a>'
            in listed
        )
        assert getattr(relation, f"place_{lang}") in listed
    # Outside Europe on the world map; the European ones numbered on the inset.
    assert world_map(html).count('class="partner-map__marker"') == 2
    assert europe_map(html).count('class="partner-map__marker"') == 3
    assert world_map(html).count('class="partner-map__dot"') == 3
    # Networks and councils without a place are counted, not drawn.
    assert response.context["not_on_map"] == Organisation.objects.not_on_map().count() > 0


def test_map_says_where_each_place_is_in_english(client, data):
    html = client.get("/en/partnere/kart/").text
    listed = place_list(html)
    for text in [
        "Kaunas, Lithuania",
        "Wuhan, China",
        "Kiel, Germany",
        "Brussels, Belgium",
        "Minnesota and North Dakota, United States of America",
        "Bilateral partner",
        "Member organisation",
    ]:
        assert text in listed, text
    assert "Natural Earth" in html


def test_markers_stand_where_the_projection_puts_them(client, data):
    html = client.get("/partnere/kart/").text
    x, y = partner_map.project(Decimal("54.8985"), Decimal("23.9036"), "europe")
    assert f'cx="{x:.1f}" cy="{y:.1f}" r="12"' in europe_map(html)
    x, y = partner_map.project(Decimal("30.5928"), Decimal("114.3055"), "world")
    assert f'cx="{x:.1f}" cy="{y:.1f}" r="12"' in world_map(html)


def test_map_is_an_image_labelled_by_its_caption_and_loads_only_the_portals_files(client, data):
    html = client.get("/en/partnere/kart/").text
    for svg in re.findall(r"<svg [^>]*>", world_map(html) + europe_map(html)):
        label = re.search(r'role="img" aria-labelledby="([a-z-]+)"', svg).group(1)
        assert f'id="{label}"' in html
    images = re.findall(r'<image href="([^"]+)"', html)
    assert images == ["/static/map/world.svg", "/static/map/europe.svg"]
    # Nothing on the map or in the list is fetched from or links to another site.
    assert not re.search(r"(src|href)=\"(https?:)?//", world_map(html) + europe_map(html))
    assert not re.search(r"(src|href)=\"(https?:)?//", place_list(html))
    # Coordinates are written with a point whatever the language (nb writes 1,5).
    assert re.search(r'cx="\d+,\d', client.get("/partnere/kart/").text) is None


def test_ended_relations_and_those_without_a_place_are_not_on_the_map(client, data):
    BilateralPartner.objects.filter(slug="hubei").update(active=False)
    BilateralPartner.objects.filter(slug="kaunas").update(latitude=None, longitude=None)
    html = client.get("/en/partnere/kart/").text
    assert "Hubei" not in html
    assert "Kaunas" not in world_map(html) + europe_map(html) + place_list(html)
    assert "Schleswig-Holstein" in place_list(html)


def test_anonymous_visitors_get_public_counts_and_no_internal_titles(client, data):
    response = client.get("/en/partnere/kart/")
    html = response.text
    counts = {r.slug: r.activity_count for r in response.context["map"].relations}
    assert counts["kaunas"] == 2  # the public and the example activity, not the internal one
    assert INTERNAL_TITLE not in html and PUBLIC_TITLE not in html
    assert "Public activities" in html and "internal ones included" not in html


def test_staff_counts_include_internal_activities_and_say_so(staff_client, data):
    response = staff_client.get("/en/partnere/kart/")
    counts = {r.slug: r.activity_count for r in response.context["map"].relations}
    assert counts["kaunas"] == 3
    assert "Activities, internal ones included" in response.text
    assert INTERNAL_TITLE not in response.text  # counted, never named on the map


def test_empty_map_says_so(client, db):
    html = client.get("/en/partnere/kart/").text
    assert "No partners or arenas have a place on the map yet." in html


def test_partner_list_links_to_the_map(client, data):
    assert 'href="/en/partnere/kart/"' in client.get("/en/partnere/").text


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_map_only_answers_get_and_head(client, data, method):
    assert getattr(client, method)("/partnere/kart/").status_code == 405
    assert client.head("/partnere/kart/").status_code == 200


def add_partners(count: int, start: int = 0) -> None:
    BilateralPartner.objects.bulk_create(
        BilateralPartner(
            name=f"Region {n}",
            slug=f"region-{n}",
            country="DE",
            place=f"By {n}",
            latitude=Decimal(n % 140) - 70,
            longitude=Decimal(n % 340) - 170,
        )
        for n in range(start, start + count)
    )


@pytest.mark.parametrize("persona", ["anonymous", "staff"])
def test_map_queries_do_not_grow_from_10_to_500_partners(
    client, staff_user, data, django_assert_num_queries, persona
):
    if persona == "staff":
        client.force_login(staff_user)
    add_partners(10)
    small, first = count_queries(client.get, "/partnere/kart/")
    add_partners(490, start=10)
    with django_assert_num_queries(small):
        response = client.get("/partnere/kart/")
    assert len(response.context["map"].relations) == 505
    assert "Region 499" in response.text and "Region 499" not in first.text


def test_markup_in_a_name_or_place_is_text_on_the_map_and_in_the_list(client, db):
    BilateralPartner.objects.create(
        name="<script>alert(1)</script>",
        slug="x",
        country="LT",
        place="<svg onload=alert(2)>",
        latitude=54,
        longitude=24,
    )
    html = client.get("/en/partnere/kart/").text
    assert "<script>alert(1)" not in html and "<svg onload" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 2  # a marker and the list
    assert "&lt;svg onload=alert(2)&gt;" in place_list(html)


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize(
    "persona", ["anonymous", "staff_user", "other_staff_user", "editor_user", "admin_user"]
)
def test_everyone_reads_the_map_and_nobody_posts_to_it(request, data, persona, htmx):
    """The permission matrix: the map is public (GET, plain or htmx: the whole page) and
    read-only for every role (POST: 405, nothing changes)."""
    from django.test import Client

    client = Client()
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.get("/partnere/kart/", **headers)
    assert response.status_code == 200 and "<svg" in response.text
    before = list(BilateralPartner.objects.values_list("pk", "latitude", "longitude"))
    assert client.post("/partnere/kart/", {"latitude": "1"}, **headers).status_code == 405
    assert list(BilateralPartner.objects.values_list("pk", "latitude", "longitude")) == before
