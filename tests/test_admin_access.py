"""Who reaches /admin/ (admins only), and the admin in the reader's language."""

import datetime

import pytest
from django.contrib.auth.models import User

from priorities.models import Activity, Commitment

ADMIN_PAGES = [
    "/admin/",
    "/admin/priorities/activity/",
    "/admin/priorities/activity/add/",
    "/admin/partners/bilateralpartner/",
    "/admin/auth/user/",
    "/nn/admin/priorities/activity/",
    "/en/admin/partners/organisation/",
]


@pytest.fixture
def internal_activity(strategy):
    return Activity.objects.create(
        commitment=Commitment.objects.first(),
        title="Intern hemmelighet",
        kind="meeting",
        start_date=datetime.date(2025, 1, 1),
        is_public=False,
    )


@pytest.mark.parametrize("persona", ["anonymous", "staff_user", "editor_user"])
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_only_admins_reach_the_admin(client, request, internal_activity, persona, path):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    response = client.get(path)

    assert response.status_code == 302
    login = path.split("admin/")[0] + "admin/login/"
    assert response["Location"].startswith(f"{login}?next=")


@pytest.mark.parametrize("persona", ["staff_user", "editor_user"])
def test_staff_and_editors_see_no_admin_data(client, request, internal_activity, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get("/admin/priorities/activity/", follow=True)

    assert response.status_code == 200
    assert "Intern hemmelighet" not in response.text
    assert response.redirect_chain[-1][0].startswith("/admin/login/")
    # Django's own message for a logged-in user without admin rights (in bokmål).
    assert "men er ikke autorisert til å få tilgang til denne siden" in response.text


@pytest.mark.parametrize("persona", ["staff_user", "editor_user"])
def test_staff_and_editors_cannot_change_anything_through_admin(
    client, request, internal_activity, persona
):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(
        "/admin/priorities/activity/",
        {"action": "make_public", "_selected_action": [internal_activity.pk]},
    )

    assert response.status_code == 302
    internal_activity.refresh_from_db()
    assert internal_activity.is_public is False


def test_admin_rights_are_is_staff_not_a_role(client, editor_user, staff_user):
    # Admin rights are given to a person (is_staff), never through the portal's roles.
    assert not editor_user.is_staff and not staff_user.is_staff
    admin = User.objects.create_user("it-admin", is_staff=True, is_superuser=True)
    client.force_login(admin)

    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    "prefix, lang, site_administration",
    [
        ("", "nb", "Nettstedsadministrasjon"),
        ("/nn", "nn", "Nettstadsadministrasjon"),
        ("/en", "en", "Site administration"),
    ],
)
def test_admin_follows_the_active_language(admin_client, prefix, lang, site_administration):
    response = admin_client.get(f"{prefix}/admin/")

    assert response.status_code == 200
    assert f'<html lang="{lang}"' in response.text
    assert site_administration in response.text
    # Links inside the admin stay in the same language.
    assert f'href="{prefix}/admin/priorities/activity/"' in response.text


def test_admin_login_page_follows_the_language(client, db):
    response = client.get("/nn/admin/login/")

    assert response.status_code == 200
    assert '<html lang="nn"' in response.text
