"""The yearly report's body is cached per year, language, day and content version.

It shows public activities only, to everyone, so one rendered body serves every visitor who
may (or may not) import; a change to the content shows at once, signed in or not.
"""

import datetime
import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from priorities.models import Activity
from tests.factories import make_activity

REPORT = "/rapport/2024/"


def signed_in(user) -> Client:
    """A client of its own for each user, so one test can compare several visitors."""
    client = Client()
    client.force_login(user)
    return client


def body(response) -> str:
    return re.search(r'<article class="report">.*</article>', response.text, re.S).group()


def add_activity(commitment, title: str, **extra) -> Activity:
    """An activity of the report's year."""
    return make_activity(commitment, title=title, start_date=datetime.date(2024, 6, 1), **extra)


def test_staff_get_the_report_body_from_the_cache(
    commitment, staff_user, file_cache_on, django_capture_on_commit_callbacks
):
    # Committed, as a request's write is before any page is rendered (writes_pending()).
    with django_capture_on_commit_callbacks(execute=True):
        add_activity(commitment, "Møte i Kaunas")
    staff = signed_in(staff_user)
    first = staff.get(REPORT)
    assert "Møte i Kaunas" in first.text
    with CaptureQueriesContext(connection) as queries:
        second = staff.get(REPORT)
    assert second.status_code == 200
    assert body(second) == body(first)
    assert not [q["sql"] for q in queries.captured_queries if "priorities_activity" in q["sql"]]
    # The page around the body is the user's own: signed in, with their CSRF token.
    assert "X-CSRFToken" in second.text


def test_a_change_shows_in_the_cached_report_at_once(
    client, commitment, staff_user, file_cache_on, django_capture_on_commit_callbacks
):
    staff = signed_in(staff_user)
    activity = add_activity(commitment, "Før endringen")
    for visitor in (staff, client):
        visitor.get(REPORT)
        assert "Før endringen" in visitor.get(REPORT).text
    with django_capture_on_commit_callbacks(execute=True):
        Activity.objects.filter(pk=activity.pk).update(title="Etter endringen")
    for visitor in (staff, client):
        after = visitor.get(REPORT).text
        assert "Etter endringen" in after
        assert "Før endringen" not in after


def test_internal_activities_are_in_no_ones_report(client, commitment, staff_user, file_cache_on):
    add_activity(commitment, "Internt møte", is_public=False)
    add_activity(commitment, "Offentlig møte")
    for visitor in (signed_in(staff_user), client, signed_in(staff_user)):
        text = visitor.get(REPORT).text
        assert "Offentlig møte" in text
        assert "Internt møte" not in text


def test_the_import_link_only_for_those_who_may_import(
    client, strategy, editor_user, staff_user, file_cache_on
):
    link = 'href="/import/"'
    assert link in signed_in(editor_user).get(REPORT).text
    assert link not in client.get(REPORT).text
    assert link not in signed_in(staff_user).get(REPORT).text
    assert link in signed_in(editor_user).get(REPORT).text


def test_each_language_has_its_own_body(client, strategy, staff_user, file_cache_on):
    staff = signed_in(staff_user)
    for _ in range(2):
        assert "Årsrapport 2024" in body(staff.get(REPORT))
        assert "Yearly report 2024" in body(staff.get(f"/en{REPORT}"))
