"""Who may do what with the action plan, per view: anonymous, staff (Saksbehandler), the
measure's responsible person, an owner of its commitment, an owner of another commitment, an
editor (Redaktør) and an admin. Forbidden is 403 (or the login page for anonymous visitors)
and changes nothing. Each view is checked for GET and POST, with and without htmx."""

import pytest
from django.test import Client

from priorities.roles import STAFF_GROUP
from tests.factories import get_commitment, make_measure, make_owner, make_user
from tests.planning.helpers import HX, YEAR, edit_data, measure_data, snapshot, state_data, url
from tests.priorities.test_workspace_permissions import check as workspace_check
from tests.priorities.test_workspace_permissions import expected

ANON, STAFF, RESPONSIBLE, OWNER, OTHER_OWNER, EDITOR, ADMIN = (
    "anonymous", "staff", "responsible", "owner", "other_owner", "editor", "admin",
)  # fmt: skip
PERSONAS = [ANON, STAFF, RESPONSIBLE, OWNER, OTHER_OWNER, EDITOR, ADMIN]
SIGNED_IN = set(PERSONAS) - {ANON}
BOTH_PATHS = pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
METHODS = pytest.mark.parametrize("method", ["GET", "POST"])


@pytest.fixture
def world(strategy, staff_user, editor_user, admin_user):
    commitment = get_commitment("1.1")
    users = {
        STAFF: staff_user,
        RESPONSIBLE: make_user("responsible", STAFF_GROUP),
        OWNER: make_owner(commitment),
        OTHER_OWNER: make_owner(get_commitment("2.1"), "otherowner"),
        EDITOR: editor_user,
        ADMIN: admin_user,
    }
    clients = {ANON: Client()}
    for persona, user in users.items():
        clients[persona] = Client()
        clients[persona].force_login(user)
    measure = make_measure(commitment, responsible=users[RESPONSIBLE], is_public=False)
    return {"commitment": commitment, "users": users, "clients": clients, "measure": measure}


def check(response, outcome: str, htmx: bool) -> None:
    """The workspace's outcomes (tests/priorities/test_workspace_permissions.py); a change
    done answers with the plan's body, or sends the browser back to the plan."""
    workspace_check(response, outcome, htmx)
    if outcome == "done" and htmx:
        assert 'id="plan-body"' in response.text and "<html" not in response.text
    elif outcome == "done":
        assert response["Location"].startswith(f"/handlingsplan/{YEAR}/#measure-")


def run_matrix(world, subtests, allowed, method, htmx, request_for) -> None:
    headers = HX if htmx else {}
    for persona in PERSONAS:
        with subtests.test(persona=persona):
            outcome = expected(persona, allowed, method)
            world["measure"].refresh_from_db()
            before = snapshot()
            response = request_for(world["clients"][persona], headers)
            check(response, outcome, htmx)
            # Only an allowed POST changes anything.
            assert (snapshot() == before) is (outcome != "done")


@BOTH_PATHS
@METHODS
def test_add_a_measure(world, subtests, method, htmx):
    path = url("planning:measure_create", YEAR)

    def request_for(client, headers):
        if method == "GET":
            return client.get(f"{path}?commitment={world['commitment'].pk}", **headers)
        return client.post(path, measure_data(world["commitment"]), **headers)

    run_matrix(world, subtests, {EDITOR, ADMIN}, method, htmx, request_for)


@BOTH_PATHS
@METHODS
def test_edit_a_measure(world, subtests, method, htmx):
    path = url("planning:measure_edit", world["measure"].pk)

    def request_for(client, headers):
        if method == "GET":
            return client.get(path, **headers)
        measure = world["measure"]
        return client.post(path, edit_data(measure, title=f"{measure.title}!"), **headers)

    run_matrix(world, subtests, {EDITOR, ADMIN}, method, htmx, request_for)


@BOTH_PATHS
@METHODS
def test_change_a_measures_state(world, subtests, method, htmx):
    path = url("planning:measure_state", world["measure"].pk)

    def request_for(client, headers):
        if method == "GET":
            return client.get(path, **headers)
        return client.post(path, state_data(), **headers)

    allowed = {RESPONSIBLE, OWNER, EDITOR, ADMIN}
    run_matrix(world, subtests, allowed, method, htmx, request_for)


def test_the_history_is_for_staff(world, subtests):
    # A page of its own, linked without htmx.
    path = url("planning:measure_history", world["measure"].pk)
    run_matrix(world, subtests, SIGNED_IN, "GET", False, lambda client, headers: client.get(path))
    check(world["clients"][ANON].get(path, **HX), "login", htmx=True)


@pytest.mark.parametrize("name", ["planning:measure_history", "planning:plan"])
def test_read_only_pages_refuse_a_post(world, subtests, name):
    path = url(name, world["measure"].pk) if "measure" in name else url(name)
    for persona in PERSONAS:
        with subtests.test(persona=persona):
            before = snapshot()
            assert world["clients"][persona].post(path, state_data()).status_code == 405
            assert snapshot() == before


def test_the_plan_page_shows_each_persona_its_own_controls(world, subtests):
    measure = world["measure"]
    edit = url("planning:measure_edit", measure.pk)
    state = url("planning:measure_state", measure.pk)
    add = url("planning:measure_create", YEAR)
    may_state = {RESPONSIBLE, OWNER, EDITOR, ADMIN}
    for persona in PERSONAS:
        with subtests.test(persona=persona):
            html = world["clients"][persona].get(url("planning:plan")).text
            # The measure is internal: anonymous visitors do not see it at all.
            assert (measure.title in html) is (persona != ANON)
            assert (f'href="{edit}"' in html) is (persona in {EDITOR, ADMIN})
            assert (f'href="{add}?commitment=' in html) is (persona in {EDITOR, ADMIN})
            assert (f'href="{state}"' in html) is (persona in may_state)


def test_an_unknown_measure_is_404_for_everyone_allowed(world):
    client = world["clients"][EDITOR]
    for name in ("measure_edit", "measure_state", "measure_history"):
        assert client.get(url(f"planning:{name}", 987654)).status_code == 404
    assert client.get(url("planning:measure_create", 1999)).status_code == 404
    # ?commitment= that is no commitment of the strategy: the form without one chosen.
    for odd in ("abc", "-1", "99999999999999999999999", "987654"):
        response = client.get(f"{url('planning:measure_create', YEAR)}?commitment={odd}")
        assert response.status_code == 200, odd


@BOTH_PATHS
@pytest.mark.parametrize("name", ["planning:plan", "planning:plan_year"])
def test_the_plan_is_public_and_shows_internal_measures_to_signed_in_staff(
    world, subtests, name, htmx
):
    path = url(name) if name == "planning:plan" else url(name, YEAR)
    for persona in PERSONAS:
        with subtests.test(persona=persona):
            response = world["clients"][persona].get(path, **(HX if htmx else {}))
            assert response.status_code == 200
            # A page of its own (linked without htmx): the whole page either way.
            assert "<html" in response.text
            # The measure is internal: everyone but anonymous visitors is staff here.
            assert (world["measure"].title in response.text) is (persona != ANON)


@BOTH_PATHS
@pytest.mark.parametrize(
    "name", ["planning:plan", "planning:plan_year", "planning:measure_history"]
)
def test_read_only_pages_refuse_a_post_on_both_paths(world, subtests, name, htmx):
    args = {"planning:plan": (), "planning:plan_year": (YEAR,)}.get(name, (world["measure"].pk,))
    path = url(name, *args)
    for persona in PERSONAS:
        with subtests.test(persona=persona):
            before = snapshot()
            response = world["clients"][persona].post(path, state_data(), **(HX if htmx else {}))
            assert response.status_code == 405
            assert snapshot() == before


# Each URL of planning/urls.py and the tests above that run it for every persona, GET and
# POST, with and without htmx. A new URL fails here until it has its row in the matrix.
MATRIX = {
    "plan": "test_the_plan_is_public_…, test_read_only_pages_refuse_a_post_on_both_paths",
    "plan_year": "test_the_plan_is_public_…, test_read_only_pages_refuse_a_post_on_both_paths",
    "measure_create": "test_add_a_measure",
    "measure_edit": "test_edit_a_measure",
    "measure_state": "test_change_a_measures_state",
    "measure_history": "test_the_history_is_for_staff, test_read_only_pages_refuse_a_post_…",
}


def test_every_url_of_the_plan_is_in_the_matrix():
    from planning import urls

    names = {p.name for p in [*urls.PLAN_PAGES, *urls.urlpatterns] if getattr(p, "name", None)}
    assert names == set(MATRIX)
