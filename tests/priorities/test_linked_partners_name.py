"""An activity's loaded partners and organisations have one name wherever they are loaded:
.linked_partners and .linked_organisations (lists), for the pages, the API, the downloads,
the import's comparison and the report alike."""

import datetime

from partners.models import BilateralPartner, Organisation
from priorities import exchange, reports
from priorities.models import Activity
from tests.priorities.workspace_helpers import get_commitment


def test_every_loader_sets_the_same_attributes(strategy):
    kaunas = BilateralPartner.objects.get(slug="kaunas")
    nsc = Organisation.objects.get(slug="cpmr-north-sea-commission")
    activity = Activity.objects.create(
        commitment=get_commitment(),
        title="Møte",
        kind=Activity.Kind.MEETING,
        start_date=datetime.date(2025, 3, 1),
    )
    activity.partners.set([kaunas])
    activity.organisations.set([nsc])
    activities = Activity.objects.filter(pk=activity.pk)

    loaded = [
        activities.with_relations().get(),
        exchange.attach_links(activities)[0],
        reports._latest_per_kind(activities)[0],
    ]
    for each in loaded:
        assert (each.linked_partners, each.linked_organisations) == ([kaunas], [nsc])
        assert not hasattr(each, "partner_list") and not hasattr(each, "organisation_list")
