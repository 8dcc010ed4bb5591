"""One diff of an activity's history records, links included (priorities/history.py): the
admin's history list and the workspace's change log read the same changes from it."""

import itertools

from partners.models import BilateralPartner, Organisation
from priorities.history import changes_between, m2m_links
from priorities.models import Activity
from tests.factories import get_commitment, make_activity


def history(activity) -> list:
    return list(activity.history.order_by("history_date", "history_id"))


def test_link_changes_are_found_with_the_related_objects(strategy):
    activity = make_activity(get_commitment("1.1"), title="Møte", days_ago=5)
    kaunas = BilateralPartner.objects.get(slug="kaunas")
    errin = Organisation.objects.get(slug="errin")
    activity.partners.add(kaunas)
    activity.organisations.add(errin)
    activity.partners.remove(kaunas)
    activity.title = "Møte, endret"
    activity.save()
    records = history(activity)
    links = m2m_links(Activity, records)
    assert set(links) == {"partners", "organisations"}

    found = [
        [(c.field, c.old, c.new) for c in changes_between(older, newer, links).changes]
        for older, newer in itertools.pairwise(records)
    ]
    related = "bilateralpartner"
    assert [changes for changes in found if changes] == [
        [("partners", [], [{related: kaunas}])],
        [("organisations", [], [{"organisation": errin}])],
        [("partners", [{related: kaunas}], [])],
        [("title", "Møte", "Møte, endret")],
    ]


def test_the_workspace_and_the_admin_show_the_same_link_change(admin_client, strategy):
    activity = make_activity(get_commitment("1.1"), title="Møte", days_ago=5)
    activity.partners.add(BilateralPartner.objects.get(slug="kaunas"))
    workspace = admin_client.get(f"/en/aktiviteter/{activity.pk}/historikk/").text
    admin = admin_client.get(f"/en/admin/priorities/activity/{activity.pk}/history/").text
    assert "Kaunas" in workspace.split("Partners", 1)[1]
    assert "[Kaunas]" in admin
