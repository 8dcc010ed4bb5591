"""The example action plan load_demo adds (priorities.demo.demo_loaded): this year's measures,
invented and marked is_example, with fictional responsible people (the demo users)."""

import datetime

from django.utils import timezone

from priorities.models import Commitment, Strategy

from .models import Measure, State

# Per commitment code: (title, responsible unit, NOK, person-weeks, public), invented.
MEASURES = {
    "1.1": [
        (
            "Felles innspill til Nordsjøkommisjonens arbeidsprogram",
            "Internasjonalt team",
            None,
            4,
            True,
        ),
    ],
    "1.2": [
        ("Kartlegge medlemskap og hva de gir", "Internasjonalt team", None, 6, True),
        ("Budsjett for kontingenter neste år", "Økonomi", 450000, 1, False),
    ],
    "1.3": [("Hospitering i et europeisk nettverk", "Organisasjon og HR", 120000, 8, True)],
    "2.1": [
        ("Arbeidsplan med Kaunas for skole og kultur", "Kultur", 80000, 3, True),
        ("Digitalt møte med Schleswig-Holstein om hydrogen", "Næring", None, 1, True),
    ],
    "3.1": [("Søknadsverksted for Interreg ØKS", "Regional utvikling", 60000, 2, True)],
    "3.2": [
        (
            "Gjennomgang av tjenester som kan lære av europeiske partnere",
            "Samferdsel",
            None,
            5,
            True,
        )
    ],
    "3.3": [
        ("Prosjektidé om karbonfangst til Horisont Europa", "Klima og miljø", 200000, 10, True)
    ],
    "4.1": [
        ("Informasjonsmøter om EU-programmer for kommunene", "Internasjonalt team", 30000, 2, True)
    ],
    "4.2": [("Årlig internasjonal dag", "Kommunikasjon", 150000, 4, True)],
    "4.3": [("Kurs i prosjektledelse for ansatte", "Organisasjon og HR", 90000, 3, True)],
}
# A story per measure, in order: the states it went through (the last is its state now).
STORIES = [
    [State.PLANNED],
    [State.PLANNED, State.IN_PROGRESS],
    [State.PLANNED, State.IN_PROGRESS, State.DONE],
    [State.PLANNED, State.POSTPONED],
    [State.PLANNED, State.CANCELLED],
]
COMMENTS = {
    State.PLANNED: "Eksempel: tiltaket er satt opp i årets handlingsplan.",
    State.IN_PROGRESS: "Eksempel: arbeidet er i gang.",
    State.DONE: "Eksempel: gjennomført som planlagt.",
    State.POSTPONED: "Eksempel: utsatt til høsten på grunn av kapasitet.",
    State.CANCELLED: "Eksempel: avlyst; partneren trakk seg.",
}


def example_plan(sender=None, *, users: dict, **kwargs) -> str:
    """Add this year's example plan to the current strategy, unless one is there already."""
    strategy = Strategy.objects.current()
    if strategy is None or Measure.objects.filter(is_example=True).exists():
        return ""
    today = timezone.localdate()
    year = min(max(today.year, strategy.period_start), strategy.period_end)
    people = [users.get("saksbehandler"), users.get("saksbehandler2"), users.get("redaktor")]
    commitments = Commitment.objects.filter(priority__strategy=strategy).select_related("priority")
    count = 0
    for commitment in commitments:
        for title, unit, nok, weeks, public in MEASURES.get(commitment.code, []):
            story = STORIES[count % len(STORIES)]
            measure = Measure.objects.create(
                commitment=commitment,
                year=year,
                title=title,
                description="Eksempel på et tiltak, laget for demonstrasjon av portalen.",
                responsible_unit=unit,
                responsible=people[count % len(people)],
                deadline=datetime.date(year, 3 + (count * 2) % 10, 15),
                cost_nok=nok,
                person_weeks=weeks,
                is_public=public,
                is_example=True,
            )
            for step, state in enumerate(story):
                # Dated from the start of the year, a month apart, never in the future.
                on = min(datetime.date(year, 1 + step * 2, 10), today)
                measure.set_state(
                    state=state, comment=COMMENTS[state], author=measure.responsible,
                    changed_on=on, is_example=True,
                )  # fmt: skip
            count += 1
    return f"Added {count} example measures to the action plan {year}."
