"""Set a commitment's status with an assessment: in place with htmx, and as a plain post."""

import pytest

from priorities.models import Status, StatusUpdate
from tests.factories import make_owner
from tests.priorities.workspace_helpers import HX, page, url


@pytest.fixture
def status_url(commitment):
    return url("priorities:status_create", commitment.priority.slug, commitment.number)


def status_data(**overrides) -> dict:
    return {"status": "needs_attention", "assessment": "Få aktiviteter i år."} | overrides


def test_form_opens_in_place_with_htmx(editor_client, status_url):
    response = editor_client.get(status_url, **HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'data-hx-post="{status_url}"' in html and f'action="{status_url}"' in html
    # Every status as a radio with its text label; the first one takes the focus.
    for value in Status.values:
        assert f'value="{value}"' in html
    assert html.count("autofocus") == 1


def test_form_is_a_full_page_without_htmx(editor_client, status_url):
    html = editor_client.get(status_url).content.decode()
    assert "<html" in html and 'name="assessment"' in html and "hx-post" not in html


def test_form_starts_from_the_current_status(editor_client, editor_user, commitment, status_url):
    commitment.set_status(status=Status.OFF_TRACK, assessment="Stopp.", author=editor_user)
    html = editor_client.get(status_url, **HX).content.decode()
    checked = [tag for tag in html.split("<input")[1:] if " checked" in tag.split(">")[0]]
    assert len(checked) == 1 and 'value="off_track"' in checked[0]


def test_set_status_with_htmx_updates_history_and_summary(
    editor_client, editor_user, commitment, status_url
):
    response = editor_client.post("/en" + status_url, status_data(), **HX)

    assert response.status_code == 200
    update = StatusUpdate.objects.get()
    assert update.commitment == commitment
    assert update.status == "needs_attention"
    assert update.assessment == "Få aktiviteter i år."
    assert update.author == editor_user

    html = response.content.decode()
    assert "<html" not in html
    # The button comes back with the focus; history and summary are swapped out of band.
    assert 'id="set-status-button"' in html and "data-focus" in html
    assert 'id="status-history"' in html and f'id="status-{update.pk}"' in html
    assert 'id="commitment-summary"' in html and "Få aktiviteter i år." in html
    assert "The status was set to “Needs attention”." in html


def test_set_status_without_htmx_redirects_back(editor_client, commitment, status_url):
    response = editor_client.post("/en" + status_url, status_data())
    assert response.status_code == 303
    assert response["Location"] == f"/en{page(commitment)}#status-history"
    assert StatusUpdate.objects.count() == 1
    html = editor_client.get("/en" + page(commitment)).content.decode()
    assert "The status was set to “Needs attention”." in html


def test_cancel_gives_back_the_button(editor_client, status_url):
    html = editor_client.get(status_url + "?cancel=1", **HX).content.decode()
    assert 'id="set-status-button"' in html and "data-focus" in html and "<form" not in html


def test_owner_may_set_status_on_own_commitment(client, commitment, status_url):
    owner = make_owner(commitment)
    client.force_login(owner)
    assert client.post(status_url, status_data(), **HX).status_code == 200
    assert StatusUpdate.objects.get().author == owner


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "", "assessment": ""}, "This field is required."),
        (status_data(status="great"), "Select a valid choice."),
        (status_data(assessment="x" * 10_000), "at most 2000 characters"),
        (status_data(assessment="Bra\x00"), "Null characters are not allowed."),
        (status_data(status="on_track\x00"), "Select a valid choice."),
    ],
)
@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
def test_bad_input_is_a_422_and_saves_nothing(editor_client, status_url, data, message, htmx):
    headers = HX if htmx else {}
    response = editor_client.post("/en" + status_url, data, **headers)
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert ("<html" in html) is not htmx
    assert 'aria-invalid="true"' in html and "autofocus" in html
    assert StatusUpdate.objects.count() == 0


def test_unknown_commitment_is_a_404(editor_client, commitment):
    unknown = url("priorities:status_create", commitment.priority.slug, 42)
    assert editor_client.post(unknown, status_data(), **HX).status_code == 404
    assert StatusUpdate.objects.count() == 0


def test_status_update_is_recorded_in_history_with_the_user(editor_client, editor_user, status_url):
    editor_client.post(status_url, status_data())
    record = StatusUpdate.history.get()
    assert record.history_type == "+"
    assert record.history_user == editor_user
    assert record.status == "needs_attention"


def test_the_commitment_page_shows_the_button_to_owners_and_editors_only(
    client, staff_user, editor_user, commitment
):
    owner = make_owner(commitment)
    commitment_page = "/en" + page(commitment)
    for user, shown in [(editor_user, True), (owner, True), (staff_user, False)]:
        client.force_login(user)
        html = client.get(commitment_page).content.decode()
        assert ('id="set-status-button"' in html) is shown, user
    client.logout()
    assert 'id="set-status-button"' not in client.get(commitment_page).content.decode()
