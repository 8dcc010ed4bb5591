"""Shared data for the public page tests: one public, one internal and one example activity.

The internal activity is newer than the public one and touches the same commitment, partner
and organisation, so a leak would show in lists, counts, freshness and partner pages alike.
"""

import datetime

from django.utils import timezone

from partners.models import BilateralPartner, Organisation
from priorities.models import Activity, Commitment, Status

PUBLIC_TITLE = "Offentlig møte om grønn skipsfart"
INTERNAL_TITLE = "Internt forberedende møte om budsjett"
EXAMPLE_TITLE = "Eksempel: juletretenning i Kaunas"


def commitment(code: str) -> Commitment:
    priority, number = code.split(".")
    return Commitment.objects.select_related("priority").get(
        priority__number=int(priority), number=int(number)
    )


def make_activity(commitment: Commitment, title: str, days_ago: int, **extra) -> Activity:
    partners = extra.pop("partners", [])
    organisations = extra.pop("organisations", [])
    activity = Activity.objects.create(
        commitment=commitment,
        title=title,
        kind=extra.pop("kind", Activity.Kind.MEETING),
        start_date=timezone.localdate() - datetime.timedelta(days=days_ago),
        **extra,
    )
    activity.partners.set(partners)
    activity.organisations.set(organisations)
    return activity


def seed(author=None) -> dict:
    """Activities on commitment 1.1 with Kaunas and the North Sea Commission; a status."""
    c11 = commitment("1.1")
    kaunas = BilateralPartner.objects.get(slug="kaunas")
    nsc = Organisation.objects.get(slug="cpmr-north-sea-commission")
    public = make_activity(
        c11,
        PUBLIC_TITLE,
        100,
        place="Brussel",
        country="BE",
        description="Fylket la fram sitt innspill.",
        outcome="Et felles notat.",
        partners=[kaunas],
        organisations=[nsc],
    )
    internal = make_activity(
        c11, INTERNAL_TITLE, 1, is_public=False, partners=[kaunas], organisations=[nsc]
    )
    example = make_activity(
        commitment("2.1"),
        EXAMPLE_TITLE,
        400,
        kind=Activity.Kind.DELEGATION_VISIT,
        is_example=True,
        partners=[kaunas],
    )
    update = c11.set_status(
        status=Status.NEEDS_ATTENTION,
        assessment="Få aktiviteter siste halvår.",
        author=author,
    )
    return {
        "commitment": c11,
        "kaunas": kaunas,
        "nsc": nsc,
        "public": public,
        "internal": internal,
        "example": example,
        "status": update,
    }
