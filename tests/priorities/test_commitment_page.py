import datetime

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from priorities.models import Activity
from priorities.views import PAGE_SIZE, commitment_context, get_commitment_or_404
from tests.factories import get_commitment, make_activity
from tests.public_pages import (
    EXAMPLE_TITLE,
    INTERNAL_TITLE,
    PUBLIC_TITLE,
    seed,
)

URL = "/prioriteringer/medlemsorganisasjoner/1/"


@pytest.fixture
def data(strategy):
    return seed()


@pytest.mark.parametrize("prefix, lang", [("", "nb"), ("/nn", "nn"), ("/en", "en")])
def test_it_shows_the_verbatim_commitment_status_and_public_activities(client, data, prefix, lang):
    response = client.get(prefix + URL)
    assert response.status_code == 200
    html = response.text
    assert f'<html lang="{lang}">' in html
    text = {"nb": data["commitment"].text_nb, "nn": data["commitment"].text_nn}
    assert text.get(lang, data["commitment"].text_en) in html
    assert "status--needs_attention" in html
    assert "Få aktiviteter siste halvår." in html
    assert PUBLIC_TITLE in html
    assert INTERNAL_TITLE not in html
    # Partners and organisations involved, linked.
    assert f'href="{prefix}/partnere/kaunas/"' in html
    assert f'href="{prefix}/partnere/organisasjoner/cpmr-north-sea-commission/"' in html


def test_it_uses_partials_for_the_staff_tools(client, data):
    html = client.get(URL).text
    for fragment in ('id="commitment-summary"', 'id="status-history"', 'id="activity-list"'):
        assert html.count(fragment) == 1


def test_english_page_labels_status_and_counts_in_text(client, data):
    html = client.get("/en" + URL).text
    assert "Needs attention" in html  # the label, not just a colour
    assert "1 in total" in html  # the internal activity is not counted
    assert "(3\xa0months ago)" in html  # freshness from the public activity, not the internal one
    assert "Status history" in html


def test_anonymous_counts_and_freshness_ignore_internal_activities(client, data):
    commitment = client.get(URL).context["stats"]
    assert commitment.public_activity_count == 1
    assert commitment.last_public_activity_on == data["public"].start_date


def test_staff_see_internal_activities_marked_internal(staff_client, data):
    html = staff_client.get("/en" + URL).text
    assert INTERNAL_TITLE in html
    assert "badge--internal" in html and "Internal" in html


def test_example_activities_carry_an_example_badge(client, data):
    html = client.get("/en/prioriteringer/bilaterale-avtaler/1/").text
    assert EXAMPLE_TITLE in html
    item = html[html.index(f'id="activity-{data["example"].pk}"') :]
    assert 'class="badge badge--example">Example<' in item[: item.index("</li>")]


def test_activities_are_grouped_by_year_newest_first(client, strategy):
    c11 = get_commitment("1.1")
    this_year = timezone.localdate().year
    make_activity(c11, title="Eldre aktivitet", days_ago=800)
    make_activity(c11, title="Nyere aktivitet", days_ago=0)
    html = client.get(URL).text
    years = [int(y) for y in _year_headings(html)]
    assert years == sorted(years, reverse=True)
    assert years[0] == this_year
    assert html.index("Nyere aktivitet") < html.index("Eldre aktivitet")


def test_year_filter_is_a_plain_link_that_narrows_the_list(client, strategy):
    c11 = get_commitment("1.1")
    old = make_activity(c11, title="Eldre aktivitet", days_ago=800)
    make_activity(c11, title="Nyere aktivitet", days_ago=0)
    html = client.get(URL).text
    assert f'href="{URL}?year={old.start_date.year}"' in html
    response = client.get(URL, {"year": old.start_date.year})
    assert response.status_code == 200
    assert "Eldre aktivitet" in response.text
    assert "Nyere aktivitet" not in response.text
    assert f'href="{URL}?year={old.start_date.year}" aria-current="page"' in response.text


def test_a_year_without_activities_says_so(client, data):
    response = client.get("/en" + URL, {"year": 2001})
    assert response.status_code == 200
    assert "No public activities in 2001." in response.text


@pytest.mark.parametrize(
    "query", [{"year": "abc"}, {"year": "99999"}, {"year": "-1"}, {"page": "0"}, {"page": "x"}]
)
def test_invalid_filters_give_400_with_a_message_and_the_whole_list(client, data, query):
    response = client.get("/en" + URL, query)
    assert response.status_code == 400
    assert "That year or page is not valid." in response.text
    assert PUBLIC_TITLE in response.text
    assert INTERNAL_TITLE not in response.text


def test_long_lists_are_paginated(client, strategy):
    c11 = get_commitment("1.1")
    count = PAGE_SIZE + 10
    Activity.objects.bulk_create(
        Activity(
            commitment=c11,
            title=f"Aktivitet {i}",
            kind="meeting",
            start_date=datetime.date(2024, 1, 1) + datetime.timedelta(days=i),
        )
        for i in range(count)
    )
    newest = f"Aktivitet {count - 1}<"
    first = client.get("/en" + URL).text
    assert newest in first and "Aktivitet 0<" not in first
    assert "Page 1 of 2" in first
    second = client.get("/en" + URL, {"page": 2}).text
    assert "Aktivitet 0<" in second and newest not in second
    # A page past the end shows the last one rather than failing.
    assert client.get("/en" + URL, {"page": 99}).status_code == 200


def test_unknown_commitment_is_a_404(client, strategy):
    assert client.get("/prioriteringer/medlemsorganisasjoner/9/").status_code == 404
    assert client.get("/prioriteringer/finnes-ikke/1/").status_code == 404


def test_activity_list_partial_renders_as_a_fragment(rf: RequestFactory, data):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get(URL)
    request.user = AnonymousUser()
    commitment = get_commitment_or_404("medlemsorganisasjoner", 1)
    ctx = commitment_context(request, commitment)
    html = render_to_string("priorities/commitment.html#activity-list", ctx, request=request)
    assert html.lstrip().startswith('<section id="activity-list"')
    assert "<html" not in html
    assert PUBLIC_TITLE in html and INTERNAL_TITLE not in html
    summary = render_to_string("priorities/commitment.html#commitment-summary", ctx, request)
    assert 'id="commitment-summary"' in summary and "<html" not in summary


def _year_headings(html: str) -> list[str]:
    import re

    return re.findall(r'<h3 class="year-heading">(\d{4})</h3>', html)
