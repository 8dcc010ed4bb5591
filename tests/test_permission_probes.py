"""Guessing ids gets nobody anywhere: every id, every action, checked on the server per object.

tests/priorities/test_workspace_permissions.py checks each persona against each view; here a
signed-in user walks through every id there is (and some there are not), as a script would.
"""

import logging

import pytest
from django.test import Client

from priorities.models import Activity, Commitment, StatusUpdate
from tests.factories import get_commitment, make_owner, make_user
from tests.log_helpers import logged
from tests.priorities.workspace_helpers import HX, make_activity, url


@pytest.fixture
def world(strategy, staff_user, other_staff_user, editor_user):
    commitment = get_commitment()
    owner = make_owner(commitment)
    mine = make_activity(commitment, staff_user, title="Mitt")
    theirs = [
        make_activity(commitment, other_staff_user, title="Kollegas"),
        make_activity(commitment, editor_user, title="Redaktørens"),
        make_activity(commitment, None, title="Importert"),
        make_activity(get_commitment("4.3"), other_staff_user, title="Hemmelig", is_public=False),
    ]
    return {"commitment": commitment, "owner": owner, "mine": mine, "theirs": theirs}


def state():
    return (
        list(Activity.objects.order_by("pk").values_list("pk", "title", "updated_at")),
        StatusUpdate.objects.count(),
    )


# A valid edit of someone else's activity.
TAKEOVER = {"title": "Kapret", "kind": "meeting", "start_date": "2025-01-01"}


def guesses(world) -> list[int]:
    """Every id there is, the neighbours of the highest, zero and huge ones."""
    top = Activity.objects.order_by("-pk").values_list("pk", flat=True)[0]
    return [0, *range(1, top + 4), 2**31, 2**63 - 1, 2**63, 10**30]


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_staff_guessing_ids_edits_and_deletes_only_their_own(world, staff_client, htmx):
    headers = HX if htmx else {}
    mine = world["mine"].pk
    theirs = {a.pk for a in world["theirs"]}
    versions = {a.pk: a.updated_at.isoformat() for a in world["theirs"]}
    before = state()
    for pk in guesses(world):
        expected = 200 if pk == mine else 403 if pk in theirs else 404
        for view in ("activity_edit", "activity_delete"):
            path = url(f"priorities:{view}", pk)
            assert staff_client.get(path, **headers).status_code == expected, (view, pk)
            if pk != mine:
                # The form's version too, so nothing but the permission stands in the way.
                data = TAKEOVER | {"version": versions.get(pk, "")}
                assert staff_client.post(path, data, **headers).status_code == expected
    assert state() == before


def test_staff_cannot_set_status_on_commitments_they_do_not_own(world, staff_client, subtests):
    data = {"status": "completed", "assessment": "Ferdig!"}
    for commitment in Commitment.objects.select_related("priority"):
        with subtests.test(code=commitment.code):
            path = url("priorities:status_create", commitment.priority.slug, commitment.number)
            assert staff_client.get(path, **HX).status_code == 403
            assert staff_client.post(path, data, **HX).status_code == 403
    assert not StatusUpdate.objects.exists()


def test_an_owner_sets_status_only_on_their_own_commitment(world, subtests):
    client = Client()
    client.force_login(world["owner"])
    data = {"status": "on_track", "assessment": "Godt i gang."}
    for commitment in Commitment.objects.select_related("priority"):
        with subtests.test(code=commitment.code):
            path = url("priorities:status_create", commitment.priority.slug, commitment.number)
            response = client.post(path, data, **HX)
            assert response.status_code == (200 if commitment == world["commitment"] else 403)
    assert StatusUpdate.objects.get().commitment == world["commitment"]


@pytest.mark.parametrize("number", [0, 9, 32768, 2**63])
def test_unknown_commitments_are_404(world, editor_client, number):
    for view in ("activity_create", "status_create"):
        path = url(f"priorities:{view}", "medlemsorganisasjoner", number)
        assert editor_client.post(path, {}, **HX).status_code == 404
        path = url(f"priorities:{view}", "finnes-ikke", 1)
        assert editor_client.post(path, {}, **HX).status_code == 404


def test_internal_activities_cannot_be_found_by_id(world, client, subtests):
    # Anonymous visitors and signed-in users without a role: an internal activity is as
    # missing as an id that does not exist (a 404, not a 403 that says it is there).
    internal = world["theirs"][-1]
    norole = Client()
    norole.force_login(make_user("norole"))
    for name, visitor in (("anonymous", client), ("no role", norole)):
        with subtests.test(visitor=name):
            assert visitor.get(url("priorities:activity", internal.pk)).status_code == 404
            missing = max(guesses(world))
            assert visitor.get(url("priorities:activity", missing)).status_code == 404
            listed = visitor.get("/api/activities/").json()["results"]
            assert internal.pk not in {a["id"] for a in listed}
            assert "Hemmelig" not in visitor.get("/feed/").text


def test_staff_without_the_editor_role_cannot_import(world, staff_client):
    assert staff_client.get("/en/import/").status_code == 403
    assert staff_client.post("/en/import/", {"action": "confirm", "digest": "x"}).status_code == 403


def test_history_needs_a_role(world):
    norole = Client()
    norole.force_login(make_user("norole"))
    assert norole.get(url("priorities:activity_history", world["mine"].pk)).status_code == 403


# --- Denials are logged -----------------------------------------------------------------------


def test_a_permission_denial_is_logged_without_session_or_token(
    world, staff_client, staff_user, caplog
):
    caplog.set_level(logging.INFO)
    theirs = world["theirs"][0]
    session_id = staff_client.cookies["sessionid"].value
    path = url("priorities:activity_edit", theirs.pk)
    staff_client.get(path)  # a CSRF cookie, as a browser would have
    csrf_token = (
        staff_client.cookies["csrftoken"].value if "csrftoken" in staff_client.cookies else None
    )
    caplog.clear()

    response = staff_client.post(path, {"title": "Kapret"}, **HX)

    assert response.status_code == 403
    lines = logged(caplog)
    denial = [line for line in lines if line["logger"] == "django.request"]
    assert len(denial) == 1
    assert denial[0]["level"] == "WARNING"
    assert denial[0]["message"] == f"Forbidden (Permission denied): {path}"
    assert (denial[0]["status_code"], denial[0]["method"], denial[0]["path"]) == (403, "POST", path)
    # The request log says who: the user's id (the session is not in the log).
    request = [line for line in lines if line["logger"] == "strategy_portal.request"]
    assert [(r["status"], r["user_id"], r["path"]) for r in request] == [(403, staff_user.pk, path)]
    text = "\n".join(map(str, lines))
    assert session_id not in text
    assert csrf_token is None or csrf_token not in text


def test_a_csrf_refusal_is_logged(world, staff_user, caplog):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    caplog.set_level(logging.INFO)
    path = url("priorities:activity_delete", world["mine"].pk)

    assert client.post(path, **HX).status_code == 403

    lines = logged(caplog)
    refusal = [line for line in lines if line["logger"] == "django.security.csrf"]
    assert len(refusal) == 1 and refusal[0]["path"] == path
    assert "CSRF" in refusal[0]["message"]
    assert client.cookies["sessionid"].value not in "\n".join(map(str, lines))
