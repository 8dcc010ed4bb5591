"""The example reporting rounds load_demo adds (priorities.demo.demo_loaded): last year's,
approved as the yearly report (Årsrapport) with an invented introduction, and this year's,
half-finished; invented and marked is_example."""

import datetime

from django.utils import timezone

from priorities.management.commands.load_demo import STATUS_STORY
from priorities.models import Strategy

from .models import Round

# The demo's status stories (one status, one text), so its assessments read alike.
ASSESSMENTS = STATUS_STORY[1:]
NEXT_STEPS = "Eksempel: videreføre samarbeidet og søke nye prosjektmidler."
INTRODUCTION = (
    "Eksempel: Dette er en oppdiktet innledning til årsrapporten, skrevet for demonstrasjonen.\n\n"
    "Året var preget av tett samarbeid med partnerregionene og flere nye søknader til "
    "europeiske programmer. Rapporten viser status, vurdering og videre arbeid for hver "
    "forpliktelse i strategien, med tiltakene i handlingsplanen og årets aktiviteter som vedlegg."
)


def example_rounds(sender=None, *, users: dict, **kwargs) -> str:
    """Last year's round, every entry approved, and this year's: some approved, submitted
    and returned, the rest drafts. Nothing when example rounds are there already."""
    strategy = Strategy.objects.current()
    if strategy is None or Round.objects.filter(is_example=True).exists():
        return ""
    today = timezone.localdate()
    editor, owner = users.get("redaktor"), users.get("saksbehandler")
    added = []
    last = today.year - 1
    if strategy.period_start <= last <= strategy.period_end:
        the_round = _open(strategy, last, datetime.date(last, 11, 1), datetime.date(last, 12, 15))
        for number, entry in enumerate(the_round.entries.select_related("commitment")):
            _write(entry, number, owner)
            entry.approve(editor)
        # Every entry approved: the round becomes the yearly report to the county council.
        the_round.introduction = INTRODUCTION
        the_round.approve_report(editor)
        added.append(str(the_round))
    if strategy.period_start <= today.year <= strategy.period_end:
        the_round = _open(
            strategy, today.year, today - datetime.timedelta(days=14),
            today + datetime.timedelta(days=21),
        )  # fmt: skip
        for number, entry in enumerate(the_round.entries.select_related("commitment")):
            if number % 4 == 3:
                continue  # a draft, not written yet
            _write(entry, number, owner)
            if number % 4 == 1:
                entry.approve(editor)
            elif number % 4 == 2:
                entry.return_to_owner(editor, "Eksempel: skriv litt mer om hva som ble gjort.")
        added.append(str(the_round))
    return f"Added the example reporting rounds: {', '.join(added)}." if added else ""


def _open(strategy, year, opens_on, deadline) -> Round:
    the_round = Round(
        strategy=strategy, year=year, opens_on=opens_on, deadline=deadline, is_example=True
    )
    the_round.open()
    return the_round


def _write(entry, number: int, owner) -> None:
    entry.status, entry.assessment = ASSESSMENTS[number % len(ASSESSMENTS)]
    entry.next_steps = NEXT_STEPS
    entry.done = entry.done or "Eksempel: møter og samlinger med partnerne."
    entry.submit(owner)
