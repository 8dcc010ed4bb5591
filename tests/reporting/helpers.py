"""Plain helpers shared by the reporting rounds' tests."""

import datetime

from django.utils import timezone

from priorities.models import StatusUpdate, Strategy
from reporting.models import Entry, Round
from tests.priorities.workspace_helpers import HX, url  # noqa: F401

YEAR = timezone.localdate().year


def open_round(year: int = YEAR, **fields) -> Round:
    """This year's round of the current strategy, open since January, due in a month."""
    today = timezone.localdate()
    defaults = {
        "opens_on": datetime.date(year, 1, 1),
        "deadline": today + datetime.timedelta(days=30),
        "grace_days": 14,
    }
    new_round = Round(strategy=Strategy.objects.current(), year=year, **(defaults | fields))
    new_round.open()
    return new_round


def entry_of(the_round: Round, code: str = "1.1") -> Entry:
    priority, number = code.split(".")
    return the_round.entries.select_related("commitment__priority").get(
        commitment__priority__number=int(priority), commitment__number=int(number)
    )


def entry_url(entry: Entry, name: str = "reporting:entry") -> str:
    return url(name, entry.round.year, entry.pk)


def entry_data(entry: Entry, action: str = "save", **overrides) -> dict:
    """A valid POST for the entry form, as the form was opened."""
    data = {
        "done": "Søknadsverksted i mars; to nye Interreg-prosjekter.",
        "assessment": "Godt i gang, men kommunene trenger mer hjelp med søknadene.",
        "status": "on_track",
        "next_steps": "Nytt verksted i 2027.",
        "version": entry.updated_at.isoformat(),
        "action": action,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def review_data(action: str, comment: str = "") -> dict:
    return {"review-action": action, "review-comment": comment}


def round_data(**overrides) -> dict:
    data = {
        "year": str(YEAR),
        "opens_on": f"{YEAR}-01-01",
        "deadline": f"{YEAR}-12-31",
        "grace_days": "14",
    }
    data.update(overrides)
    return data


def snapshot() -> tuple:
    """Everything the reporting forms can write, to check that nothing was saved."""
    return (
        list(Round.objects.order_by("pk").values_list()),
        list(Entry.objects.order_by("pk").values_list()),
        Entry.history.count(),
        StatusUpdate.objects.count(),
    )


INTRODUCTION = "Fylkesrådet legger med dette fram årsrapporten.\n\nEt år med mye samarbeid."


def approve_all(the_round: Round, editor, *, report: bool = True) -> Round:
    """Every entry written, submitted and approved by `editor`; with `report`, the round's
    yearly report approved too, with INTRODUCTION."""
    for number, entry in enumerate(the_round.entries.select_related("commitment__priority")):
        entry.status = "on_track"
        entry.assessment = f"Vurdering av {entry.commitment.code}: godt i gang."
        entry.done = f"Gjennomført under {entry.commitment.code}: samling nr. {number}."
        entry.next_steps = f"Videre arbeid for {entry.commitment.code}."
        entry.submit(editor)
        entry.approve(editor)
    if report:
        the_round.introduction = INTRODUCTION
        the_round.approve_report(editor)
    return the_round
