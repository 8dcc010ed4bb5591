"""The one PDF engine (strategy_portal/pdf.py): tagged A4 PDFs with page numbers and a table
of contents, drawn from the portal's own files only, built once per content key."""

import io

import pypdf
import pytest

from strategy_portal import pdf

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

DOCUMENT = """<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><title>Årsrapport 2025</title>
<link rel="stylesheet" href="/static/css/pdf.css">
{extra}
</head><body>
<h1>Årsrapport 2025</h1>
<nav class="pdf-toc"><h2>Innhold</h2><ol><li><a href="#del">Medlemskap</a></li></ol></nav>
<section class="pdf-part"><h2 id="del">Medlemskap</h2><p>Gjennomført: æøå.</p></section>
</body></html>"""


def read(data: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(data))


def test_a_tagged_a4_pdf_with_page_numbers_and_a_table_of_contents():
    reader = read(pdf.render_pdf(DOCUMENT.format(extra="")))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root  # tagged: screen readers read its structure
    assert root["/Lang"] == "nb"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert reader.metadata.title == "Årsrapport 2025"
    assert len(reader.pages) == 2
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    first, second = (page.extract_text() for page in reader.pages)
    assert "1 / 2" in first and "2 / 2" in second
    # The contents give the part's page, from the stylesheet's target-counter().
    assert "Medlemskap" in first and first.split("Medlemskap")[1].lstrip(". ").startswith("2")
    assert "Gjennomført: æøå." in second
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("DejaVu" in name for name in fonts)
    for font in fonts:
        assert "+" in font  # an embedded subset (ABCDEF+Name)


def test_nothing_is_fetched_from_outside_the_static_files(caplog):
    extra = (
        '<link rel="stylesheet" href="https://cdn.example.org/x.css"><img src="file:///etc/passwd">'
    )
    data = pdf.render_pdf(DOCUMENT.format(extra=extra))
    assert read(data).pages  # still a PDF, without the foreign files
    refused = [r.getMessage() for r in caplog.records if "static files" in r.getMessage()]
    assert any("cdn.example.org" in m for m in refused)


def test_a_pdf_is_built_once_per_content_key(settings, tmp_path):
    builds = []

    def build():
        builds.append(1)
        return pdf.render_pdf(DOCUMENT.format(extra=""))

    key = pdf.content_key("report", 2025, "v1")
    first = pdf.cached_pdf(key, build)
    again = pdf.cached_pdf(key, build)
    assert first == again and len(builds) == 1
    assert first.parent == tmp_path / "pdf"
    changed = pdf.cached_pdf(pdf.content_key("report", 2025, "v2"), build)
    assert changed != first and len(builds) == 2
    assert not list((tmp_path / "pdf").glob("*.part"))
