"""'My recent activities' on "my work": newest first, by date and then by when logged."""

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
