import re

import pytest
from django.utils import timezone

from priorities.models import Activity
from tests.factories import get_commitment, make_activity
from tests.public_pages import INTERNAL_TITLE, seed

URL = "/prioriteringer/medlemsorganisasjoner/"


@pytest.fixture
def data(strategy):
    return seed()


@pytest.mark.parametrize("prefix, lang", [("", "nb"), ("/nn", "nn"), ("/en", "en")])
def test_it_lists_the_priority_commitments_with_status_and_counts(client, data, prefix, lang):
    response = client.get(prefix + URL)
    assert response.status_code == 200
    html = response.text
    assert f'<html lang="{lang}">' in html
    title = {"nb": "Medlemsorganisasjoner", "nn": "Medlemsorganisasjonar"}
    assert title.get(lang, "Member organisations") in html
    for number in (1, 2, 3):
        assert f'href="{prefix}{URL}{number}/"' in html
    assert html.count('class="status status--') == 3
    assert "Få aktiviteter siste halvår." in html  # the last assessment
    assert INTERNAL_TITLE not in html


def test_english_labels(client, data):
    html = client.get("/en" + URL).text
    assert "Needs attention" in html and "No status yet" in html
    assert "Latest assessment" in html
    assert "1 in total" in html
    assert "Public activities per year and commitment" in html  # the table's caption


def test_chart_counts_public_activities_per_year_with_a_table(client, strategy):
    c11, c12 = get_commitment("1.1"), get_commitment("1.2")
    make_activity(c11, title="a", days_ago=0)
    make_activity(c11, title="b", days_ago=0)
    make_activity(c12, title="c", days_ago=0)
    make_activity(c12, title="internal", days_ago=0, is_public=False)
    make_activity(get_commitment("2.1"), title="other priority", days_ago=0)
    response = client.get(URL)
    chart = response.context["chart"]
    this_year = timezone.localdate().year
    row = next(r for r in chart["years"] if r["year"] == this_year)
    assert row["total"] == 3
    assert row["cells"] == [2, 1, 0]
    assert chart["total"] == 3
    # Years run from the strategy's start, newest first, empty years included.
    assert [r["year"] for r in chart["years"]] == list(range(this_year, 2019, -1))
    html = response.text
    # SVG bars sized by attributes (CSP forbids style), the longest the full width.
    assert re.search(r'<rect class="bar-chart__bar" x="64" y="\d+" width="320"', html)
    assert "style=" not in html
    assert f'<th scope="row">{this_year}</th>' in html
    assert "<td>2</td>" in html and "<td>3</td>" in html


def test_chart_without_activities_says_so(client, strategy):
    html = client.get("/en" + URL).text
    assert "No public activities have been logged in this priority area yet." in html
    assert '<svg class="bar-chart"' not in html


def test_unknown_priority_is_a_404(client, strategy):
    assert client.get("/prioriteringer/finnes-ikke/").status_code == 404


def test_internal_activities_are_not_in_the_chart(client, strategy):
    make_activity(get_commitment("1.1"), title="internal", days_ago=0, is_public=False)
    assert Activity.objects.count() == 1
    assert client.get(URL).context["chart"]["total"] == 0
