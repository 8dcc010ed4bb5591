"""The yearly report to the county council ("Årsrapport <år>"): an approved round in the
Norwegian layout, on the web and as a tagged PDF for the case in the archive.

The key figures, the statuses at year end and the year's activities come from the yearly
report's own build (priorities.reports.build_report): one place computes them. This adds the
round's approved entries (Gjennomført, Vurdering, Videre arbeid) and the year's public
measures with their state, and the activities appendix.
"""

import datetime
import time

from django.core.files import locks
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import translation

from counties.models import PortalOwner
from partners.models import BilateralPartner, Organisation
from planning.models import Measure
from priorities.models import Activity
from priorities.reports import build_report
from strategy_portal import pdf

from .models import EntryState, Round

# Up to this many public activities, the appendix lists every one of the year's; above it,
# the latest per commitment and kind (as the web report does) and the full list stays in the
# spreadsheet download. A PDF of tens of thousands of rows is thousands of pages that take
# minutes to draw and nobody reads; the archive's case gets the spreadsheet beside it.
APPENDIX_LIMIT = 1000


def build_annual_report(the_round: Round) -> dict:
    """Everything the Årsrapport shows, in a constant number of queries whatever the data."""
    strategy, year = the_round.strategy, the_round.year
    report = build_report(strategy, year)
    entries = {
        entry.commitment_id: entry for entry in the_round.entries.filter(state=EntryState.APPROVED)
    }
    measures: dict[int, list] = {}
    for measure in (
        Measure.objects.public().for_plan(strategy, year).with_state().order_by("deadline", "pk")
    ):
        measures.setdefault(measure.commitment_id, []).append(measure)
    for section in report["priorities"]:
        for commitment_report in section.commitments:
            commitment_report.entry = entries.get(commitment_report.commitment.pk)
            commitment_report.measures = measures.get(commitment_report.commitment.pk, [])
    report["appendix_complete"] = report["activity_count"] <= APPENDIX_LIMIT
    if report["appendix_complete"]:
        report["appendix"] = list(
            Activity.objects.public()
            .of_strategy(strategy)
            .for_year(year)
            .select_related("commitment__priority")
            .prefetch_related(
                Prefetch(
                    "partners", BilateralPartner.objects.order_by("slug"), to_attr="linked_partners"
                ),
                Prefetch(
                    "organisations",
                    Organisation.objects.order_by("slug"),
                    to_attr="linked_organisations",
                ),
            )
            .order_by("commitment__priority__number", "commitment__number", "start_date", "pk")
        )
    report.update(
        {
            "round": the_round,
            "strategy": strategy,
            "year": year,
            "introduction": [p for p in the_round.introduction.split("\n\n") if p.strip()],
            "year_end": datetime.date(year, 12, 31),
        }
    )
    return report


def pdf_key(the_round: Round) -> str | None:
    """One PDF per strategy, year, language and content version (strategy_portal.pdf); None
    when it must not be kept (the content version cannot be read)."""
    return pdf.content_version_key(
        "annual-report", the_round.strategy_id, the_round.year, translation.get_language()
    )


def render_annual_report_pdf(the_round: Round, address: str) -> bytes:
    """The Årsrapport as a tagged PDF, `address` its page on the web."""
    ctx = build_annual_report(the_round) | {
        "pdf": True,
        "address": address,
        "owner": PortalOwner.objects.get_owner(),
    }
    return pdf.render_pdf(render_to_string("reporting/annual_report_pdf.html", ctx))


def annual_report_pdf(the_round: Round, address: str, key: str):
    """The Årsrapport's PDF file for `key` (pdf_key), built the first time it is asked for."""
    directory = pdf.pdf_cache_dir()
    directory.mkdir(parents=True, exist_ok=True)
    # One build per key at a time: a visitor asking while another's request builds it waits
    # for that build (then gets the file) instead of building it again on a second core.
    with open(directory / f"{key}.lock", "wb") as lock_file:
        locks.lock(lock_file, locks.LOCK_EX)
        try:
            return pdf.cached_pdf(key, lambda: render_annual_report_pdf(the_round, address))
        finally:
            locks.unlock(lock_file)


def built_pdf(key: str):
    """The PDF file built for `key` (pdf_key), or None if it is not built yet."""
    path = pdf.pdf_cache_dir() / f"{key}.pdf"
    return path if path.is_file() else None


# A build asked for is not asked for again for this long (a worker that died lets go of it).
QUEUED_SECONDS = 600


def mark_queued(key: str) -> bool:
    """Note that a build for `key` is queued: True when it was not already (or the note is
    older than QUEUED_SECONDS), so only the first of many visitors queues it."""
    directory = pdf.pdf_cache_dir()
    directory.mkdir(parents=True, exist_ok=True)
    marker = directory / f"{key}.queued"
    try:
        if time.time() - marker.stat().st_mtime < QUEUED_SECONDS:
            return False
        marker.unlink(missing_ok=True)
    except FileNotFoundError:
        pass
    try:
        marker.open("x").close()
    except FileExistsError:
        return False  # another request queued it just now
    return True


def unmark_queued(key: str) -> None:
    """The queued build has run (or failed): the next request may queue one again."""
    (pdf.pdf_cache_dir() / f"{key}.queued").unlink(missing_ok=True)


def pdf_filename(the_round: Round) -> str:
    return f"arsrapport-{the_round.year}.pdf"
