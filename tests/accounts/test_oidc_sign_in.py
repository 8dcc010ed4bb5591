"""Sign-in with the county's account against a real OpenID Connect provider over HTTP
(oidc-provider-mock, tests/accounts/conftest.py): users and roles come from its claims."""

from urllib.parse import parse_qs

import pytest
from django.contrib.auth.models import User

from accounts.models import ExternalIdentity
from priorities.roles import EDITOR_GROUP, STAFF_GROUP
from tests.accounts.conftest import (
    ADMIN_GROUPS,
    CLIENT_ID,
    EDITOR_GROUPS,
    STAFF_GROUPS,
    configure_provider,
    sign_in,
    start_sign_in,
)

pytestmark = pytest.mark.django_db


def roles(user: User) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def signed_in_user(client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_the_first_sign_in_makes_the_user_with_the_role_and_opens_my_work(
    client, oidc_settings, oidc_provider
):
    oidc_provider.set_user(
        "a1b2-ingrid",
        name="Ingrid Testesen",
        given_name="Ingrid",
        family_name="Testesen",
        email="ingrid.testesen@fylke.example",
        preferred_username="ingrid.testesen@fylke.example",
        groups=["some-other-group", *STAFF_GROUPS],
    )
    response = sign_in(client, oidc_provider, "a1b2-ingrid")

    assert response.status_code == 302
    assert response["Location"] == "/mitt-arbeid/"
    user = signed_in_user(client)
    assert user.username == "ingrid.testesen@fylke.example"
    assert (user.first_name, user.last_name) == ("Ingrid", "Testesen")
    assert user.email == "ingrid.testesen@fylke.example"
    assert roles(user) == {STAFF_GROUP}
    assert not user.is_staff and not user.is_superuser
    assert not user.has_usable_password()
    identity = ExternalIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (oidc_provider.url, "a1b2-ingrid")
    assert client.get("/mitt-arbeid/").status_code == 200


def test_the_flow_asks_for_pkce_state_and_nonce(client, oidc_settings, oidc_provider):
    authorize_url, query = start_sign_in(client)
    assert authorize_url.startswith(f"{oidc_provider.url}/oauth2/authorize?")
    assert query["response_type"] == "code"
    assert query["client_id"] == CLIENT_ID
    assert query["redirect_uri"] == "http://testserver/oidc/callback/"
    assert query["code_challenge_method"] == "S256"
    assert len(query["state"]) >= 32 and len(query["nonce"]) >= 32
    assert set(query["scope"].split()) >= {"openid", "profile", "email"}


def test_a_second_sign_in_with_other_groups_changes_the_roles_and_the_name(
    client, oidc_settings, oidc_provider
):
    oidc_provider.set_user(
        "sub-ola", name="Ola Prøvesen", email="ola@fylke.example", groups=STAFF_GROUPS
    )
    sign_in(client, oidc_provider, "sub-ola")
    client.logout()
    oidc_provider.set_user(
        "sub-ola",
        name="Ola Prøvesen Nordmann",
        email="ola.nordmann@fylke.example",
        groups=[*EDITOR_GROUPS, *ADMIN_GROUPS],
    )
    sign_in(client, oidc_provider, "sub-ola")

    user = signed_in_user(client)
    assert User.objects.count() == 1
    assert roles(user) == {EDITOR_GROUP}
    assert user.is_staff and user.is_superuser
    assert (user.first_name, user.last_name) == ("Ola Prøvesen", "Nordmann")
    assert user.email == "ola.nordmann@fylke.example"


def test_the_user_is_found_by_subject_not_by_e_mail(client, oidc_settings, oidc_provider):
    """An address passed on to someone else does not give them the first person's account."""
    oidc_provider.set_user("sub-first", email="radgiver@fylke.example", groups=EDITOR_GROUPS)
    sign_in(client, oidc_provider, "sub-first")
    first = signed_in_user(client)
    client.logout()
    oidc_provider.set_user("sub-second", email="radgiver@fylke.example", groups=STAFF_GROUPS)
    sign_in(client, oidc_provider, "sub-second")

    second = signed_in_user(client)
    assert second != first
    assert roles(second) == {STAFF_GROUP}
    assert roles(first) == {EDITOR_GROUP}


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_someone_in_no_mapped_group_is_refused_and_no_user_is_made(
    client, oidc_settings, oidc_provider, language
):
    oidc_provider.set_user("sub-outsider", name="Kari Utenfor", groups=["another-group"])
    prefix = "" if language == "nb" else f"/{language}"
    response = sign_in(client, oidc_provider, "sub-outsider", path=f"{prefix}/accounts/oidc/")

    assert response.status_code == 403
    assert response["Content-Language"] == language
    heading = {
        "nb": "Du har ikke tilgang til portalen",
        "nn": "Du har ikkje tilgang til portalen",
        "en": "You have no access to the portal",
    }[language]
    assert heading in response.text
    assert "_auth_user_id" not in client.session
    assert not User.objects.exists()
    assert not ExternalIdentity.objects.exists()


def test_someone_taken_out_of_every_group_loses_the_roles_at_the_next_sign_in(
    client, oidc_settings, oidc_provider
):
    oidc_provider.set_user("sub-leaver", groups=[*EDITOR_GROUPS, *ADMIN_GROUPS])
    sign_in(client, oidc_provider, "sub-leaver")
    client.logout()
    oidc_provider.set_user("sub-leaver", groups=[])

    response = sign_in(client, oidc_provider, "sub-leaver")

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    user = User.objects.get()
    assert roles(user) == set()
    assert not user.is_staff and not user.is_superuser


def test_a_deactivated_user_is_refused(client, oidc_settings, oidc_provider):
    oidc_provider.set_user("sub-off", groups=STAFF_GROUPS)
    sign_in(client, oidc_provider, "sub-off")
    client.logout()
    User.objects.update(is_active=False)

    response = sign_in(client, oidc_provider, "sub-off")

    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_the_return_address_is_kept_and_an_outside_one_dropped(
    client, oidc_settings, oidc_provider
):
    oidc_provider.set_user("sub-next", groups=STAFF_GROUPS)
    response = sign_in(client, oidc_provider, "sub-next", path="/en/accounts/oidc/?next=/en/")
    assert response["Location"] == "/en/"
    client.logout()
    response = sign_in(
        client, oidc_provider, "sub-next", path="/accounts/oidc/?next=https://evil.example/"
    )
    assert response["Location"] == "/mitt-arbeid/"


def test_sign_out_ends_the_session_and_the_providers(client, oidc_settings, oidc_provider):
    oidc_provider.set_user("sub-out", groups=STAFF_GROUPS)
    sign_in(client, oidc_provider, "sub-out")
    id_token = client.session["oidc_id_token"]

    response = client.post("/en/accounts/logout/")

    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    end_session, query = response["Location"].split("?", 1)
    assert end_session == f"{oidc_provider.url}/oauth2/end_session"
    params = {key: values[0] for key, values in parse_qs(query).items()}
    assert params == {
        "id_token_hint": id_token,
        "client_id": CLIENT_ID,
        "post_logout_redirect_uri": "http://testserver/en/",
    }
    assert client.get("/mitt-arbeid/").status_code == 302


def test_sign_out_after_a_password_sign_in_stays_in_the_portal(client, oidc_settings, staff_user):
    client.force_login(staff_user)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_without_a_provider_the_county_sign_in_is_not_there(client, db):
    assert client.get("/accounts/oidc/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404
    assert "accounts/oidc" not in client.get("/accounts/login/").text


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("nb", "Logg inn med fylkeskommunens konto"),
        ("nn", "Logg inn med fylkeskommunen sin konto"),
        ("en", "Sign in with the county's account"),
    ],
)
def test_the_county_account_is_the_first_choice_on_the_login_page(
    client, oidc_settings, language, label
):
    prefix = "" if language == "nb" else f"/{language}"
    html = client.get(f"{prefix}/accounts/login/").content.decode()
    main = html.split('id="main"', 1)[1] if 'id="main"' in html else html
    link = main.index(label)
    assert link < main.index('name="username"')
    my_work = f"{prefix}/mitt-arbeid/"
    assert f'href="{prefix}/accounts/oidc/?next={my_work}"' in main
    assert "autofocus" not in html


def test_the_provider_unreachable_gives_a_clear_page(client, settings, db):
    configure_provider(settings, "http://127.0.0.1:9")
    response = client.get("/en/accounts/oidc/")
    assert response.status_code == 503
    assert "did not answer" in response.text
