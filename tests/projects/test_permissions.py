"""Who may do what with the project register, per view: anonymous, staff (Saksbehandler), another
staff member than the one who registered the project, an editor (Redaktør), an admin, and a
signed-in user without a role. Staff register and update any project (a shared register);
forbidden is 403 (the login page for anonymous visitors) and changes nothing. Every view is
checked for GET and POST, with and without htmx."""

import pytest
from django.test import Client

from projects.models import Project
from tests.factories import make_project, make_user
from tests.priorities.test_workspace_permissions import check
from tests.projects.helpers import HX, edit_data, project_data, snapshot

ANON, STAFF, OTHER_STAFF, EDITOR, ADMIN, NO_ROLE = (
    "anonymous", "staff", "other_staff", "editor", "admin", "no_role",
)  # fmt: skip
PERSONAS = [ANON, STAFF, OTHER_STAFF, EDITOR, ADMIN, NO_ROLE]
MAY_WRITE = {STAFF, OTHER_STAFF, EDITOR, ADMIN}
BOTH_PATHS = pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
METHODS = pytest.mark.parametrize("method", ["GET", "POST"])


@pytest.fixture
def world(strategy, staff_user, other_staff_user, editor_user, admin_user):
    users = {
        STAFF: staff_user,
        OTHER_STAFF: other_staff_user,
        EDITOR: editor_user,
        ADMIN: admin_user,
        NO_ROLE: make_user("norole"),
    }
    clients = {ANON: Client()}
    for persona, user in users.items():
        clients[persona] = Client()
        clients[persona].force_login(user)
    public = make_project(acronym="OPEN", created_by=staff_user)
    internal = make_project(acronym="INTERN", is_public=False, created_by=staff_user)
    return {"clients": clients, "public": public, "internal": internal}


def expected(persona: str, method: str) -> str:
    if persona == ANON:
        return "login"
    if persona not in MAY_WRITE:
        return "forbidden"
    return "ok" if method == "GET" else "done"


@BOTH_PATHS
@METHODS
def test_register(world, subtests, method, htmx):
    for n, persona in enumerate(PERSONAS):
        with subtests.test(persona=persona):
            client, headers = world["clients"][persona], HX if htmx else {}
            before = Project.objects.count()
            if method == "GET":
                response = client.get("/prosjekter/ny/", **headers)
            else:
                data = project_data(acronym=f"NY{n}")
                response = client.post("/prosjekter/ny/", data, **headers)
            outcome = expected(persona, method)
            check(response, outcome, htmx)
            added = Project.objects.count() - before
            assert added == (1 if outcome == "done" else 0)


@BOTH_PATHS
@METHODS
@pytest.mark.parametrize("which", ["public", "internal"])
def test_update(world, subtests, method, htmx, which):
    project = world[which]
    for persona in PERSONAS:
        with subtests.test(persona=persona):
            client, headers = world["clients"][persona], HX if htmx else {}
            project.refresh_from_db()
            before = snapshot()
            url = f"/prosjekter/{project.slug}/endre/"
            if method == "GET":
                response = client.get(url, **headers)
            else:
                response = client.post(url, edit_data(project, call=persona), **headers)
            outcome = expected(persona, method)
            if which == "internal" and persona == NO_ROLE:
                # An internal project is not found by those who may not see it.
                assert response.status_code == 404
            else:
                check(response, outcome, htmx)
            if outcome == "done":
                project.refresh_from_db()
                assert project.call == persona
            else:
                assert snapshot() == before


@BOTH_PATHS
def test_reading(world, subtests, htmx):
    headers = HX if htmx else {}
    for persona in PERSONAS:
        with subtests.test(persona=persona):
            client = world["clients"][persona]
            sees_internal = persona in MAY_WRITE
            assert client.get("/prosjekter/", **headers).status_code == 200
            assert client.get("/prosjekter/open/", **headers).status_code == 200
            internal = client.get("/prosjekter/intern/", **headers)
            assert internal.status_code == (200 if sees_internal else 404)
            assert ("INTERN" in client.get("/prosjekter/").text) is sees_internal


@pytest.mark.parametrize("url", ["/prosjekter/", "/prosjekter/open/"])
def test_the_public_pages_refuse_a_post(world, subtests, url):
    for persona in PERSONAS:
        with subtests.test(persona=persona):
            response = world["clients"][persona].post(url, {})
            assert response.status_code in (403, 405)  # 403: CSRF before the view, anonymous
            assert Project.objects.count() == 2
