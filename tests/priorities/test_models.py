import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from priorities.models import Activity, Commitment, Status, StatusUpdate
from tests.factories import make_activity


def test_public_reads_leave_out_internal_activities(commitment):
    public = make_activity(commitment, title="Åpent")
    make_activity(commitment, title="Internt", is_public=False)
    assert list(Activity.objects.public()) == [public]


def test_staff_see_internal_activities_anonymous_do_not(commitment, staff_user):
    make_activity(commitment, is_public=False)
    assert Activity.objects.visible_to(staff_user).count() == 1
    assert Activity.objects.visible_to(AnonymousUser()).count() == 0


def test_for_year(commitment):
    make_activity(commitment, start_date=datetime.date(2024, 12, 31))
    make_activity(commitment, start_date=datetime.date(2025, 1, 1))
    assert Activity.objects.for_year(2025).count() == 1


def test_end_before_start_is_invalid(commitment):
    activity = Activity(
        commitment=commitment,
        title="x",
        kind="meeting",
        start_date=datetime.date(2025, 3, 2),
        end_date=datetime.date(2025, 3, 1),
    )
    with pytest.raises(ValidationError) as info:
        activity.full_clean()
    assert "end_date" in info.value.message_dict


def test_current_status_is_the_latest_update(commitment, editor_user):
    def current():
        return Commitment.objects.with_status().get(pk=commitment.pk).current_status_value

    assert current() is None
    commitment.set_status(status=Status.ON_TRACK, assessment="Godt i gang.", author=editor_user)
    latest = commitment.set_status(
        status=Status.NEEDS_ATTENTION, assessment="Trenger løft.", author=editor_user
    )
    assert current() == latest.status == Status.NEEDS_ATTENTION
    assert StatusUpdate.objects.filter(commitment=commitment).count() == 2


def test_set_status_rejects_an_unknown_status(commitment, editor_user):
    with pytest.raises(ValidationError):
        commitment.set_status(status="great", assessment="?", author=editor_user)
    assert not StatusUpdate.objects.exists()


def test_public_stats_count_only_public_activities(commitment):
    this_year = datetime.date.today().replace(month=1, day=1)
    make_activity(commitment, start_date=this_year)
    make_activity(commitment, start_date=datetime.date(2021, 5, 1))
    make_activity(commitment, start_date=this_year + datetime.timedelta(days=1), is_public=False)
    stats = Commitment.objects.with_public_stats().get(pk=commitment.pk)
    assert stats.public_activity_count == 2
    assert stats.public_activity_count_year == 1
    assert stats.last_public_activity_on == this_year
    assert stats.current_status_value is None


def test_who_can_edit_an_activity(commitment, staff_user, other_staff_user, editor_user):
    activity = make_activity(commitment, created_by=staff_user)
    assert activity.can_edit(staff_user)
    assert not activity.can_edit(other_staff_user)
    assert activity.can_edit(editor_user)
    assert not activity.can_edit(AnonymousUser())


def test_who_can_set_status(commitment, staff_user, editor_user):
    assert commitment.can_set_status(editor_user)
    assert not commitment.can_set_status(staff_user)
    commitment.owners.add(staff_user)
    assert commitment.can_set_status(staff_user)


def test_activity_changes_are_recorded_with_history(commitment, staff_user):
    activity = make_activity(commitment, created_by=staff_user)
    activity.title = "Nytt navn"
    activity.save()
    assert [h.title for h in activity.history.all()] == ["Nytt navn", "Møte"]
    # Translated models are tracked too: load_strategy's creation is in the history.
    assert commitment.history.filter(history_type="+").count() == 1


def test_lists_fetch_what_they_left_out_for_every_activity_at_once(
    commitment, django_assert_num_queries
):
    # A template that reads a field a list did not load costs one query for the whole list,
    # not one per activity (Django 6.1's FETCH_PEERS): a forgotten field is no N+1.
    for i in range(5):
        make_activity(commitment, title=f"Møte {i}", description=f"Om møte {i}")
    activities = list(Activity.objects.with_relations().defer("description"))
    with django_assert_num_queries(1):
        descriptions = {activity.description for activity in activities}
    assert descriptions == {f"Om møte {i}" for i in range(5)}
