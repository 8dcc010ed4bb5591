"""A commitment's latest status is read one way: CommitmentQuerySet.with_status(as_of=None),
used by the overview, the priority and commitment pages, "my work" and the yearly report."""

import datetime

from django.utils import timezone

from priorities.models import Commitment, Status, StatusUpdate


def update(
    commitment, status, when: datetime.datetime, assessment: str = "Vurdering."
) -> StatusUpdate:
    return StatusUpdate.objects.create(
        commitment=commitment, status=status, assessment=assessment, created_at=when
    )


def test_without_updates_there_is_no_status(commitment):
    row = Commitment.objects.with_status().get(pk=commitment.pk)
    assert (row.current_status_value, row.current_assessment, row.current_status_at) == (
        None,
        None,
        None,
    )


def test_the_latest_update_is_the_status(commitment, editor_user):
    commitment.set_status(status=Status.ON_TRACK, assessment="Godt i gang.", author=editor_user)
    latest = commitment.set_status(
        status=Status.NEEDS_ATTENTION, assessment="Trenger løft.", author=editor_user
    )
    row = Commitment.objects.with_status().get(pk=commitment.pk)
    assert row.current_status_value == Status.NEEDS_ATTENTION
    assert row.current_assessment == "Trenger løft."
    assert row.current_status_at == latest.created_at


def test_as_of_gives_the_status_at_that_moment(commitment):
    year_end = timezone.make_aware(datetime.datetime(2025, 1, 1))
    update(commitment, Status.ON_TRACK, year_end - datetime.timedelta(days=30), "I rute.")
    update(commitment, Status.OFF_TRACK, year_end + datetime.timedelta(days=1), "Etter nyttår.")
    row = Commitment.objects.with_status(as_of=year_end).get(pk=commitment.pk)
    assert (row.current_status_value, row.current_assessment) == (Status.ON_TRACK, "I rute.")
    now = Commitment.objects.with_status().get(pk=commitment.pk)
    assert now.current_status_value == Status.OFF_TRACK


def test_same_moment_ties_go_to_the_later_update(commitment):
    when = timezone.now() - datetime.timedelta(hours=1)
    update(commitment, Status.ON_TRACK, when)
    second = update(commitment, Status.COMPLETED, when)
    row = Commitment.objects.with_status().get(pk=commitment.pk)
    assert row.current_status_value == second.status


def test_the_yearly_report_shows_the_status_as_of_year_end(client, commitment):
    year = timezone.localdate().year - 1
    year_end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    update(commitment, Status.ON_TRACK, year_end - datetime.timedelta(days=2), "Ved årsslutt.")
    update(commitment, Status.OFF_TRACK, year_end + datetime.timedelta(days=2), "Senere.")
    html = client.get(f"/en/rapport/{year}/").text
    assert "Ved årsslutt." in html and "Senere." not in html
