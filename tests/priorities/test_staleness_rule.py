""" "Going quiet" is defined once (STALE_ACTIVITY_DAYS, STALE_STATUS_DAYS in priorities/models.py):
the overview and priority pages mark stale commitments by the same rule as "my work", and
the numbers a page shows come from those constants, never from a template."""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone

from priorities import models
from priorities.models import STALE_ACTIVITY_DAYS, STALE_STATUS_DAYS, Commitment
from tests.priorities.workspace_helpers import get_commitment, make_activity

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def test_no_template_holds_a_staleness_threshold():
    numbers = re.compile(rf"\b({STALE_ACTIVITY_DAYS}|{STALE_STATUS_DAYS})\b")
    found = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if numbers.search(line)
    ]
    assert not found


def test_my_work_states_the_thresholds_from_the_model(staff_client, strategy):
    html = staff_client.get("/en/mitt-arbeid/").text
    assert (
        f"Commitments with no activity in the last {STALE_ACTIVITY_DAYS} days, or no status "
        f"update in the last {STALE_STATUS_DAYS} days."
    ) in html


@pytest.mark.parametrize(
    "days, stale", [(STALE_ACTIVITY_DAYS - 1, False), (STALE_ACTIVITY_DAYS + 1, True)]
)
def test_public_pages_mark_staleness_by_the_same_rule_as_my_work(client, strategy, days, stale):
    commitment = get_commitment()
    make_activity(commitment, start_date=days_ago(days))
    public = Commitment.objects.with_public_stats().get(pk=commitment.pk)
    staff = Commitment.objects.with_freshness().get(pk=commitment.pk)
    assert public.public_activity_stale is stale
    assert staff.activity_stale is stale

    html = client.get("/").text
    row = html[html.index(commitment.get_absolute_url()) :]
    row = row[: row.index("</li>")]
    assert ("freshness--stale" in row) is stale
    page = client.get(commitment.priority.get_absolute_url()).text
    entry = page[page.index(commitment.get_absolute_url()) :]
    entry = entry[: entry.index("</dl>")]
    assert ("freshness--stale" in entry) is stale


def test_the_thresholds_live_in_the_model_only():
    # The template library of the project layer has no rule of its own any more.
    from strategy_portal.templatetags import portal

    assert not hasattr(portal, "is_stale")
    assert models.STALE_ACTIVITY_DAYS == STALE_ACTIVITY_DAYS
