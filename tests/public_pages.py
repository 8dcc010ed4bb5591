"""Shared data for the public page tests: one public, one internal and one example activity.

The internal activity is newer than the public one and touches the same commitment, partner
and organisation, so a leak would show in lists, counts, freshness and partner pages alike.
"""

from partners.models import BilateralPartner, Organisation
from priorities.models import Activity, Status
from tests.factories import get_commitment, make_activity

PUBLIC_TITLE = "Offentlig møte om grønn skipsfart"
INTERNAL_TITLE = "Internt forberedende møte om budsjett"
EXAMPLE_TITLE = "Eksempel: juletretenning i Kaunas"


def seed(author=None) -> dict:
    """Activities on commitment 1.1 with Kaunas and the North Sea Commission; a status."""
    c11 = get_commitment("1.1")
    kaunas = BilateralPartner.objects.get(slug="kaunas")
    nsc = Organisation.objects.get(slug="cpmr-north-sea-commission")
    public = make_activity(
        c11,
        title=PUBLIC_TITLE,
        days_ago=100,
        place="Brussel",
        country="BE",
        description="Fylket la fram sitt innspill.",
        outcome="Et felles notat.",
        partners=[kaunas],
        organisations=[nsc],
    )
    internal = make_activity(
        c11,
        title=INTERNAL_TITLE,
        days_ago=1,
        is_public=False,
        partners=[kaunas],
        organisations=[nsc],
    )
    example = make_activity(
        get_commitment("2.1"),
        title=EXAMPLE_TITLE,
        days_ago=400,
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
