"""PDFs for the archive, made with WeasyPrint: the yearly report to the county council and the
briefing packs use this one engine.

`render_pdf(html)` turns a rendered template into an A4 PDF that is tagged (PDF/UA-1: a
structure tree, so screen readers can read it, the document's language and title) with its
fonts embedded. The PDF is drawn from the portal's own files only: the fetcher below serves the
static files (the stylesheet static/css/pdf.css) and refuses every other address, so building a
PDF never makes a request outside the machine.

`cached_pdf(key, build)` keeps each built PDF as a file named by its content key, so a PDF is
built once per content version and served afterwards like a static file.
"""

import hashlib
import logging
import mimetypes
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import get_valid_filename

from strategy_portal import cache as page_cache

logger = logging.getLogger(__name__)

# Relative addresses in a PDF template (`{% static %}` gives /static/...) resolve against this
# base. It is never fetched: the fetcher maps it onto the static files.
BASE_URL = "https://pdf.invalid/"


def _import_weasyprint():
    # Imported on use: WeasyPrint loads Pango through cffi, which pages that never make a PDF
    # need not pay for at start-up.
    import weasyprint

    return weasyprint


def static_file(name: str) -> Path | None:
    """The file behind a static name, collected (production) or found (development)."""
    if settings.STATIC_ROOT and Path(settings.STATIC_ROOT, name).is_file():
        return Path(staticfiles_storage.path(name))
    found = finders.find(name)
    return Path(found) if found else None


def _fetcher_class():
    weasyprint = _import_weasyprint()

    class StaticFilesOnly(weasyprint.URLFetcher):
        """Serves /static/... from the portal's files; refuses everything else."""

        def fetch(self, url, headers=None):
            prefix = BASE_URL + settings.STATIC_URL.lstrip("/")
            path = static_file(url.removeprefix(prefix)) if url.startswith(prefix) else None
            if path is None:
                raise ValueError(f"A PDF may only use the portal's static files, not {url}")
            return weasyprint.urls.URLFetcherResponse(
                url,
                path.read_bytes(),
                {"Content-Type": mimetypes.guess_type(path.name)[0] or "application/octet-stream"},
            )

    return StaticFilesOnly


def render_pdf(html: str) -> bytes:
    """An A4, tagged (PDF/UA-1) PDF of `html`, a whole document with `<html lang>` and
    `<title>`; page size, page numbers and the table of contents' page references come from
    the stylesheet it links (static/css/pdf.css)."""
    weasyprint = _import_weasyprint()
    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher_class()())
    return document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)


def pdf_cache_dir() -> Path:
    return Path(settings.PDF_CACHE_DIR)


def content_key(*parts: object) -> str:
    """A key for one version of a PDF's content: the same parts give the same key."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def content_version_key(*parts: object) -> str | None:
    """The key of a PDF that shows the portal's content: `parts` (what else it depends on),
    the content version (any change to the content bumps it, strategy_portal/cache.py) and
    the code version (a new template or stylesheet). None when the PDF must not be kept: a
    write of this request not committed yet, or the shared cache that holds the version
    unreachable; the caller then builds it for this request only."""
    if page_cache.writes_pending():
        return None
    try:
        version = page_cache.current_version(page_cache.page_cache())
    except Exception:
        logger.exception("page cache unavailable; the PDF is built afresh and not kept")
        return None
    return content_key(*parts, version, page_cache.code_version())


def cached_pdf(key: str, build: Callable[[], bytes]) -> Path:
    """The PDF file for `key`, built by `build()` the first time only. Written to a temporary
    file and renamed into place, so a reader never sees half a PDF and two builders at once
    both leave a whole one."""
    directory = pdf_cache_dir()
    path = directory / f"{get_valid_filename(key)}.pdf"
    if path.is_file():
        return path
    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=directory, suffix=".part", delete=False) as part:
        part.write(build())
    Path(part.name).replace(path)
    return path


def pdf_response(content: bytes, filename: str, *, as_attachment: bool = False) -> HttpResponse:
    """Serve a PDF with its name: the (built file's) bytes, not a stream, because a whole
    response is what the page cache keeps (strategy_portal/cache.py, under the content version
    the file was built for), so later anonymous visitors get it without a query, as fast as a
    static file (bench/run.py measures it). The PDFs are tens to hundreds of KB."""
    return HttpResponse(
        content,
        content_type="application/pdf",
        headers={"Content-Disposition": content_disposition_header(as_attachment, filename)},
    )
