"""The cached parts of the pages staff see (template tag cachedfragment, issue 16 item 4).

Signed-in users get no whole-page cache: their pages carry their name, rights and CSRF token.
What is the same for many of them (counts, lists, status histories) is kept in the shared
cache under the content version, keyed by what else it depends on: whether the user sees
internal activities, the rights that show edit links, the filters. A hit runs none of the
part's queries; a committed change shows at once; nobody gets another user's part.
"""

import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from partners.models import BilateralPartner, Organisation
from priorities.models import Activity
from tests.factories import make_activity, make_status_update

COMMITMENT = "/prioriteringer/medlemsorganisasjoner/1/"
INTERNAL = "Intern Kaunas-samtale"
PAGES = {
    "overview": "/",
    "priority": "/prioriteringer/medlemsorganisasjoner/",
    "commitment": COMMITMENT,
    "partner": "/partnere/kaunas/",
    "organisation": "/partnere/organisasjoner/cpmr-north-sea-commission/",
    "search": "/aktiviteter/?q=Kaunas",
    "my work": "/mitt-arbeid/",
}


@pytest.fixture
def data(commitment, staff_user, django_capture_on_commit_callbacks):
    """Committed, as a request's writes are before any page is rendered."""
    with django_capture_on_commit_callbacks(execute=True):
        kaunas = BilateralPartner.objects.get(slug="kaunas")
        nsc = Organisation.objects.get(slug="cpmr-north-sea-commission")
        public = make_activity(
            commitment, staff_user, title="Møte i Kaunas", partners=[kaunas], organisations=[nsc]
        )
        internal = make_activity(
            commitment,
            staff_user,
            title=INTERNAL,
            is_public=False,
            partners=[kaunas],
            organisations=[nsc],
        )
        commitment.owners.add(staff_user)
        make_status_update(commitment, staff_user, assessment="Godt i gang.")
    return {"public": public, "internal": internal}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def activity_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "priorities_activity" in q["sql"]]


def main(html: str) -> str:
    """The page without the CSRF token, which is masked anew in every response."""
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_a_second_visit_runs_none_of_the_cached_parts_queries(
    file_cache_on, data, staff_user, path
):
    staff = signed_in(staff_user)
    first = staff.get(path)
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        second = staff.get(path)
    assert second.status_code == 200
    assert main(second.text) == main(first.text)
    assert activity_queries(queries) == []
    # The page around the parts is still the user's own.
    assert "X-CSRFToken" in second.text


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_a_committed_change_shows_at_once(
    file_cache_on, data, staff_user, path, django_capture_on_commit_callbacks
):
    staff = signed_in(staff_user)
    assert "Møte i Kaunas" in staff.get(path).text or path == PAGES["priority"]
    before = staff.get(path).text
    with django_capture_on_commit_callbacks(execute=True):
        Activity.objects.filter(pk=data["public"].pk).update(title="Møte i Kaunas om havner")
        make_status_update(data["public"].commitment, staff_user, assessment="Ny vurdering.")
    after = staff.get(path).text
    assert after != before
    if path != PAGES["priority"]:  # lists no activities: its counts and status change
        assert "Møte i Kaunas om havner" in after


@pytest.mark.parametrize(
    "path", [COMMITMENT, PAGES["partner"], PAGES["search"]], ids=["commitment", "partner", "search"]
)
def test_internal_activities_stay_with_those_who_may_see_them(
    file_cache_on, data, staff_user, client, path
):
    assert INTERNAL in signed_in(staff_user).get(path).text
    # The staff member's parts are cached now; a visitor gets parts of their own.
    assert INTERNAL not in client.get(path).text
    assert "Møte i Kaunas" in client.get(path).text


@pytest.mark.parametrize(
    "path", [COMMITMENT, PAGES["partner"], PAGES["search"]], ids=["commitment", "partner", "search"]
)
def test_edit_links_follow_each_users_rights(
    file_cache_on, data, staff_user, other_staff_user, editor_user, path
):
    edit = f"/aktiviteter/{data['public'].pk}/endre/"
    # An editor may edit every activity; the author their own; another staff member neither.
    assert edit in signed_in(editor_user).get(path).text
    assert edit in signed_in(staff_user).get(path).text
    assert edit not in signed_in(other_staff_user).get(path).text
    assert edit in signed_in(editor_user).get(path).text


def test_a_page_rendered_before_its_writes_commit_is_neither_served_nor_kept(
    file_cache_on, data, staff_user
):
    staff = signed_in(staff_user)
    staff.get(COMMITMENT)
    with transaction.atomic():
        make_activity(data["public"].commitment, staff_user, title="Ikke lagret ennå")
        # Rendered inside the transaction: the page shows its own write, from no cache.
        assert "Ikke lagret ennå" in staff.get(COMMITMENT).text
        transaction.set_rollback(True)
    assert "Ikke lagret ennå" not in staff.get(COMMITMENT).text


def test_logging_an_activity_in_place_shows_it_in_the_list(
    file_cache_on, data, staff_user, django_capture_on_commit_callbacks
):
    staff = signed_in(staff_user)
    staff.get(COMMITMENT)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            COMMITMENT + "aktiviteter/ny/",
            {
                "title": "Nytt møte om havner",
                "kind": Activity.Kind.MEETING,
                "start_date": "2025-05-01",
                "is_public": "on",
            },
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 200
    assert "Nytt møte om havner" in response.text
    assert "Nytt møte om havner" in staff.get(COMMITMENT).text
