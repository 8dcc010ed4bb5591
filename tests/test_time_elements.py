"""<time datetime> values are ones HTML accepts: a date, or a date and time with at most three
digits of fractional seconds (Python's isoformat() gives six; vnu refuses them)."""

import re

import pytest

from priorities.models import Commitment, Status

DATETIME = re.compile(r'<time datetime="([^"]*)"')
# HTML's valid date string, or valid global date and time string (with an offset).
VALID = re.compile(
    r"\d{4}-\d\d-\d\d"
    r"|\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:?\d\d)"
)


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_status_history_gives_times_html_accepts(client, strategy, prefix):
    commitment = Commitment.objects.select_related("priority").get(priority__number=1, number=1)
    update = commitment.set_status(status=Status.ON_TRACK, assessment="Godt i gang.", author=None)
    assert update.created_at.microsecond  # now(), as a status is set
    html = client.get(prefix + commitment.get_absolute_url()).text
    values = DATETIME.findall(html)
    assert values, "the status history has a <time datetime>"
    assert [v for v in values if not VALID.fullmatch(v)] == []
