"""Every list on "my work" has a clear order, which the page states: 'My recent activities'
newest first, by date and then by when logged; 'My commitments' in the strategy's order;
'Going quiet' most urgent first. ('Due' is tested in tests/reporting/test_my_work_due.py.)"""

import datetime

from django.utils import timezone

from tests.priorities.workspace_helpers import make_activity

MY_WORK = "/en/mitt-arbeid/"


def test_recent_activities_are_newest_first_by_date_then_logged_time(
    staff_client, staff_user, commitment
):
    now = timezone.now()
    # Logged out of order: the oldest activity was logged last, and two share a date.
    make_activity(
        commitment,
        staff_user,
        title="Mai-møte",
        start_date=datetime.date(2025, 5, 1),
        created_at=now - datetime.timedelta(days=3),
    )
    make_activity(
        commitment,
        staff_user,
        title="Januar-møte",
        start_date=datetime.date(2025, 1, 10),
        created_at=now,
    )
    make_activity(
        commitment,
        staff_user,
        title="Mars-møte, logget sist",
        start_date=datetime.date(2025, 3, 1),
        created_at=now - datetime.timedelta(days=1),
    )
    make_activity(
        commitment,
        staff_user,
        title="Mars-møte, logget først",
        start_date=datetime.date(2025, 3, 1),
        created_at=now - datetime.timedelta(days=2),
    )
    make_activity(
        commitment,
        staff_user,
        title="Juni-møte",
        start_date=datetime.date(2025, 6, 20),
        created_at=now - datetime.timedelta(days=5),
    )

    html = staff_client.get(MY_WORK).text
    recent = html.split('id="recent-heading"')[1].split("</section>")[0]
    titles = [
        "Juni-møte",
        "Mai-møte",
        "Mars-møte, logget sist",
        "Mars-møte, logget først",
        "Januar-møte",
    ]
    positions = [recent.index(title) for title in titles]
    assert positions == sorted(positions)
    # The page says which order it is.
    assert "Newest first" in recent


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def section(html: str, heading: str) -> str:
    return html.split(f'id="{heading}"')[1].split("</section>")[0]


def test_my_commitments_are_in_the_strategys_order(client, strategy):
    from priorities.models import Commitment
    from tests.factories import make_owner

    # Owned in another order than the strategy's.
    codes = ["3.2", "1.3", "2.1", "1.1"]
    owner = make_owner(Commitment.objects.get(priority__number=4, number=1))
    for code in codes:
        priority, number = code.split(".")
        Commitment.objects.get(priority__number=priority, number=number).owners.add(owner)
    client.force_login(owner)
    mine = section(client.get(MY_WORK).text, "owned-heading")
    positions = [mine.index(f'commitment-code">{code}<') for code in [*sorted(codes), "4.1"]]
    assert positions == sorted(positions)
    assert "In the strategy's order." in mine


def test_going_quiet_is_most_urgent_first(staff_client, staff_user, strategy):
    from priorities.models import Commitment

    # 2.1 quiet for 300 days, 1.2 for 200, 1.1 and 1.3 for 200 (a tie: the strategy's order),
    # 3.1 never had an activity; the rest are fresh but have no status, so are quiet too.
    quiet = {"2.1": 300, "1.3": 200, "1.2": 200, "1.1": 190}
    for commitment in Commitment.objects.all():
        days = quiet.get(commitment.code, 10 if commitment.code != "3.1" else None)
        if days is not None:
            make_activity(commitment, staff_user, start_date=days_ago(days))
    stale = section(staff_client.get(MY_WORK).text, "stale-heading")
    expected = ["3.1", "2.1", "1.2", "1.3", "1.1"]
    positions = [stale.index(f'commitment-code">{code}<') for code in expected]
    assert positions == sorted(positions)
    assert "Most urgent first" in stale
