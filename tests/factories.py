"""Test data, from one place: plain functions, called by tests and by tests/conftest.py's fixtures.

Each makes one valid object with plain defaults; a test passes what it is about.
"""

import datetime

from django.contrib.auth.models import Group, User
from django.utils import timezone

from counties.models import County, PortalOwner
from priorities.models import (
    Activity,
    Commitment,
    Participant,
    Priority,
    Status,
    StatusUpdate,
    Strategy,
    Visit,
)
from priorities.roles import STAFF_GROUP, ensure_roles

PASSWORD = "a-long-test-password-42"


def make_user(username: str, group: str | None = None, **extra) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, first_name="Test", last_name=username.title(), **extra
    )
    if group:
        # Transactional tests flush the tables, groups made by the data migration included.
        ensure_roles()
        user.groups.add(Group.objects.get(name=group))
    return user


def get_commitment(code: str = "1.1") -> Commitment:
    """A commitment of the current strategy by its code ("2.1": priority 2, commitment 1)."""
    priority, number = code.split(".")
    return (
        Commitment.objects.of_strategy(Strategy.objects.current())
        .select_related("priority")
        .get(priority__number=int(priority), number=int(number))
    )


def make_activity(
    commitment: Commitment,
    author: User | None = None,
    *,
    days_ago: int | None = None,
    partners=(),
    organisations=(),
    **fields,
) -> Activity:
    """A public meeting on 1 March 2025 (or `days_ago` days before today), by `author`."""
    defaults = {
        "title": "Møte",
        "kind": Activity.Kind.MEETING,
        "start_date": datetime.date(2025, 3, 1),
        "created_by": author,
    }
    if days_ago is not None:
        fields["start_date"] = timezone.localdate() - datetime.timedelta(days=days_ago)
    activity = Activity.objects.create(commitment=commitment, **(defaults | fields))
    if partners:
        activity.partners.set(partners)
    if organisations:
        activity.organisations.set(organisations)
    return activity


def make_visit(
    commitment: Commitment,
    author: User | None = None,
    *,
    participants=(("Eva Eksempeldal", "fylkesordfører", Participant.Role.POLITICIAN, ""),),
    visit: dict | None = None,
    **fields,
) -> Activity:
    """A public outgoing delegation visit to Kaunas (an activity with its Visit), with one
    fictional politician; `visit` overrides the Visit's fields, the rest the activity's."""
    fields = {
        "title": "Delegasjon til Kaunas",
        "kind": Activity.Kind.DELEGATION_VISIT,
        "place": "Kaunas",
        "country": "LT",
    } | fields
    activity = make_activity(commitment, author, **fields)
    defaults = {
        "direction": Visit.Direction.OUTGOING,
        "purpose": "Drøfte utveksling av lærlinger.",
        "follow_up": "Utkast til avtale innen sommeren.",
        "cost": None,
    }
    made = Visit.objects.create(activity=activity, **(defaults | (visit or {})))
    for name, title, role, organisation in participants:
        made.participants.create(name=name, title=title, role=role, organisation=organisation)
    return activity


def make_status_update(
    commitment: Commitment,
    author: User | None = None,
    *,
    status: str = Status.ON_TRACK,
    assessment: str = "Vurdering.",
    days_ago: int | None = None,
    **fields,
) -> StatusUpdate:
    """A status update made now (or `days_ago` days ago; or at `created_at`)."""
    if days_ago is not None:
        fields["created_at"] = timezone.now() - datetime.timedelta(days=days_ago)
    return StatusUpdate.objects.create(
        commitment=commitment, status=status, assessment=assessment, author=author, **fields
    )


def make_owner(commitment: Commitment, username: str = "owner") -> User:
    """A staff member who owns the commitment (owners may set its status)."""
    user = make_user(username, STAFF_GROUP)
    commitment.owners.add(user)
    return user


def make_county(slug: str = "eksempelfylket", **fields):
    """A fictional county authority; names in three languages unless the test gives its own."""
    defaults = {
        "name_nb": "Eksempelfylket fylkeskommune",
        "name_nn": "Eksempelfylket fylkeskommune",
        "name_en": "Eksempelfylket County Authority",
    }
    return County.objects.create(slug=slug, **(defaults | fields))


def make_portal_owner(county=None, **fields):
    """The portal's one owner row, with a feedback contact and a statement date."""
    defaults = {
        "accessibility_email": "tilbakemelding@example.org",
        "statement_date": datetime.date(2026, 11, 26),
    }
    return PortalOwner.objects.create(county=county or make_county(), **(defaults | fields))


def make_measure(commitment: Commitment, *, year: int | None = None, **fields):
    """A public measure of this year's plan (or `year`'s) under `commitment`."""
    from planning.models import Measure

    year = year or timezone.localdate().year
    defaults = {
        "title": "Felles søknadsverksted",
        "responsible_unit": "Internasjonalt team",
        "deadline": datetime.date(year, 10, 1),
    }
    return Measure.objects.create(commitment=commitment, year=year, **(defaults | fields))


def make_other_strategy_commitment() -> Commitment:
    """Commitment 1.1 of a second, older strategy ("annen"), beside the current one."""
    other = Strategy.objects.create(
        title="Annen strategi", slug="annen", adopted_by="Fylkestinget",
        adopted_on=datetime.date(2019, 1, 1), period_start=2019, period_end=2022,
        purpose="Formål.", sdg_statement="Mål 17.",
    )  # fmt: skip
    priority = Priority.objects.create(strategy=other, number=1, slug="annen-1", title="Annet")
    return Commitment.objects.create(priority=priority, number=1, text="Fylket skal.")


def make_project(**fields):
    """A public, granted project in Interreg ØKS with a budget and the county's share."""
    from partners.models import Programme
    from projects.models import Project, Role, State

    defaults = {
        "name": "Grønn godstransport",
        "acronym": "GRØNN",
        "programme": Programme.objects.filter(slug="interreg-oks").first(),
        "role": Role.PARTNER,
        "state": State.GRANTED,
        "decided_on": datetime.date(2025, 3, 1),
        "start_date": datetime.date(2025, 5, 1),
        "total_budget_eur": 1_000_000,
        "county_share_eur": 200_000,
        "eur_nok_rate": "11.5",
        "rate_date": datetime.date(2025, 1, 2),
    }
    return Project.objects.create(**(defaults | fields))


def make_seat(organisation, **fields):
    """A member's seat in the general assembly, 2024 to 2027."""
    from partners.models import Seat

    defaults = {
        "body": "Generalforsamlingen",
        "role": Seat.Role.MEMBER,
        "representative": "Eksempel: Astrid Fiktivsen",
        "deputy": "Eksempel: Bjørn Oppdiktet",
        "term_start": datetime.date(2024, 1, 1),
        "term_end": datetime.date(2027, 12, 31),
    }
    return Seat.objects.create(organisation=organisation, **(defaults | fields))


def make_fee(organisation, year: int, amount: int = 95_000, **fields):
    from partners.models import MembershipFee

    return MembershipFee.objects.create(
        organisation=organisation, year=year, amount=amount, **fields
    )
