"""The "my work" page: my commitments, my recent activities, and what is going quiet."""

import datetime

from django.utils import timezone

from priorities.models import STALE_ACTIVITY_DAYS, Commitment, Status
from tests.factories import get_commitment, make_owner, make_status_update
from tests.priorities.workspace_helpers import make_activity

MY_WORK = "/en/mitt-arbeid/"


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(MY_WORK)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=")


def test_lists_my_commitments_with_status_and_freshness(client, commitment, editor_user):
    owner = make_owner(commitment)
    make_activity(commitment, owner, start_date=days_ago(10), is_public=False)
    make_status_update(commitment, editor_user, days_ago=3, status=Status.NEEDS_ATTENTION)
    client.force_login(owner)

    html = client.get(MY_WORK).content.decode()
    mine = html.split('id="owned-heading"')[1].split("</section>")[0]
    assert "1.1" in mine and commitment.get_absolute_url() in mine
    assert "Needs attention" in mine
    assert days_ago(10).strftime("%Y-%m-%d") in mine  # the latest activity, internal or not
    assert f"No activity for {STALE_ACTIVITY_DAYS} days" not in mine
    # Only my own commitments.
    assert "1.2" not in mine


def test_says_so_when_i_own_nothing(staff_client, strategy):
    html = staff_client.get(MY_WORK).content.decode()
    assert "You are not the owner of any commitment." in html


def test_lists_my_recent_activities_not_others(
    staff_client, staff_user, other_staff_user, commitment
):
    mine = make_activity(commitment, staff_user, title="Mitt møte")
    make_activity(commitment, other_staff_user, title="Andres møte")
    html = staff_client.get(MY_WORK).content.decode()
    recent = html.split('id="recent-heading"')[1].split("</section>")[0]
    assert "Mitt møte" in recent and "Andres møte" not in recent
    assert f"/aktiviteter/{mine.pk}/endre/" in recent


def test_going_quiet_lists_commitments_without_recent_activity_or_status(
    staff_client, editor_user, strategy
):
    fresh, quiet, no_status = get_commitment("1.1"), get_commitment("1.2"), get_commitment("1.3")
    for c in Commitment.objects.all():
        make_status_update(c, editor_user, days_ago=30)
        make_activity(c, start_date=days_ago(20))
    # 1.2: the latest activity is 200 days old; 1.3: the latest status is 400 days old.
    quiet.activities.update(start_date=days_ago(200))
    no_status.status_updates.update(created_at=timezone.now() - datetime.timedelta(days=400))

    html = staff_client.get(MY_WORK).content.decode()
    section = html.split('id="stale-heading"')[1].split("</section>")[0]
    assert quiet.get_absolute_url() in section
    assert no_status.get_absolute_url() in section
    assert fresh.get_absolute_url() not in section
    assert f"Latest activity {days_ago(200):%B} " in section


def test_freshness_annotations(strategy, editor_user):
    fresh, quiet = get_commitment("1.1"), get_commitment("1.2")
    make_activity(fresh, start_date=days_ago(179))
    make_activity(fresh, start_date=days_ago(500))
    make_activity(quiet, start_date=days_ago(181))
    make_status_update(fresh, editor_user, days_ago=364)
    make_status_update(quiet, editor_user, days_ago=366)
    make_status_update(quiet, editor_user, days_ago=400)

    rows = {c.pk: c for c in Commitment.objects.with_freshness()}
    assert rows[fresh.pk].activity_count == 2
    assert rows[fresh.pk].last_activity_on == days_ago(179)
    assert (rows[fresh.pk].activity_stale, rows[fresh.pk].status_stale) == (False, False)
    assert (rows[quiet.pk].activity_stale, rows[quiet.pk].status_stale) == (True, True)
    # Never any activity or status: stale on both counts.
    never = rows[get_commitment("4.3").pk]
    assert never.activity_count == 0 and never.activity_stale and never.status_stale
    stale = set(Commitment.objects.with_freshness().stale().values_list("pk", flat=True))
    assert quiet.pk in stale and fresh.pk not in stale


def test_query_count_does_not_grow_with_the_data(
    client, django_assert_max_num_queries, strategy, editor_user
):
    first = get_commitment()
    owner = make_owner(first)
    make_status_update(first, editor_user, days_ago=2)
    make_activity(first, owner, start_date=days_ago(1))
    client.force_login(owner)
    with django_assert_max_num_queries(20) as few:
        assert client.get(MY_WORK).status_code == 200

    for commitment in Commitment.objects.all():
        commitment.owners.add(owner)
        make_status_update(commitment, editor_user, days_ago=2)
        for i in range(5):
            make_activity(commitment, owner, title=f"Møte {i}", start_date=days_ago(i * 50))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(MY_WORK)
    assert response.content.decode().count('<th scope="row">') == Commitment.objects.count()
