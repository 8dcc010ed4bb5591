"""Editors plan in place, owners change states in place (htmx), and both work as plain
forms; every change is in the history, and every state change keeps its date and comment."""

import datetime

import pytest

from planning.models import Measure, State
from tests.factories import make_measure, make_owner
from tests.planning.helpers import HX, YEAR, edit_data, measure_data, state_data, url


def test_an_editor_adds_a_measure_in_place(editor_client, commitment):
    add = url("planning:measure_create", YEAR)
    form = editor_client.get(f"{add}?commitment={commitment.pk}", **HX)
    assert form.status_code == 200 and "<html" not in form.text
    assert "Legg til et tiltak under forpliktelse 1.1" in form.text
    assert f'<option value="{commitment.pk}" selected>' in form.text
    assert "autofocus" in form.text

    response = editor_client.post(add, measure_data(commitment), **HX)
    assert response.status_code == 200
    measure = Measure.objects.get()
    assert (measure.year, measure.commitment, measure.cost_nok) == (YEAR, commitment, 60000)
    # The plan's body again, the new measure focused, the announcement out of band.
    assert response["HX-Retarget"] == "#plan-body"
    assert response["HX-Reswap"] == "outerHTML"
    assert f'id="measure-{measure.pk}" tabindex="-1" data-focus' in response.text
    assert 'data-hx-swap-oob="innerHTML">«Søknadsverksted for Interreg» ble lagt til' in (
        response.text
    )


def test_cancel_in_place_gives_the_button_or_the_measure_back(editor_client, commitment):
    add = url("planning:measure_create", YEAR)
    response = editor_client.get(f"{add}?cancel=1&commitment={commitment.pk}", **HX)
    assert f'id="add-measure-{commitment.pk}"' in response.text and "data-focus" in response.text
    measure = make_measure(commitment)
    response = editor_client.get(url("planning:measure_edit", measure.pk) + "?cancel=1", **HX)
    assert f'<li class="measure" id="measure-{measure.pk}" tabindex="-1" data-focus>' in (
        response.text
    )
    response = editor_client.get(url("planning:measure_state", measure.pk) + "?cancel=1", **HX)
    assert f'id="measure-{measure.pk}"' in response.text


def test_without_javascript_the_forms_are_pages_that_lead_back(editor_client, commitment):
    add = url("planning:measure_create", YEAR)
    page = editor_client.get(add)
    assert page.status_code == 200 and "<html" in page.text
    response = editor_client.post(add, measure_data(commitment), follow=True)
    measure = Measure.objects.get()
    assert response.redirect_chain == [(f"/handlingsplan/{YEAR}/#measure-{measure.pk}", 303)]
    assert "ble lagt til i planen" in response.text

    response = editor_client.post(
        url("planning:measure_edit", measure.pk), edit_data(measure, title="Nytt navn")
    )
    assert response.status_code == 303
    response = editor_client.post(url("planning:measure_state", measure.pk), state_data())
    assert response.status_code == 303
    measure.refresh_from_db()
    assert measure.title == "Nytt navn"
    assert measure.state_changes.get().state == State.IN_PROGRESS


def test_an_owner_changes_the_state_with_a_dated_comment(client, commitment, strategy):
    owner = make_owner(commitment)
    client.force_login(owner)
    measure = make_measure(commitment, title="Kurs for ansatte")
    form = client.get(url("planning:measure_state", measure.pk), **HX)
    assert 'value="planned"' in form.text and "checked" in form.text

    day = datetime.date(YEAR, 1, 5)
    data = state_data(state="postponed", changed_on=day.isoformat(), comment="Til høsten.")
    response = client.post(url("planning:measure_state", measure.pk), data, **HX)
    assert response.status_code == 200
    change = measure.state_changes.get()
    assert (change.state, change.changed_on, change.comment, change.author) == (
        State.POSTPONED, day, "Til høsten.", owner,
    )  # fmt: skip
    assert "Statusen til «Kurs for ansatte» ble satt til «Utsatt»" in response.text
    # The plan shows the latest state, its date and comment.
    html = client.get(url("planning:plan")).text
    assert "Utsatt" in html and "Til høsten." in html


@pytest.mark.parametrize("language", ["", "/nn", "/en"])
def test_the_history_lists_every_state_and_every_change(
    editor_client, editor_user, commitment, language
):
    measure = make_measure(commitment, title="Verksted", cost_nok=1000)
    editor_client.post(
        url("planning:measure_edit", measure.pk),
        edit_data(measure, title="Verksted for kommunene", cost_nok="2500"),
    )
    measure.set_state(state=State.IN_PROGRESS, comment="Første del holdt.", author=editor_user,
                      changed_on=datetime.date(YEAR, 2, 1))  # fmt: skip
    measure.set_state(state=State.DONE, comment="Ferdig.", author=editor_user,
                      changed_on=datetime.date(YEAR, 4, 1))  # fmt: skip
    assert measure.history.count() == 2
    assert measure.history.latest().history_user == editor_user

    html = editor_client.get(language + url("planning:measure_history", measure.pk)).text
    assert html.index("Ferdig.") < html.index("Første del holdt.")  # newest first
    assert f'datetime="{YEAR}-02-01"' in html and f'datetime="{YEAR}-04-01"' in html
    assert "Verksted for kommunene" in html and ">Verksted<" in html  # before and after
    assert "2500" in html and "1000" in html
    assert editor_user.get_full_name() in html
