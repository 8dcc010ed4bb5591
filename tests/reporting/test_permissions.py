"""Who may do what with reporting rounds, per view: anonymous, staff (Saksbehandler), the
commitment's owner, the owner of another commitment, an editor (Redaktør) and an admin.
Forbidden is 403 (or the login page for anonymous visitors) and changes nothing. Each view is
checked for GET and POST, with and without htmx."""

import pytest
from django.test import Client

from reporting.models import EntryState, Round
from tests.factories import get_commitment, make_owner, make_user
from tests.priorities.test_workspace_permissions import check, expected
from tests.reporting.helpers import (
    HX,
    YEAR,
    approve_all,
    entry_data,
    entry_of,
    entry_url,
    open_round,
    review_data,
    round_data,
    snapshot,
    url,
)

ANON, STAFF, OWNER, OTHER_OWNER, EDITOR, ADMIN = (
    "anonymous", "staff", "owner", "other_owner", "editor", "admin",
)  # fmt: skip
PERSONAS = [ANON, STAFF, OWNER, OTHER_OWNER, EDITOR, ADMIN]
SIGNED_IN = [p for p in PERSONAS if p != ANON]  # staff read every round and entry
BOTH_PATHS = pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
METHODS = pytest.mark.parametrize("method", ["GET", "POST"])


@pytest.fixture
def world(strategy, staff_user, editor_user, admin_user):
    users = {
        STAFF: staff_user,
        OWNER: make_owner(get_commitment("1.1")),
        OTHER_OWNER: make_owner(get_commitment("2.1"), "otherowner"),
        EDITOR: editor_user,
        ADMIN: admin_user,
    }
    clients = {ANON: Client()}
    for persona, user in users.items():
        clients[persona] = Client()
        clients[persona].force_login(user)
    the_round = open_round()
    return {"users": users, "clients": clients, "round": the_round, "entry": entry_of(the_round)}


def run_matrix(world, subtests, allowed, method, htmx, request_for, prepare=None) -> None:
    headers = HX if htmx else {}
    for persona in PERSONAS:
        with subtests.test(persona=persona):
            if prepare:
                prepare()
            world["entry"].refresh_from_db()
            outcome = expected(persona, allowed, method)
            before = snapshot()
            response = request_for(world["clients"][persona], headers)
            check(response, outcome, htmx)
            if outcome == "done" and htmx and "HX-Redirect" not in response:
                assert 'id="entry-panel"' in response.text
            # Only an allowed POST changes anything.
            assert (snapshot() == before) is (outcome != "done")


@BOTH_PATHS
@METHODS
def test_open_a_round(world, subtests, method, htmx):
    path = url("reporting:round_create")

    def prepare():
        Round.objects.filter(year=YEAR - 1).delete()

    def request_for(client, headers):
        if method == "GET":
            return client.get(path, **headers)
        return client.post(path, round_data(year=str(YEAR - 1)), **headers)

    run_matrix(world, subtests, {EDITOR, ADMIN}, method, htmx, request_for, prepare)


@BOTH_PATHS
@METHODS
def test_write_an_entry(world, subtests, method, htmx):
    path = entry_url(world["entry"])

    def request_for(client, headers):
        if method == "GET":
            return client.get(path, **headers)
        entry = world["entry"]
        return client.post(path, entry_data(entry, next_steps=f"{entry.next_steps}!"), **headers)

    allowed = set(SIGNED_IN) if method == "GET" else {OWNER, EDITOR, ADMIN}
    run_matrix(world, subtests, allowed, method, htmx, request_for)


@BOTH_PATHS
@pytest.mark.parametrize("action", ["return", "approve", "reopen"])
def test_review_an_entry(world, subtests, htmx, action):
    path = entry_url(world["entry"], "reporting:entry_review")

    def prepare():
        state = EntryState.APPROVED if action == "reopen" else EntryState.SUBMITTED
        world["entry"].__class__.objects.filter(pk=world["entry"].pk).update(
            state=state, assessment="Godt i gang.", status="on_track"
        )

    def request_for(client, headers):
        return client.post(path, review_data(action, "Mer, takk."), **headers)

    run_matrix(world, subtests, {EDITOR, ADMIN}, "POST", htmx, request_for, prepare)


@pytest.mark.parametrize(
    "name, allowed",
    [
        ("reporting:rounds", set(SIGNED_IN)),
        ("reporting:round", set(SIGNED_IN)),
        ("reporting:entry_history", set(SIGNED_IN)),
    ],
)
def test_read_only_pages(world, subtests, name, allowed):
    # Pages of their own, linked without htmx.
    if name == "reporting:rounds":
        path = url(name)
    elif name == "reporting:round":
        path = url(name, YEAR)
    else:
        path = entry_url(world["entry"], name)
    run_matrix(world, subtests, allowed, "GET", False, lambda client, headers: client.get(path))
    check(world["clients"][ANON].get(path, **HX), "login", htmx=True)
    for persona in SIGNED_IN:
        with subtests.test(persona=persona, method="POST"):
            before = snapshot()
            assert world["clients"][persona].post(path, review_data("approve")).status_code == 405
            assert snapshot() == before


def test_a_signed_in_user_with_no_role_sees_nothing(world):
    # Neither staff nor editor nor owner: no round, no entry.
    client = Client()
    client.force_login(make_user("norole"))
    for path in (url("reporting:rounds"), url("reporting:round", YEAR), entry_url(world["entry"])):
        assert client.get(path).status_code == 403


def test_the_review_refuses_a_get(world, subtests):
    path = entry_url(world["entry"], "reporting:entry_review")
    for persona in SIGNED_IN:
        with subtests.test(persona=persona):
            assert world["clients"][persona].get(path).status_code == 405


@BOTH_PATHS
@METHODS
def test_prepare_the_annual_report(world, subtests, method, htmx):
    """Only editors (and admins) write the introduction and approve the yearly report."""
    path = url("reporting:round_report", YEAR)
    headers = HX if htmx else {}
    for persona in PERSONAS:
        with subtests.test(persona=persona):
            outcome = expected(persona, {EDITOR, ADMIN}, method)
            before = snapshot()
            client = world["clients"][persona]
            if method == "GET":
                response = client.get(path, **headers)
            else:
                data = {"introduction": f"Innledning av {persona}.", "action": "save"}
                response = client.post(path, data, **headers)
            check(response, outcome, htmx)
            if outcome == "done" and htmx:
                assert 'id="report-panel"' in response.text
            assert (snapshot() == before) is (outcome != "done")


@pytest.mark.parametrize("name", ["reporting:rounds", "reporting:round", "reporting:entry_history"])
def test_read_only_pages_with_htmx(world, subtests, name):
    # Linked without htmx, but an htmx request gets the same answers: the page for those
    # allowed, the login page (as HX-Redirect) for anonymous visitors, 405 for a POST.
    if name == "reporting:rounds":
        path = url(name)
    elif name == "reporting:round":
        path = url(name, YEAR)
    else:
        path = entry_url(world["entry"], name)
    for persona in PERSONAS:
        with subtests.test(persona=persona):
            client = world["clients"][persona]
            response = client.get(path, **HX)
            if persona == ANON:
                check(response, "login", htmx=True)
            else:
                assert response.status_code == 200
            before = snapshot()
            response = client.post(path, review_data("approve"), **HX)
            assert response.status_code == 405
            assert snapshot() == before


@BOTH_PATHS
def test_the_review_refuses_a_get_from_everyone(world, subtests, htmx):
    path = entry_url(world["entry"], "reporting:entry_review")
    for persona in PERSONAS:
        with subtests.test(persona=persona):
            response = world["clients"][persona].get(path, **(HX if htmx else {}))
            if persona == ANON:
                check(response, "login", htmx)  # who you are first, then what you may do
            else:
                assert response.status_code == 405


# Each URL of reporting/urls.py and the tests above that run it for every persona, GET and
# POST, with and without htmx. A new URL fails here until it has its row in the matrix.
MATRIX = {
    "rounds": "test_read_only_pages, test_read_only_pages_with_htmx",
    "round_create": "test_open_a_round",
    "round": "test_read_only_pages, test_read_only_pages_with_htmx",
    "entry": "test_write_an_entry",
    "entry_review": "test_review_an_entry, test_the_review_refuses_a_get_from_everyone",
    "entry_history": "test_read_only_pages, test_read_only_pages_with_htmx",
    "round_report": "test_prepare_the_annual_report",
    "annual_report": "test_the_annual_report_is_public_and_read_only",
    "annual_report_pdf": "test_the_annual_report_is_public_and_read_only",
}


def test_every_url_of_the_rounds_is_in_the_matrix():
    from reporting import urls

    pages = [*urls.ROUND_PAGES, *urls.REPORT_PAGES, *urls.urlpatterns]
    names = {p.name for p in pages if getattr(p, "name", None)}
    assert names == set(MATRIX)


@BOTH_PATHS
@pytest.mark.parametrize("name", ["reporting:annual_report", "reporting:annual_report_pdf"])
def test_the_annual_report_is_public_and_read_only(world, subtests, htmx, name):
    """Once approved, the Årsrapport (page and PDF) is for everyone; a POST changes nothing."""
    approve_all(open_round(YEAR - 1), world["users"][EDITOR])
    path = url(name, YEAR - 1)
    headers = HX if htmx else {}
    for persona in PERSONAS:
        with subtests.test(persona=persona):
            client = world["clients"][persona]
            response = client.get(path, **headers)
            assert response.status_code == 200
            if name.endswith("_pdf"):
                assert response["Content-Type"] == "application/pdf"
            before = snapshot()
            assert client.post(path, {"introduction": "Endret."}, **headers).status_code == 405
            assert snapshot() == before
