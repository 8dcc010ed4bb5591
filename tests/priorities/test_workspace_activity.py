"""Log, edit and delete an activity: in place with htmx, and as plain form posts."""

import datetime

import pytest

from partners.models import BilateralPartner, Organisation
from priorities.models import Activity
from tests.priorities.workspace_helpers import (
    HX,
    activity_data,
    edit_data,
    make_activity,
    page,
    url,
)


@pytest.fixture
def create_url(commitment):
    return url("priorities:activity_create", commitment.priority.slug, 1)


@pytest.fixture
def own_activity(commitment, staff_user):
    return make_activity(commitment, staff_user)


def edit_url(activity):
    return url("priorities:activity_edit", activity.pk)


def delete_url(activity):
    return url("priorities:activity_delete", activity.pk)


# --- Log an activity ----------------------------------------------------------------------


def test_form_opens_in_place_with_htmx(staff_client, create_url):
    response = staff_client.get(create_url, **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert f'data-hx-post="{create_url}"' in html
    assert 'name="title"' in html and "autofocus" in html
    # A plain form too: it posts without JavaScript.
    assert f'action="{create_url}"' in html and 'method="post"' in html


def test_form_is_a_full_page_without_htmx(staff_client, create_url):
    response = staff_client.get(create_url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and 'name="title"' in html
    assert "hx-post" not in html  # the full page posts as a plain form and redirects back


def test_log_activity_with_htmx_swaps_in_the_list_summary_and_announcement(
    staff_client, staff_user, commitment, create_url
):
    partner = BilateralPartner.objects.get(slug="kaunas")
    organisation = Organisation.objects.first()
    data = activity_data(partners=[partner.pk], organisations=[organisation.pk])
    response = staff_client.post(create_url, data, **HX)

    assert response.status_code == 200
    activity = Activity.objects.get()
    assert activity.title == "Generalforsamling i CPMR"
    assert activity.commitment == commitment
    assert activity.created_by == staff_user
    assert activity.country == "NO"
    assert activity.is_public is True
    assert list(activity.partners.all()) == [partner]
    assert list(activity.organisations.all()) == [organisation]

    html = response.content.decode()
    assert "<html" not in html
    # The list replaces the old one (so the form closes), the new activity takes the focus.
    assert response["HX-Retarget"] == "#activity-list"
    assert response["HX-Reswap"] == "outerHTML"
    assert 'id="activity-list"' in html
    assert f'id="activity-{activity.pk}" tabindex="-1" data-focus' in html
    assert 'id="log-activity-button"' in html and 'name="title"' not in html
    # The summary's counts follow, and the live region announces it (data-hx-select-oob).
    assert 'id="commitment-summary"' in html
    assert '<div id="workspace-announcer">«Generalforsamling i CPMR» ble registrert.</div>' in html


def test_log_activity_without_htmx_redirects_back_with_a_message(
    staff_client, commitment, create_url
):
    response = staff_client.post(create_url, activity_data(), follow=False)
    activity = Activity.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"{page(commitment)}#activity-{activity.pk}"

    html = staff_client.get("/en" + page(commitment)).content.decode()
    assert "«Generalforsamling i CPMR» ble registrert." in html


def test_new_activity_is_public_by_default_and_can_be_internal(staff_client, create_url):
    form = staff_client.get(create_url, **HX).content.decode()
    assert "checked" in widget_tag(form, "is_public")

    staff_client.post(create_url, activity_data(is_public=None), **HX)
    assert Activity.objects.get().is_public is False


def test_cancel_closes_the_form_and_gives_back_the_button(staff_client, create_url):
    response = staff_client.get(create_url + "?cancel=1", **HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="log-activity-button"' in html and "data-focus" in html
    assert "<form" not in html


# --- Bad input: a message, a 4xx, nothing saved ---------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "", "kind": "", "start_date": ""}, "title", "This field is required."),
        ({"title": "x" * 10_000}, "title", "Ensure this value has at most 200 characters"),
        (
            {"start_date": "2025-06-12", "end_date": "2025-06-01"},
            "end_date",
            "The end date cannot be before the start date.",
        ),
        ({"title": "Møte\x00"}, "title", "Null characters are not allowed."),
        ({"description": "a\x00b"}, "description", "Null characters are not allowed."),
        ({"start_date": "2025-06-\x001"}, "start_date", "Enter a valid date."),
        ({"partners": ["999999"]}, "partners", "Select a valid choice."),
        ({"partners": ["1\x00"]}, "partners", "Null characters are not allowed."),
        ({"organisations": ["abc"]}, "organisations", "is not a valid value"),
        ({"programme": "999999"}, "programme", "Select a valid choice."),
        ({"kind": "holiday"}, "kind", "Select a valid choice."),
        ({"start_date": "0025-06-12", "end_date": ""}, "start_date", "Give a date between"),
        ({"url": "javascript:alert(1)"}, "url", "Enter a valid URL."),
        ({"country": "Norway"}, "country", "valid choice"),
    ],
)
@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
def test_bad_input_is_a_422_with_the_message_and_saves_nothing(
    staff_client, create_url, overrides, field, message, htmx
):
    headers = HX if htmx else {}
    response = staff_client.post("/en" + create_url, activity_data(**overrides), **headers)

    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert ("<html" in html) is not htmx
    assert Activity.objects.count() == 0
    # The field is marked and described for screen readers, and takes the focus.
    assert f'id="id_{field}_error"' in html
    described = widget_tag(html, field, fieldset=field in ("partners", "organisations"))
    assert f"id_{field}_error" in described.split('aria-describedby="')[1].split('"')[0]
    assert 'aria-invalid="true"' in widget_tag(html, field)
    assert "autofocus" in widget_tag(html, field)


def widget_tag(html: str, name: str, fieldset: bool = False) -> str:
    """The first tag of the field's widget (or of its fieldset, for checkbox groups)."""
    # In a whole page, the form's control and not the page's <meta name="description">.
    html = html.split("<main", 1)[-1]
    if fieldset:
        before = html.split(f'name="{name}"', 1)[0]
        return before.rsplit("<fieldset", 1)[1].split(">", 1)[0]
    before, after = html.split(f'name="{name}"', 1)
    return before.rsplit("<", 1)[1] + after.split(">", 1)[0]


def test_the_first_field_with_an_error_gets_the_focus(staff_client, create_url):
    data = activity_data(title="", end_date="2000-01-01")
    html = staff_client.post(create_url, data, **HX).content.decode()
    title_input = html.split('name="title"')[1].split(">", 1)[0]
    end_input = html.split('name="end_date"')[1].split(">", 1)[0]
    assert "autofocus" in title_input and 'aria-invalid="true"' in title_input
    assert 'aria-describedby="id_title_error"' in title_input
    assert "autofocus" not in end_input and 'aria-invalid="true"' in end_input
    assert html.count("autofocus") == 1


def test_an_error_summary_links_to_each_field(staff_client, create_url):
    html = staff_client.post("/en" + create_url, activity_data(title=""), **HX).content.decode()
    assert "There is a problem" in html
    assert '<a href="#id_title">Title: This field is required.</a>' in html


def test_unknown_commitment_is_a_404_and_saves_nothing(staff_client, commitment):
    unknown = url("priorities:activity_create", commitment.priority.slug, 99)
    assert staff_client.get(unknown).status_code == 404
    assert staff_client.post(unknown, activity_data(), **HX).status_code == 404
    unknown = url("priorities:activity_create", "no-such-priority", 1)
    assert staff_client.post(unknown, activity_data()).status_code == 404
    assert Activity.objects.count() == 0


def test_a_commitment_deleted_while_the_form_was_open_saves_nothing(
    staff_client, commitment, create_url
):
    staff_client.get(create_url, **HX)
    commitment.status_updates.all().delete()
    commitment.delete()
    response = staff_client.post(create_url, activity_data(), **HX)
    assert response.status_code == 404
    assert Activity.objects.count() == 0


def test_unknown_activity_is_a_404(staff_client):
    assert staff_client.get(url("priorities:activity_edit", 999)).status_code == 404
    assert staff_client.post(url("priorities:activity_delete", 999)).status_code == 404


# --- Edit ---------------------------------------------------------------------------------


def test_edit_form_opens_in_place_prefilled_with_the_version(staff_client, own_activity):
    response = staff_client.get(edit_url(own_activity), **HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    # In the list, in place of the activity: same id, a list item.
    assert html.strip().startswith("<li") and f'id="activity-{own_activity.pk}"' in html
    assert 'value="Møte i Nordsjøkommisjonen"' in html
    assert f'value="{own_activity.updated_at.isoformat()}"' in html
    assert 'name="version"' in html


def test_edit_page_without_htmx_is_a_full_page(staff_client, own_activity):
    html = staff_client.get(edit_url(own_activity)).content.decode()
    assert "<html" in html and 'value="Møte i Nordsjøkommisjonen"' in html


def test_edit_with_htmx_puts_the_saved_activity_in_place(staff_client, own_activity):
    data = edit_data(own_activity, title="Nytt navn", is_public="")
    data.pop("is_public")
    response = staff_client.post(edit_url(own_activity), data, **HX)

    assert response.status_code == 200
    own_activity.refresh_from_db()
    assert own_activity.title == "Nytt navn"
    assert own_activity.is_public is False
    html = response.content.decode()
    assert "<html" not in html and "HX-Retarget" not in response
    first_tag = html.strip().split(">", 1)[0]
    assert 'class="activity-item activity-item--internal"' in first_tag  # now internal
    assert f'id="activity-{own_activity.pk}" tabindex="-1" data-focus' in first_tag
    assert 'id="commitment-summary"' in html
    assert "«Nytt navn» ble lagret." in html


def test_edit_without_htmx_redirects_back(staff_client, own_activity, commitment):
    response = staff_client.post(edit_url(own_activity), edit_data(own_activity, title="Nytt"))
    assert response.status_code == 303
    assert response["Location"] == f"{page(commitment)}#activity-{own_activity.pk}"
    own_activity.refresh_from_db()
    assert own_activity.title == "Nytt"


def test_edit_cancel_gives_back_the_activity(staff_client, own_activity):
    response = staff_client.get(edit_url(own_activity) + "?cancel=1", **HX)
    html = response.content.decode()
    assert f'id="activity-{own_activity.pk}" tabindex="-1" data-focus' in html
    assert "<form" not in html


def test_edit_with_bad_input_is_a_422_and_changes_nothing(staff_client, own_activity):
    before = Activity.objects.values().get(pk=own_activity.pk)
    for data in [
        edit_data(own_activity, title=""),
        edit_data(own_activity, title="x" * 10_000),
        edit_data(own_activity, end_date="2025-01-01"),
        edit_data(own_activity, place="Oslo\x00"),
        edit_data(own_activity, partners=["424242"]),
        edit_data(own_activity, version="\x00"),
    ]:
        response = staff_client.post(edit_url(own_activity), data, **HX)
        assert response.status_code in (409, 422)
        assert Activity.objects.values().get(pk=own_activity.pk) == before
    assert own_activity.partners.count() == 0


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
def test_edit_over_a_newer_version_is_a_conflict_and_overwrites_nothing(
    staff_client, editor_client_2, own_activity, htmx
):
    # Staff opens the form; an editor saves a change in the meantime.
    stale = edit_data(own_activity, title="Staff's title")
    response = editor_client_2.post(edit_url(own_activity), edit_data(own_activity, title="Ed"))
    assert response.status_code == 303

    headers = HX if htmx else {}
    response = staff_client.post("/en" + edit_url(own_activity), stale, **headers)

    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone changed this activity after you opened the form" in html
    assert "Open the latest version" in html
    assert ("<html" in html) is not htmx
    # What the staff member typed is still in the form, but nothing was saved.
    assert 'value="Staff&#x27;s title"' in html
    own_activity.refresh_from_db()
    assert own_activity.title == "Ed"
    # Saving again with the same stale version is still refused.
    assert staff_client.post(edit_url(own_activity), stale, **headers).status_code == 409


def test_edit_without_a_version_is_a_conflict(staff_client, own_activity):
    data = edit_data(own_activity, title="Nytt")
    data.pop("version")
    assert staff_client.post(edit_url(own_activity), data, **HX).status_code == 409
    own_activity.refresh_from_db()
    assert own_activity.title == "Møte i Nordsjøkommisjonen"


def test_edit_keeps_a_link_to_an_inactive_partner(staff_client, own_activity):
    partner = BilateralPartner.objects.get(slug="kaunas")
    own_activity.partners.add(partner)
    BilateralPartner.objects.filter(pk=partner.pk).update(active=False)
    own_activity.refresh_from_db()
    response = staff_client.post(
        edit_url(own_activity), edit_data(own_activity, partners=[partner.pk]), **HX
    )
    assert response.status_code == 200
    assert list(own_activity.partners.all()) == [partner]
    # ...but a new activity cannot pick it.
    create = url("priorities:activity_create", own_activity.commitment.priority.slug, 1)
    assert "Kaunas" not in staff_client.get(create, **HX).content.decode()


# --- Delete -------------------------------------------------------------------------------


def test_delete_asks_first_in_place(staff_client, own_activity):
    response = staff_client.get(delete_url(own_activity), **HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and html.strip().startswith("<li")
    assert f'id="activity-{own_activity.pk}"' in html
    assert f'data-hx-post="{delete_url(own_activity)}"' in html
    assert Activity.objects.filter(pk=own_activity.pk).exists()


def test_delete_confirmation_is_a_page_without_htmx(staff_client, own_activity):
    html = staff_client.get("/en" + delete_url(own_activity)).content.decode()
    assert "<html" in html and "Delete “Møte i Nordsjøkommisjonen”?" in html
    assert Activity.objects.filter(pk=own_activity.pk).exists()


def test_delete_with_htmx_leaves_a_notice_in_place(staff_client, own_activity):
    response = staff_client.post(delete_url(own_activity), **HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert not Activity.objects.filter(pk=own_activity.pk).exists()
    assert "<html" not in html
    assert f'id="activity-{own_activity.pk}" tabindex="-1" data-focus' in html
    assert 'id="commitment-summary"' in html
    assert "«Møte i Nordsjøkommisjonen» ble slettet." in html


def test_delete_without_htmx_redirects_back(staff_client, own_activity, commitment):
    response = staff_client.post(delete_url(own_activity))
    assert response.status_code == 303
    assert response["Location"] == f"{page(commitment)}#activity-list"
    assert not Activity.objects.filter(pk=own_activity.pk).exists()


def test_delete_cancel_gives_back_the_activity(staff_client, own_activity):
    html = staff_client.get(delete_url(own_activity) + "?cancel=1", **HX).content.decode()
    assert f'id="activity-{own_activity.pk}" tabindex="-1" data-focus' in html
    assert "<form" not in html


# --- History ------------------------------------------------------------------------------


def test_history_shows_who_changed_what_and_when(
    staff_client, staff_user, editor_client_2, own_activity, create_url
):
    # Logged through the form, so the history has its first record.
    staff_client.post(create_url, activity_data(title="Første"))
    activity = Activity.objects.get(title="Første")
    partner = BilateralPartner.objects.get(slug="kaunas")
    editor_client_2.post(
        edit_url(activity),
        edit_data(
            activity, title="Andre", start_date="2025-07-01", end_date="", partners=[partner.pk]
        ),
    )

    response = staff_client.get("/en" + url("priorities:activity_history", activity.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "History of “Andre”" in html
    # Newest first: the editor's change (fields and partners as one change), then the logging.
    changed, logged = html.split("Changed", 1)[1].split("Logged", 1)
    assert "by Test Editor" in changed and "by Test Staff" in logged
    assert "Første" in changed and "Andre" in changed
    assert "Kaunas" in changed
    assert "June 12, 2025" in changed and "July 1, 2025" in changed
    assert "Last changed" not in html  # the timestamp is noise, not a change


def test_history_records_edits_with_the_user(staff_client, staff_user, own_activity):
    staff_client.post(edit_url(own_activity), edit_data(own_activity, title="Nytt"))
    record = own_activity.history.latest()
    assert record.history_user == staff_user
    assert record.title == "Nytt"


def test_history_records_deletion_with_the_user(staff_client, staff_user, own_activity):
    pk = own_activity.pk
    staff_client.post(delete_url(own_activity))
    record = Activity.history.filter(id=pk).latest()
    assert record.history_type == "-"
    assert record.history_user == staff_user


@pytest.fixture
def editor_client_2(editor_user):
    """A second browser, signed in as the editor, next to staff_client."""
    from django.test import Client

    client = Client()
    client.force_login(editor_user)
    return client


def test_dates_older_than_the_strategy_are_still_allowed(staff_client, create_url):
    # Memberships go back to before 2020: logging older work is fine.
    response = staff_client.post(create_url, activity_data(start_date="2015-01-01", end_date=""))
    assert response.status_code == 303
    assert Activity.objects.get().start_date == datetime.date(2015, 1, 1)


def test_activity_page_offers_edit_delete_and_history_to_those_who_may(
    client, staff_user, other_staff_user, own_activity
):
    activity_page = "/en" + page(own_activity)
    history = url("priorities:activity_history", own_activity.pk)
    edit = url("priorities:activity_edit", own_activity.pk)

    html = client.get(activity_page).content.decode()
    assert history not in html and edit not in html

    client.force_login(other_staff_user)  # may read the history, not edit
    html = client.get(activity_page).content.decode()
    assert history in html and edit not in html

    client.force_login(staff_user)
    html = client.get(activity_page).content.decode()
    assert history in html and edit in html


def test_fragments_and_pages_are_cached_apart(staff_client, create_url, own_activity):
    # One URL answers with a fragment or a page: caches must keep them apart.
    for path in (create_url, edit_url(own_activity), delete_url(own_activity)):
        assert "HX-Request" in staff_client.get(path)["Vary"]
