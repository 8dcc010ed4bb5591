"""The Årsrapport's PDF, built by a django.tasks task so that no web request waits for
WeasyPrint: the request that finds no PDF for the current content version queues the build
(reporting.views.annual_report_pdf); `manage.py db_worker` runs it in production, the
immediate backend at once in development and tests."""

from django.tasks import task
from django.utils import translation

from . import annual
from .models import Round


@task
def build_annual_report_pdf(round_id: int, language: str, address: str) -> str:
    """Build the approved round's PDF in `language` (a no-op when it is built already).
    Returns the file's path, or "" when the round is no longer approved or the content
    version cannot be read."""
    the_round = (
        Round.objects.report_approved().select_related("strategy").filter(pk=round_id).first()
    )
    if the_round is None:
        return ""
    with translation.override(language):
        key = annual.pdf_key(the_round)
        if key is None:
            return ""  # the content version cannot be read: a request builds its own
        try:
            return str(annual.annual_report_pdf(the_round, address, key))
        finally:
            annual.unmark_queued(key)
