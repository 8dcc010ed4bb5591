"""Who may do what, per view: anonymous, staff (own / someone else's), editor, owner, a
signed-in user with no role, and an admin. Forbidden is 403 (or the login page for anonymous
visitors) and changes nothing. Each view is checked for GET and POST, with and without htmx.
"""

import pytest
from django.test import Client

from priorities.models import Activity, StatusUpdate
from tests.factories import get_commitment, make_owner, make_user
from tests.priorities.workspace_helpers import HX, activity_data, edit_data, make_activity, url

ANON, STAFF, OTHER, EDITOR, OWNER, NOROLE, ADMIN = (
    "anonymous",
    "staff",
    "other_staff",
    "editor",
    "owner",
    "no_role",
    "admin",
)
PERSONAS = [ANON, STAFF, OTHER, EDITOR, OWNER, NOROLE, ADMIN]
BOTH_PATHS = pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
METHODS = pytest.mark.parametrize("method", ["GET", "POST"])


@pytest.fixture
def world(strategy, staff_user, other_staff_user, editor_user, admin_user):
    commitment = get_commitment()
    users = {
        STAFF: staff_user,
        OTHER: other_staff_user,
        EDITOR: editor_user,
        OWNER: make_owner(commitment),
        NOROLE: make_user("norole"),
        ADMIN: admin_user,
    }
    clients = {ANON: Client()}
    for persona, user in users.items():
        clients[persona] = Client()
        clients[persona].force_login(user)
    return {"commitment": commitment, "users": users, "clients": clients}


def snapshot():
    return (
        list(Activity.objects.order_by("pk").values("pk", "title", "updated_at")),
        StatusUpdate.objects.count(),
    )


def expected(persona: str, allowed: set[str], method: str) -> str:
    if persona == ANON:
        return "login"
    if persona not in allowed:
        return "forbidden"
    return "ok" if method == "GET" else "done"


def check(response, outcome: str, htmx: bool) -> None:
    if outcome == "login" and htmx:
        # htmx follows redirects itself: the whole page goes to the login page instead.
        assert response.status_code == 200
        assert "/accounts/login/?next=" in response["HX-Redirect"]
    elif outcome == "login":
        assert response.status_code == 302
        assert "/accounts/login/?next=" in response["Location"]
    elif outcome == "forbidden":
        assert response.status_code == 403
    elif outcome == "ok":
        assert response.status_code == 200
        assert (b"<html" in response.content) is not htmx
    else:  # done: a fragment with htmx, a redirect back without
        assert response.status_code == (200 if htmx else 303)


def run_matrix(world, subtests, allowed, method, htmx, request_for, prepare=None) -> None:
    """request_for(client, headers, prepared) once per persona; prepare() runs before."""
    headers = HX if htmx else {}
    for persona in PERSONAS:
        with subtests.test(persona=persona):
            outcome = expected(persona, allowed, method)
            prepared = prepare() if prepare else None
            before = snapshot()
            response = request_for(world["clients"][persona], headers, prepared)
            check(response, outcome, htmx)
            # Only an allowed POST changes anything.
            assert (snapshot() == before) is (outcome != "done")


def test_my_work(world, subtests):
    run_matrix(
        world,
        subtests,
        set(PERSONAS) - {ANON},
        "GET",
        False,
        lambda client, headers, _: client.get(url("priorities:my_work")),
    )


@BOTH_PATHS
@METHODS
def test_log_activity(world, subtests, method, htmx):
    c = world["commitment"]
    path = url("priorities:activity_create", c.priority.slug, c.number)

    def request_for(client, headers, _):
        if method == "GET":
            return client.get(path, **headers)
        return client.post(path, activity_data(), **headers)

    run_matrix(world, subtests, {STAFF, OTHER, EDITOR, OWNER, ADMIN}, method, htmx, request_for)


@BOTH_PATHS
@METHODS
def test_edit_staffs_own_activity(world, subtests, method, htmx):
    # Only the author (staff) and editors; not another staff member, not an owner.
    def request_for(client, headers, activity):
        path = url("priorities:activity_edit", activity.pk)
        if method == "GET":
            return client.get(path, **headers)
        return client.post(path, edit_data(activity, title="Endret"), **headers)

    def prepare():
        return make_activity(world["commitment"], world["users"][STAFF])

    run_matrix(world, subtests, {STAFF, EDITOR, ADMIN}, method, htmx, request_for, prepare)


@BOTH_PATHS
@METHODS
def test_delete_staffs_own_activity(world, subtests, method, htmx):
    def request_for(client, headers, activity):
        path = url("priorities:activity_delete", activity.pk)
        return client.get(path, **headers) if method == "GET" else client.post(path, **headers)

    def prepare():
        return make_activity(world["commitment"], world["users"][STAFF])

    run_matrix(world, subtests, {STAFF, EDITOR, ADMIN}, method, htmx, request_for, prepare)


def test_activity_history(world, subtests):
    activity = make_activity(world["commitment"], world["users"][STAFF])
    path = url("priorities:activity_history", activity.pk)
    allowed = set(PERSONAS) - {ANON, NOROLE}
    run_matrix(world, subtests, allowed, "GET", False, lambda client, h, _: client.get(path))


@BOTH_PATHS
@METHODS
def test_set_status(world, subtests, method, htmx):
    # Editors, and owners on their own commitment; not staff in general.
    c = world["commitment"]
    path = url("priorities:status_create", c.priority.slug, c.number)

    def request_for(client, headers, _):
        if method == "GET":
            return client.get(path, **headers)
        data = {"status": "on_track", "assessment": "Godt i gang."}
        return client.post(path, data, **headers)

    run_matrix(world, subtests, {EDITOR, OWNER, ADMIN}, method, htmx, request_for)


def test_owner_cannot_set_status_on_someone_elses_commitment(world):
    other = get_commitment("2.1")
    path = url("priorities:status_create", other.priority.slug, other.number)
    response = world["clients"][OWNER].post(path, {"status": "on_track", "assessment": "x"})
    assert response.status_code == 403
    assert StatusUpdate.objects.count() == 0


def test_buttons_show_only_for_those_who_may(world, subtests):
    activity = make_activity(world["commitment"], world["users"][STAFF], title="Staffs møte")
    page = url("priorities:commitment", "medlemsorganisasjoner", 1)
    edit = f'href="{url("priorities:activity_edit", activity.pk)}"'
    delete = f'href="{url("priorities:activity_delete", activity.pk)}"'
    # persona: (edit and delete buttons, "Log activity" button, "Set status" button)
    table = {
        ANON: (False, False, False),
        STAFF: (True, True, False),
        OTHER: (False, True, False),
        EDITOR: (True, True, True),
        OWNER: (False, True, True),
        NOROLE: (False, False, False),
    }
    for persona, (edits, logs, sets) in table.items():
        with subtests.test(persona=persona):
            html = world["clients"][persona].get(page).content.decode()
            assert "Staffs møte" in html
            assert (edit in html, delete in html) == (edits, edits)
            assert ('id="log-activity-button"' in html) is logs
            assert ('id="set-status-button"' in html) is sets


def test_buttons_cost_no_query_per_activity(world, django_assert_max_num_queries):
    client = world["clients"][STAFF]
    page = url("priorities:commitment", "medlemsorganisasjoner", 1)
    make_activity(world["commitment"], world["users"][STAFF])
    with django_assert_max_num_queries(40) as few:
        client.get(page)
    # All on the first page (priorities.views.PAGE_SIZE).
    for i in range(20):
        make_activity(world["commitment"], world["users"][STAFF if i % 2 else OTHER])
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(page).content.decode()
    assert html.count('/endre/" data-hx-get=') == 11  # the first, and 10 of the 20
