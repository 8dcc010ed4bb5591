"""The commitment page's "Partners and organisations involved" box follows the activity list
beside it: after logging, editing or deleting an activity in place (htmx), the response
carries the box too, as an out-of-band swap; and it counts the activities the viewer sees
(staff: internal ones included, as in the list; everyone else: public ones only)."""

import pytest
from django.test import Client

from partners.models import BilateralPartner, Organisation
from priorities.models import Activity
from tests.priorities.workspace_helpers import (
    HX,
    activity_data,
    edit_data,
    make_activity,
    page,
    url,
)


@pytest.fixture
def kaunas(strategy):
    return BilateralPartner.objects.get(slug="kaunas")


def involved(html: str) -> str:
    """The box's section, from its opening tag to its end."""
    start = html.rindex("<section", 0, html.index('id="involved"'))
    return html[start : html.index("</section>", start)]


def test_logging_an_activity_in_place_updates_the_box(staff_client, commitment, kaunas):
    nsc = Organisation.objects.get(slug="cpmr-north-sea-commission")
    create = url("priorities:activity_create", commitment.priority.slug, commitment.number)
    assert "Kaunas" not in involved(staff_client.get(page(commitment)).text)

    data = activity_data(partners=[kaunas.pk], organisations=[nsc.pk])
    response = staff_client.post(create, data, **HX)
    assert response.status_code == 200
    box = involved(response.text)
    assert 'data-hx-swap-oob="true"' in box  # swapped in by id, beside the list
    assert f'href="{page(kaunas)}"' in box and f'href="{page(nsc)}"' in box
    assert "(1 aktivitet)" in box


def test_editing_an_activity_in_place_updates_the_box(staff_client, staff_user, commitment, kaunas):
    activity = make_activity(commitment, staff_user)
    edit = url("priorities:activity_edit", activity.pk)
    response = staff_client.post(edit, edit_data(activity, partners=[kaunas.pk]), **HX)
    assert response.status_code == 200
    box = involved(response.text)
    assert 'data-hx-swap-oob="true"' in box and f'href="{page(kaunas)}"' in box


def test_deleting_an_activity_in_place_updates_the_box(
    staff_client, staff_user, commitment, kaunas
):
    activity = make_activity(commitment, staff_user)
    activity.partners.set([kaunas])
    assert f'href="{page(kaunas)}"' in involved(staff_client.get(page(commitment)).text)
    delete = url("priorities:activity_delete", activity.pk)
    response = staff_client.post(delete, **HX)
    assert response.status_code == 200
    box = involved(response.text)
    assert 'data-hx-swap-oob="true"' in box and f'href="{page(kaunas)}"' not in box


def test_the_whole_page_has_the_box_once_and_without_the_swap_marker(client, commitment, kaunas):
    make_activity(commitment).partners.set([kaunas])
    html = client.get(page(commitment)).text
    assert html.count('id="involved"') == 1
    assert "hx-swap-oob" not in involved(html)


def test_staff_see_partners_of_internal_activities_anonymous_visitors_do_not(
    staff_client, commitment, kaunas
):
    make_activity(commitment, is_public=False).partners.set([kaunas])
    make_activity(commitment, title="Offentlig").partners.set([kaunas])
    # staff_client is the `client` fixture signed in: a client of its own for the anonymous.
    assert "(1 aktivitet)" in involved(Client().get(page(commitment)).text)
    assert "(2 aktiviteter)" in involved(staff_client.get(page(commitment)).text)
    assert Activity.objects.count() == 2
