"""The rules on a measure: what the forms refuse (a 4xx with a clear message, nothing saved),
as a plain POST and with htmx; the model's own rules; an activity's measure."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from planning.models import Measure, State
from tests.factories import (
    get_commitment,
    make_activity,
    make_measure,
    make_other_strategy_commitment,
)
from tests.planning.helpers import HX, YEAR, edit_data, measure_data, snapshot, state_data, url


@pytest.fixture
def other_strategy_commitment(strategy):
    return make_other_strategy_commitment()


BAD_INPUT = {
    "a deadline in another year": ({"deadline": f"{YEAR + 1}-01-15"}, "deadline", "i planens år"),
    "a deadline long before": ({"deadline": "2019-06-01"}, "deadline", "i planens år"),
    "negative kroner": ({"cost_nok": "-5"}, "cost_nok", "større enn eller lik 0"),
    "negative person-weeks": ({"person_weeks": "-0.5"}, "person_weeks", "større enn eller lik 0"),
    "a NUL byte": ({"title": "Møte\x00"}, "title", "Null-tegn"),
    "100,000 characters": ({"description": "x" * 100_000}, "description", "5000 eller færre tegn"),
    "no title": ({"title": ""}, "title", "påkrevet"),
    "a commitment that is no number": ({"commitment": "abc"}, "commitment", "Velg et gyldig"),
}


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_input_to_a_new_measure_is_refused(editor_client, commitment, case, htmx):
    changes, field, message = BAD_INPUT[case]
    before = snapshot()
    response = editor_client.post(
        url("planning:measure_create", YEAR), measure_data(commitment, **changes),
        **(HX if htmx else {}),
    )  # fmt: skip
    assert response.status_code == 422
    assert message in response.text
    assert f'id="id_{field}"' in response.text
    assert ("<html" in response.text) is not htmx
    assert snapshot() == before


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_a_commitment_of_another_strategy_is_refused(
    editor_client, other_strategy_commitment, htmx
):
    before = snapshot()
    response = editor_client.post(
        url("planning:measure_create", YEAR),
        measure_data(other_strategy_commitment),
        **(HX if htmx else {}),
    )
    assert response.status_code == 422
    assert "Velg et gyldig valg" in response.text
    assert snapshot() == before


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_bad_input_to_an_edit_is_refused_and_nothing_changes(editor_client, commitment, htmx):
    measure = make_measure(commitment)
    before = snapshot()
    for changes in ({"deadline": "2019-01-01"}, {"cost_nok": "-1"}, {"title": "a\x00"}):
        response = editor_client.post(
            url("planning:measure_edit", measure.pk), edit_data(measure, **changes),
            **(HX if htmx else {}),
        )  # fmt: skip
        assert response.status_code == 422, changes
    assert snapshot() == before


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"state": "finished"}, "Velg et gyldig valg"),
        ({"state": ""}, "påkrevet"),
        ({"comment": "x" * 100_000}, "2000 eller færre tegn"),
        ({"comment": "Nå\x00"}, "Null-tegn"),
        ({"changed_on": "2026-02-30"}, "gyldig dato"),
        ({"changed_on": (datetime.date.today() + datetime.timedelta(days=3)).isoformat()},
         "fram i tid"),
    ],
)  # fmt: skip
def test_bad_input_to_a_state_change_is_refused(editor_client, commitment, changes, message, htmx):
    measure = make_measure(commitment)
    before = snapshot()
    response = editor_client.post(
        url("planning:measure_state", measure.pk), state_data(**changes), **(HX if htmx else {})
    )
    assert response.status_code == 422
    assert message in response.text
    assert snapshot() == before


def test_an_edit_over_a_newer_version_is_a_conflict(editor_client, commitment):
    measure = make_measure(commitment)
    data = edit_data(measure, title="Mitt nye navn")
    Measure.objects.filter(pk=measure.pk).update(title="Noen andres navn")
    measure.refresh_from_db()
    measure.save()  # a newer updated_at
    response = editor_client.post(url("planning:measure_edit", measure.pk), data)
    assert response.status_code == 409
    measure.refresh_from_db()
    assert measure.title == "Noen andres navn"


def test_the_model_checks_year_and_deadline(commitment, strategy):
    with pytest.raises(ValidationError) as error:
        Measure(commitment=commitment, year=strategy.period_end + 1, title="x",
                responsible_unit="y").full_clean()  # fmt: skip
    assert "year" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        Measure(commitment=commitment, year=YEAR, title="x", responsible_unit="y",
                deadline=datetime.date(YEAR - 1, 12, 31)).full_clean()  # fmt: skip
    assert "deadline" in error.value.message_dict
    with pytest.raises(ValidationError):
        Measure(commitment=commitment, year=YEAR, title="x", responsible_unit="y",
                cost_nok=-1).full_clean()  # fmt: skip
    with pytest.raises(ValidationError):
        make_measure(commitment).set_state(state="finished")


def test_a_new_measure_is_planned_and_each_state_change_is_kept(commitment, editor_user):
    measure = make_measure(commitment)
    assert Measure.objects.with_state().get(pk=measure.pk).current_state == State.PLANNED
    measure.set_state(state=State.IN_PROGRESS, comment="I gang.", author=editor_user,
                      changed_on=datetime.date(YEAR, 2, 1))  # fmt: skip
    measure.set_state(state=State.POSTPONED, comment="Utsatt til høsten.", author=editor_user,
                      changed_on=datetime.date(YEAR, 3, 1))  # fmt: skip
    row = Measure.objects.with_state().get(pk=measure.pk)
    assert (row.current_state, row.current_comment, row.current_state_on) == (
        State.POSTPONED, "Utsatt til høsten.", datetime.date(YEAR, 3, 1),
    )  # fmt: skip
    assert [c.state for c in measure.state_changes.all()] == [State.POSTPONED, State.IN_PROGRESS]


def test_an_activity_takes_a_measure_of_its_own_commitment_only(strategy, staff_client, staff_user):
    own = make_measure(get_commitment("1.1"), title="Eget tiltak")
    other = make_measure(get_commitment("2.1"), title="Annet tiltak")
    activity = make_activity(get_commitment("1.1"), staff_user)
    activity.measure = other
    with pytest.raises(ValidationError) as error:
        activity.full_clean()
    assert "measure" in error.value.message_dict
    activity.measure = own
    activity.full_clean()

    # The form offers the commitment's own measures and refuses another's.
    c = get_commitment("1.1")
    create = url("priorities:activity_create", c.priority.slug, c.number)
    page = staff_client.get(create).text
    assert "Eget tiltak" in page and "Annet tiltak" not in page
    data = {"title": "Møte", "kind": "meeting", "start_date": "2025-06-12", "is_public": "on"}
    response = staff_client.post(create, data | {"measure": other.pk})
    assert response.status_code == 422
    response = staff_client.post(create, data | {"measure": own.pk})
    assert response.status_code == 303
    assert own.activities.get().title == "Møte"


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_an_edit_cannot_move_a_measure_to_another_strategys_commitment(
    editor_client, commitment, other_strategy_commitment, htmx
):
    measure = make_measure(commitment)
    before = snapshot()
    response = editor_client.post(
        url("planning:measure_edit", measure.pk),
        edit_data(measure, commitment=other_strategy_commitment.pk),
        **(HX if htmx else {}),
    )
    assert response.status_code == 422
    assert "Velg et gyldig valg" in response.text
    assert ("<html" in response.text) is not htmx
    assert snapshot() == before
