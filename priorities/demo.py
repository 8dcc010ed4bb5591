"""Example content for demos and benchmarks: invented activities, always marked is_example.

Never loaded by accident: every script that writes it (load_demo, bench/seed.py,
scripts/faults.py) asks may_write_examples() first, which allows it with DEBUG on or when the
script was given ALLOW_FLAG. While any is loaded, every page says so (demo_data_loaded()).
"""

import datetime
import random

from django.conf import settings
from django.dispatch import Signal

from partners.models import BilateralPartner, MembershipFee, Organisation, Programme, Seat

from .models import Activity, Commitment, Participant, StatusUpdate, Visit

# The flag that lets a script write invented data with DEBUG off (a benchmark's own database).
ALLOW_FLAG = "--allow-example-data"


# Sent by load_demo after it added its example activities, with `users` ({username: User}):
# apps above priorities (the action plan) add their own examples without priorities
# importing them.
demo_loaded = Signal()


class ExampleDataRefused(Exception):
    """A script was about to write invented data with DEBUG off and without ALLOW_FLAG."""


def may_write_examples(script: str, *, allowed: bool) -> None:
    """Refuse (ExampleDataRefused) unless DEBUG is on or the script was given ALLOW_FLAG.

    `allowed`: whether the flag was given. The one rule for every script that writes demo data.
    """
    if settings.DEBUG or allowed:
        return
    raise ExampleDataRefused(
        f"{script} writes invented example data into the database: it only runs with DEBUG=1, "
        f"or with {ALLOW_FLAG} for a database of its own (a benchmark, a drill, a demo site). "
        "Never in production."
    )


def demo_data_loaded() -> bool:
    """True while any example activity or status update is in the database: pages then say
    so (priorities.context_processors.demo)."""
    return (
        Activity.objects.filter(is_example=True).exists()
        or StatusUpdate.objects.filter(is_example=True).exists()
    )


# Per commitment code: (title, kind, place, country) patterns, invented for the demo.
TITLES = {
    "1.1": [
        ("Innspill om grønn skipsfart til Nordsjøkommisjonen", "meeting", "Brussel", "BE"),
        ("Generalforsamling i CPMR Nordsjøkommisjonen", "conference", "Stavanger", "NO"),
        ("Felles høringssvar om EUs regionalpolitikk", "consultation_response", "Skien", "NO"),
        ("Posisjonsnotat til Nordsjøkommisjonen om havvind", "position", "Skien", "NO"),
    ],
    "1.2": [
        ("Nettverksmøte i Osloregionens Europakontor", "network_work", "Brussel", "BE"),
        ("Prosjektidéverksted med partnere i Nordsjøregionen", "meeting", "Aberdeen", "GB"),
        ("Styremøte i Osloregionens Europakontor", "network_work", "Oslo", "NO"),
    ],
    "1.3": [
        ("Studietur om hydrogen i transportsektoren", "delegation_visit", "Hamburg", "DE"),
        ("Erfaringsutveksling om klimatilpasning i ERRIN", "meeting", "Brussel", "BE"),
        ("Webinar om europeisk helsesamarbeid (EUREGHA)", "knowledge_sharing", "", ""),
    ],
    "2.1": [
        ("Juletretenning og delegasjonsbesøk i Kaunas", "delegation_visit", "Kaunas", "LT"),
        ("Digitalt møte med Hubei om fagskolesamarbeid", "meeting", "", "CN"),
        ("Kulturutveksling med Minnesota", "project", "Minneapolis", "US"),
        ("Felleskommisjonen Schleswig-Holstein og Østlandet", "meeting", "Kiel", "DE"),
    ],
    "3.1": [
        (
            "Søknad om Interreg ØKS-prosjekt om grønn godstransport",
            "project_application",
            "Tønsberg",
            "NO",
        ),
        ("Oppstart av Erasmus+-prosjekt for yrkesfag", "project", "Porsgrunn", "NO"),
        ("Partnermøte i Interreg Nordsjøprosjekt", "meeting", "Esbjerg", "DK"),
    ],
    "3.2": [
        ("Pilot for digitale tjenester med europeiske partnere", "project", "Sandefjord", "NO"),
        ("Evaluering av kollektivprosjekt med svenske partnere", "publication", "Göteborg", "SE"),
    ],
    "3.3": [
        ("Karbonfangst og industri: prosjektmøte", "project", "Herøya", "NO"),
        ("Søknad til Horisont Europa om fornybar energi", "project_application", "Skien", "NO"),
    ],
    "4.1": [
        ("Informasjonsmøte om EU-programmer for kommunene", "knowledge_sharing", "Larvik", "NO"),
        ("Veileder om Erasmus+ for skolene", "publication", "", "NO"),
    ],
    "4.2": [
        ("Internasjonal dag for næringsliv og kommuner", "knowledge_sharing", "Notodden", "NO"),
        ("Møteplass for prosjektsøkere i fylket", "knowledge_sharing", "Horten", "NO"),
    ],
    "4.3": [
        ("Kurs i europeisk prosjektledelse for ansatte", "knowledge_sharing", "Skien", "NO"),
        ("Hospitering ved Osloregionens Europakontor", "other", "Brussel", "BE"),
    ],
}

PARTNER_HINTS = {
    "Kaunas": "kaunas",
    "Hubei": "hubei",
    "Minnesota": "midwest-usa",
    "Schleswig-Holstein": "schleswig-holstein",
}
ORGANISATION_HINTS = {
    "Nordsjø": "cpmr-north-sea-commission",
    "Osloregionens": "osloregionens-europakontor",
    "ERRIN": "errin",
    "EUREGHA": "euregha",
    "Schleswig-Holstein": "ostlandssamarbeidet",
}
PROGRAMME_HINTS = {
    "Interreg ØKS": "interreg-oks",
    "Erasmus+": "erasmus-plus",
    "Nordsjøprosjekt": "interreg-north-sea",
    "Horisont Europa": "horizon-europe",
    "Karbonfangst": "horizon-2020",
}


def example_activities(
    count: int,
    *,
    seed: int = 2020,
    first=datetime.date(2020, 7, 1),
    last: datetime.date | None = None,
    authors=(),
):
    """Create `count` example activities spread over every commitment; returns them."""
    rng = random.Random(seed)
    last = last or datetime.date.today()
    span = (last - first).days
    commitments = list(Commitment.objects.select_related("priority"))
    partners = {p.slug: p for p in BilateralPartner.objects.all()}
    organisations = {o.slug: o for o in Organisation.objects.all()}
    programmes = {p.slug: p for p in Programme.objects.all()}

    activities, links = [], []
    for i in range(count):
        commitment = commitments[i % len(commitments)]
        # Round-robin over the patterns so every partner and arena gets activities.
        patterns = TITLES.get(commitment.code, TITLES["4.2"])
        title, kind, place, country = patterns[(i // len(commitments)) % len(patterns)]
        start = first + datetime.timedelta(days=rng.randrange(span + 1))
        programme = next(
            (programmes.get(s) for h, s in PROGRAMME_HINTS.items() if h in title), None
        )
        activities.append(
            Activity(
                commitment=commitment,
                title=title,
                kind=kind,
                start_date=start,
                end_date=start + datetime.timedelta(days=rng.choice([0, 0, 1, 2])),
                place=place,
                country=country,
                description="Eksempel på en aktivitet, laget for demonstrasjon av portalen.",
                outcome=rng.choice(
                    ["", "Nye kontakter og et felles notat.", "Grunnlag for en prosjektsøknad."]
                ),
                programme=programme,
                is_public=rng.random() < 0.8,
                is_example=True,
                created_by=rng.choice(authors) if authors else None,
            )
        )
        links.append(
            (
                [partners[s] for h, s in PARTNER_HINTS.items() if h in title and s in partners],
                [
                    organisations[s]
                    for h, s in ORGANISATION_HINTS.items()
                    if h in title and s in organisations
                ],
            )
        )
    created = Activity.objects.bulk_create(activities, batch_size=1000)
    partner_rows, organisation_rows = [], []
    for activity, (activity_partners, activity_organisations) in zip(created, links, strict=True):
        partner_rows += [(activity, p) for p in activity_partners]
        organisation_rows += [(activity, o) for o in activity_organisations]
    PartnerLink = Activity.partners.through
    OrganisationLink = Activity.organisations.through
    PartnerLink.objects.bulk_create(
        [PartnerLink(activity=a, bilateralpartner=p) for a, p in partner_rows]
    )
    OrganisationLink.objects.bulk_create(
        [OrganisationLink(activity=a, organisation=o) for a, o in organisation_rows]
    )
    return created


# Invented delegation visits with fictional participants (load_demo): (commitment code, title,
# direction, place, country, partner or arena slug, purpose, follow-up, cost, days ago,
# participants as (name, title, role, organisation)).
POLITICIAN, STAFF, OTHER = (
    Participant.Role.POLITICIAN,
    Participant.Role.STAFF,
    Participant.Role.OTHER,
)
VISITS = [
    (
        "2.1",
        "Delegasjon til Kaunas om yrkesfag",
        Visit.Direction.OUTGOING,
        "Kaunas",
        "LT",
        "kaunas",
        "Bli kjent med Kaunas' yrkesfagsentre og drøfte utveksling av lærlinger.",
        "Partnerne sender et utkast til utvekslingsavtale innen sommeren.",
        "84500",
        120,
        [
            ("Eva Eksempeldal", "fylkesordfører (eksempel)", POLITICIAN, ""),
            ("Jonas Prøveby", "rådgiver internasjonalt (eksempel)", STAFF, ""),
        ],
    ),
    (
        "2.1",
        "Besøk fra Hubei-provinsen om fagskoler",
        Visit.Direction.INCOMING,
        "Skien",
        "NO",
        "hubei",
        "Vise fram fagskoletilbudet i fylket for en delegasjon fra Hubei.",
        "Felles webinar for fagskolene til høsten.",
        "23000",
        200,
        [
            ("Lise Demostad", "leder av hovedutvalg (eksempel)", POLITICIAN, ""),
            ("Wei Eksempel", "", OTHER, "Hubei-provinsens utdanningsavdeling (eksempel)"),
        ],
    ),
    (
        "2.1",
        "Studiereise til Schleswig-Holstein om hydrogen",
        Visit.Direction.OUTGOING,
        "Kiel",
        "DE",
        "schleswig-holstein",
        "Lære av Schleswig-Holsteins satsing på hydrogen i kollektivtrafikken.",
        "",
        None,
        320,
        [("Tor Oppdiktet", "seniorrådgiver (eksempel)", STAFF, "")],
    ),
    (
        "1.1",
        "Politisk delegasjon til Brussel",
        Visit.Direction.OUTGOING,
        "Brussel",
        "BE",
        "cpmr-north-sea-commission",
        "Møte EU-institusjonene om regionalpolitikken etter 2027.",
        "Innspill sendes gjennom Nordsjøkommisjonen innen fristen.",
        "61250",
        60,
        [
            ("Eva Eksempeldal", "fylkesordfører (eksempel)", POLITICIAN, ""),
            ("Hanne Fiktiv", "EU-rådgiver (eksempel)", STAFF, ""),
            ("Marc Modèle", "", OTHER, "Osloregionens Europakontor (eksempel)"),
        ],
    ),
]


def example_visits(
    *, author=None, limit: int | None = None, today: datetime.date | None = None
) -> list[Activity]:
    """Create the invented delegation visits of VISITS (is_example), at most `limit`; returns
    the activities."""
    today = today or datetime.date.today()
    commitments = {c.code: c for c in Commitment.objects.select_related("priority")}
    partners = {p.slug: p for p in BilateralPartner.objects.all()}
    organisations = {o.slug: o for o in Organisation.objects.all()}
    created = []
    for (
        code,
        title,
        direction,
        place,
        country,
        link,
        purpose,
        follow_up,
        cost,
        ago,
        people,
    ) in VISITS[:limit]:
        if code not in commitments:
            continue
        start = today - datetime.timedelta(days=ago)
        activity = Activity.objects.create(
            commitment=commitments[code],
            title=title,
            kind=Activity.Kind.DELEGATION_VISIT,
            start_date=start,
            end_date=start + datetime.timedelta(days=2),
            place=place,
            country=country,
            description="Eksempel på et delegasjonsbesøk, laget for demonstrasjon av portalen.",
            is_example=True,
            created_by=author,
        )
        if link in partners:
            activity.partners.add(partners[link])
        elif link in organisations:
            activity.organisations.add(organisations[link])
        visit = Visit.objects.create(
            activity=activity,
            direction=direction,
            purpose=purpose,
            follow_up=follow_up,
            cost=cost,
        )
        Participant.objects.bulk_create(
            Participant(visit=visit, name=name, title=title_, role=role, organisation=org)
            for name, title_, role, org in people
        )
        created.append(activity)
    return created


# Invented membership fees (NOK) per arena and year: examples, not the real amounts.
EXAMPLE_FEES = {
    "cpmr-north-sea-commission": 95_000,
    "osloregionens-europakontor": 450_000,
    "ostlandssamarbeidet": 120_000,
}

# Invented seats with fictional people (real seat holders are not in FACTS.md): slug, body
# (nb, nn, en), role, representative, deputy, start and end (days from today; None: open).
EXAMPLE_SEATS = [
    (
        "cpmr-north-sea-commission",
        ("Generalforsamlingen", "Generalforsamlinga", "General Assembly"),
        Seat.Role.MEMBER,
        "Eksempel: Astrid Fiktivsen",
        "Eksempel: Bjørn Oppdiktet",
        datetime.date(2020, 1, 1),
        datetime.date(2023, 12, 31),
    ),
    (
        "cpmr-north-sea-commission",
        ("Generalforsamlingen", "Generalforsamlinga", "General Assembly"),
        Seat.Role.MEMBER,
        "Eksempel: Camilla Tenktsdatter",
        "Eksempel: Dag Lånetnavn",
        datetime.date(2024, 1, 1),
        None,
    ),
    (
        "osloregionens-europakontor",
        ("Styret", "Styret", "Board"),
        Seat.Role.BOARD_MEMBER,
        "Eksempel: Eirik Påfunnsen",
        "",
        datetime.date(2024, 1, 1),
        60,  # ends soon: the staff pages flag it
    ),
    (
        "ostlandssamarbeidet",
        ("Politisk råd", "Politisk råd", "Political Council"),
        Seat.Role.VICE_CHAIR,
        "Eksempel: Frida Fantasia",
        "Eksempel: Geir Innbilt",
        datetime.date(2024, 1, 1),
        datetime.date(2027, 12, 31),
    ),
]


def example_seats_and_fees(*, today: datetime.date | None = None) -> int:
    """Invented fees (2020 to this year) and seats for the arenas that are there; every row
    marked is_example. Returns how many rows were added."""
    today = today or datetime.date.today()
    organisations = Organisation.objects.in_bulk(
        [*EXAMPLE_FEES, *(row[0] for row in EXAMPLE_SEATS)], field_name="slug"
    )
    fees = [
        MembershipFee(
            organisation=organisations[slug],
            year=year,
            amount=amount + 2_500 * (year - 2020),
            note="Eksempel: oppdiktet beløp",
            is_example=True,
        )
        for slug, amount in EXAMPLE_FEES.items()
        if slug in organisations
        for year in range(2020, today.year + 1)
    ]
    seats = []
    for slug, (nb, nn, en), role, representative, deputy, start, end in EXAMPLE_SEATS:
        if slug not in organisations:
            continue
        if isinstance(end, int):
            end = today + datetime.timedelta(days=end)
        seats.append(
            Seat(
                organisation=organisations[slug],
                body_nb=nb,
                body_nn=nn,
                body_en=en,
                role=role,
                representative=representative,
                deputy=deputy,
                term_start=start,
                term_end=end,
                is_example=True,
            )
        )
    MembershipFee.objects.bulk_create(fees)
    Seat.objects.bulk_create(seats)
    return len(fees) + len(seats)
