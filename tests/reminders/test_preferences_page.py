"""The e-mail settings page: every signed-in person edits their own, plain form and htmx."""

import pytest

from accounts.models import Profile
from tests.factories import get_commitment, make_owner
from tests.priorities.workspace_helpers import HX

URL = "/accounts/innstillinger/"
PERSONAS = ["staff_user", "editor_user", "admin_user", "owner"]


@pytest.fixture
def owner(strategy):
    return make_owner(get_commitment("1.1"), "kari")


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("htmx", [False, True])
def test_anonymous_is_sent_to_the_login(db, client, method, htmx):
    response = getattr(client, method)(URL, {}, **(HX if htmx else {}))

    if htmx:
        assert response["HX-Redirect"].startswith("/accounts/login/?next=")
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    assert not Profile.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_signed_in_sees_the_form_and_is_linked_from_my_work(
    client, request, strategy, persona
):
    user = request.getfixturevalue(persona)
    client.force_login(user)

    page = client.get(URL)
    assert page.status_code == 200 and 'name="language"' in page.text
    assert URL in client.get("/mitt-arbeid/").text


@pytest.mark.parametrize("persona", PERSONAS)
def test_saving_with_the_plain_form(client, request, strategy, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)

    response = client.post(URL, {"language": "en"})

    assert response.status_code == 303 and response["Location"] == URL
    profile = Profile.objects.get(user=user)
    assert (profile.language, profile.weekly_digest) == ("en", False)


def test_saving_with_htmx_answers_with_the_form_and_announces_it(client, staff_user):
    client.force_login(staff_user)

    response = client.post(URL, {"language": "nn", "weekly_digest": "on"}, **HX)

    assert response.status_code == 200
    assert "<html" not in response.text and 'id="preferences-form"' in response.text
    assert "Innstillingene dine er lagret." in response.text
    assert Profile.objects.get(user=staff_user).language == "nn"


@pytest.mark.parametrize("htmx", [False, True])
def test_a_bad_language_is_refused_and_nothing_saved(client, staff_user, htmx):
    Profile.objects.create(user=staff_user, language="nb")
    client.force_login(staff_user)

    response = client.post(URL, {"language": "de", "weekly_digest": "on"}, **(HX if htmx else {}))

    assert response.status_code == 422
    assert "Velg et gyldig valg" in response.text
    assert ("<html" in response.text) is not htmx
    assert Profile.objects.get(user=staff_user).language == "nb"
