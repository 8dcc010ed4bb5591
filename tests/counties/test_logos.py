"""A county's logo: SVG checked against an allowlist, PNG by its signature; served with care."""

import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from counties.logos import checked_logo, clean_svg
from counties.models import County
from tests.factories import make_county

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">{}</svg>'
SQUARE = '<rect width="10" height="10" fill="#005"/>'


def png(width: int = 2, height: int = 1) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height)))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.fixture(autouse=True)
def english_messages():
    """The checks' messages read in English here; the admin tests below read them in bokmål."""
    with translation.override("en"):
        yield


def refusal(svg: str) -> str:
    with pytest.raises(ValidationError) as raised:
        clean_svg(svg.encode())
    return " ".join(raised.value.messages)


def test_a_plain_svg_is_kept():
    cleaned = clean_svg(SVG.format(SQUARE).encode())
    assert b"<rect" in cleaned and b'fill="#005"' in cleaned


def test_svg_with_a_script_is_refused():
    message = refusal(SVG.format(SQUARE + "<script>alert(1)</script>"))
    assert "<script>" in message


def test_svg_with_a_script_in_another_case_or_nested_is_refused():
    assert "<script>" in refusal(SVG.format("<g><g><script>alert(1)</script></g></g>"))
    assert "<foreignObject>" in refusal(SVG.format("<foreignObject><p>x</p></foreignObject>"))


@pytest.mark.parametrize(
    "element",
    [
        '<use href="https://evil.example/x.svg#a"/>',
        '<use xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="//evil.example/x.svg#a"/>',
        '<use href="data:image/svg+xml;base64,PHN2Zz4="/>',
        '<rect width="1" height="1" fill="url(https://evil.example/p.svg#g)"/>',
        '<rect width="1" height="1" style="fill: url(\'/other.svg#g\')"/>',
        "<style>rect { fill: url(https://evil.example/x) }</style>",
    ],
)
def test_svg_with_an_external_reference_is_refused(element):
    assert "outside the file" in refusal(SVG.format(element))


def test_svg_with_an_imported_stylesheet_is_refused():
    assert "@import" in refusal(SVG.format("<style>@import url(#x);</style>"))


def test_svg_with_an_event_handler_attribute_is_refused():
    assert "onload" in refusal(SVG.format('<rect width="1" height="1" onload="alert(1)"/>'))
    assert "onclick" in refusal(
        '<svg xmlns="http://www.w3.org/2000/svg" onclick="alert(1)">' + SQUARE + "</svg>"
    )


def test_references_inside_the_file_are_kept():
    svg = SVG.format(
        '<defs><linearGradient id="g"><stop offset="0" stop-color="#000"/></linearGradient></defs>'
        '<rect width="10" height="10" fill="url(#g)"/><use href="#g"/>'
    )
    cleaned = clean_svg(svg.encode())
    assert b'fill="url(#g)"' in cleaned and b'href="#g"' in cleaned


def test_an_editors_metadata_and_unknown_attributes_are_dropped():
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
        'inkscape:version="1.3" data-x="1"><metadata>m</metadata><!-- a comment -->'
        + SQUARE
        + "</svg>"
    )
    cleaned = clean_svg(svg.encode())
    assert b"inkscape" not in cleaned
    assert b"metadata" not in cleaned and b"comment" not in cleaned and b"data-x" not in cleaned
    assert b"<rect" in cleaned


def test_svg_with_entities_is_refused():
    bomb = '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>'
    assert "DTD" in refusal(bomb)


def test_png_is_accepted_as_uploaded():
    data = png()
    assert checked_logo(data) == (data, "image/png")


def test_png_of_absurd_size_is_refused():
    with pytest.raises(ValidationError, match="pixels"):
        checked_logo(png(width=100_000))


@pytest.mark.parametrize("data", [b"GIF89a....", b"%PDF-1.7", b"plain text", b"\x89PNG\r\n\x1a\n"])
def test_a_file_that_is_neither_svg_nor_png_is_refused(data):
    with pytest.raises(ValidationError):
        checked_logo(data)


# --- In the admin -----------------------------------------------------------------------------


def post_county(admin_client, county, upload) -> object:
    return admin_client.post(
        f"/admin/counties/county/{county.pk}/change/",
        {
            "name_nb": county.name_nb,
            "name_nn": county.name_nn,
            "name_en": county.name_en,
            "slug": county.slug,
            "logo_upload": upload,
        },
    )


@pytest.mark.django_db
def test_admin_refuses_a_non_image_with_a_form_error(admin_client):
    county = make_county()
    upload = SimpleUploadedFile("logo.png", b"MZ\x90\x00 not an image", "image/png")
    response = post_county(admin_client, county, upload)
    assert response.status_code == 422  # the form again, with its message
    assert "Last opp logoen som et SVG- eller PNG-bilde; denne filen er ingen av delene." in (
        response.text
    )
    county.refresh_from_db()
    assert not county.has_logo


@pytest.mark.django_db
def test_admin_refuses_an_svg_with_a_script_and_keeps_the_old_logo(admin_client):
    county = make_county()
    county.set_logo(*checked_logo(png()))
    county.save()
    svg = SVG.format("<script>alert(1)</script>").encode()
    response = post_county(admin_client, county, SimpleUploadedFile("l.svg", svg, "image/svg+xml"))
    assert response.status_code == 422
    assert "SVG-filen inneholder et &lt;script&gt;-element." in response.text
    county.refresh_from_db()
    assert county.logo_type == "image/png"


@pytest.mark.django_db
def test_admin_stores_a_clean_svg_logo(admin_client):
    county = make_county()
    svg = SVG.format(SQUARE).encode()
    response = post_county(admin_client, county, SimpleUploadedFile("l.svg", svg, "image/svg+xml"))
    assert response.status_code == 302
    county.refresh_from_db()
    assert county.logo_type == "image/svg+xml"
    assert b"<rect" in bytes(county.logo)


# --- Served -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_svg_logo_is_served_with_a_restrictive_policy_and_a_long_cache(client):
    county = make_county()
    county.set_logo(*checked_logo(SVG.format(SQUARE).encode()))
    county.save()
    response = client.get(county.logo_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "sandbox" in csp and "script-src" not in csp
    assert "max-age=31536000" in response["Cache-Control"]
    assert response["ETag"].strip('"') == county.logo_hash
    again = client.get(county.logo_url(), headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304


@pytest.mark.django_db
def test_png_logo_is_served_as_png_and_an_old_address_briefly(client):
    county = make_county()
    county.set_logo(*checked_logo(png()))
    county.save()
    response = client.get(county.logo_url())
    assert response["Content-Type"] == "image/png"
    assert response.content == png()
    stale = client.get(county.logo_url().split("?")[0] + "?v=0000")
    assert stale.status_code == 200
    assert "max-age=300" in stale["Cache-Control"]


@pytest.mark.django_db
def test_a_county_without_a_logo_or_with_another_extension_is_404(client):
    county = make_county()
    assert client.get("/fylke/eksempelfylket/logo.svg").status_code == 404
    county.set_logo(*checked_logo(png()))
    county.save()
    assert client.get("/fylke/eksempelfylket/logo.svg").status_code == 404
    assert client.get("/fylke/nowhere/logo.png").status_code == 404
    assert County.objects.count() == 1
