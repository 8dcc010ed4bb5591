import datetime
import functools
import zoneinfo

import pytest
from django.conf import settings
from django.utils import timezone

from partners.models import BilateralPartner, Organisation
from priorities.models import Status
from priorities.reports import LATEST_PER_KIND
from tests import factories
from tests.factories import make_status_update
from tests.query_counts import count_queries

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


# The report's activities fall in 2024 unless a test says otherwise.
make_activity = functools.partial(factories.make_activity, start_date=datetime.date(2024, 3, 1))


def status(commitment, value, assessment, when):
    return make_status_update(commitment, status=value, assessment=assessment, created_at=when)


def test_report_shows_each_commitments_status_at_year_end(client, commitments):
    c11 = commitments["1.1"]
    status(c11, Status.ON_TRACK, "Godt i gang i 2023.", datetime.datetime(2023, 5, 1, tzinfo=OSLO))
    # Late on New Year's Eve in Oslo is still the old year (22:30 UTC).
    status(
        c11,
        Status.NEEDS_ATTENTION,
        "Trenger løft ved årsskiftet.",
        datetime.datetime(2024, 12, 31, 23, 30, tzinfo=OSLO),
    )
    # Half an hour into the new year in Oslo is 2024 in UTC, but belongs to 2025.
    status(
        c11,
        Status.OFF_TRACK,
        "Stanset i 2025.",
        datetime.datetime(2025, 1, 1, 0, 30, tzinfo=OSLO),
    )

    report_2023 = client.get("/en/rapport/2023/")
    assert report_2023.status_code == 200
    assert "Godt i gang i 2023." in report_2023.text
    assert "Trenger løft" not in report_2023.text

    report_2024 = client.get("/en/rapport/2024/")
    entry = report_2024.context["priorities"][0].commitments[0]
    assert (entry.commitment.code, entry.status) == ("1.1", Status.NEEDS_ATTENTION)
    assert entry.assessment == "Trenger løft ved årsskiftet."
    assert "Needs attention" in report_2024.text
    assert "Stanset i 2025." not in report_2024.text

    report_2025 = client.get("/en/rapport/2025/")
    assert report_2025.context["priorities"][0].commitments[0].status == Status.OFF_TRACK
    assert "Stanset i 2025." in report_2025.text
    # A commitment without any update says so in words.
    assert report_2025.context["priorities"][0].commitments[1].status is None
    assert "No status yet" in report_2025.text


def test_report_lists_the_years_public_activities_grouped_by_kind(client, commitments):
    c31 = commitments["3.1"]
    make_activity(c31, title="Partnermøte i Esbjerg", kind="meeting")
    make_activity(c31, title="Søknad til Interreg", kind="project_application")
    make_activity(c31, title="Oppstartsmøte", kind="meeting", start_date=datetime.date(2024, 1, 5))
    make_activity(c31, title="Møte året før", start_date=datetime.date(2023, 12, 31))
    make_activity(c31, title="Møte året etter", start_date=datetime.date(2025, 1, 1))

    response = client.get("/en/rapport/2024/")
    entry = next(
        e for p in response.context["priorities"] for e in p.commitments if e.commitment == c31
    )
    assert entry.count == 3
    assert [(str(g.label), [a.title for a in g.activities]) for g in entry.groups] == [
        ("Meeting", ["Oppstartsmøte", "Partnermøte i Esbjerg"]),
        ("Project application", ["Søknad til Interreg"]),
    ]
    assert "Møte året før" not in response.text
    assert "Møte året etter" not in response.text
    assert "3 public activities in 2024:" in response.text
    assert "No public activities in 2024." in response.text  # the other commitments


def test_report_lists_the_latest_of_each_kind_and_links_the_rest_to_the_search(client, commitments):
    c21 = commitments["2.1"]
    count = LATEST_PER_KIND + 3
    for day in range(1, count + 1):
        make_activity(c21, title=f"Møte nr. {day}", start_date=datetime.date(2024, 3, day))
    make_activity(c21, title="Eneste prosjekt", kind="project")
    make_activity(
        c21, title="Nyere, men internt", start_date=datetime.date(2024, 12, 1), is_public=False
    )

    response = client.get("/en/rapport/2024/")
    entry = next(
        e for p in response.context["priorities"] for e in p.commitments if e.commitment == c21
    )
    assert entry.count == count + 1
    meetings, projects = entry.groups
    assert (meetings.kind, meetings.count, meetings.more) == ("meeting", count, 3)
    # The latest, oldest first as the rest of the report reads.
    assert [a.title for a in meetings.activities] == [
        f"Møte nr. {day}" for day in range(4, count + 1)
    ]
    assert (projects.count, projects.more) == (1, 0)
    html = response.text
    assert "Møte nr. 3<" not in html and f"Møte nr. {count}<" in html
    assert "Nyere, men internt" not in html
    assert f"The {LATEST_PER_KIND} latest of {count} are listed." in html
    link = "/en/aktiviteter/?commitment=2.1&amp;year=2024&amp;kind=meeting"
    assert html.count(f'href="{link}"') == 1
    assert f"See all {count} in the activity search" in html
    assert "kind=project" not in html  # every project is listed: no link

    # The link finds them all, and only them.
    search = client.get(link.replace("&amp;", "&"))
    assert search.status_code == 200
    assert search.context["page"].paginator.count == count


def test_report_counts_partners_of_every_activity_not_only_those_listed(client, commitments):
    kaunas = BilateralPartner.objects.get(slug="kaunas")
    errin = Organisation.objects.get(slug="errin")
    for day in range(1, LATEST_PER_KIND + 3):
        activity = make_activity(commitments["2.1"], start_date=datetime.date(2024, 3, day))
        activity.partners.add(kaunas)
    # The oldest, not listed, is the only one with ERRIN.
    make_activity(commitments["2.1"], start_date=datetime.date(2024, 1, 1)).organisations.add(errin)

    response = client.get("/en/rapport/2024/")
    assert [(p.slug, n) for p, n in response.context["partners"]] == [
        ("kaunas", LATEST_PER_KIND + 2)
    ]
    assert [(o.slug, n) for o, n in response.context["organisations"]] == [("errin", 1)]
    entry = response.context["priorities"][1].commitments[0]
    assert entry.commitment == commitments["2.1"]
    assert [p.slug for p in entry.partners] == ["kaunas"]
    assert [o.slug for o in entry.organisations] == ["errin"]


def test_internal_activities_never_reach_the_report(client, editor_client, commitments):
    make_activity(commitments["2.1"], title="Åpent møte i Kaunas")
    hidden = make_activity(commitments["2.1"], title="Internt planleggingsmøte", is_public=False)
    hidden.partners.add(BilateralPartner.objects.get(slug="hubei"))
    for who in (client, editor_client):
        response = who.get("/rapport/2024/")
        assert "Åpent møte i Kaunas" in response.text
        assert "Internt planleggingsmøte" not in response.text
        assert response.context["total"].count == 1
        assert response.context["partners"] == []


def test_summary_figures_compare_with_the_year_before(client, commitments):
    for day in (1, 2, 3):
        make_activity(commitments["1.1"], start_date=datetime.date(2024, 2, day))
    make_activity(commitments["3.2"], kind="project", start_date=datetime.date(2024, 6, 1))
    make_activity(commitments["1.2"], start_date=datetime.date(2023, 6, 1))
    make_activity(commitments["3.3"], kind="project", start_date=datetime.date(2023, 6, 1))
    make_activity(commitments["3.3"], kind="publication", start_date=datetime.date(2023, 6, 1))
    make_activity(commitments["4.1"], is_public=False)

    response = client.get("/en/rapport/2024/")
    by_priority = [
        (f.label, f.count, f.previous, f.change) for f in response.context["priority_figures"]
    ]
    assert by_priority == [
        ("1. Member organisations", 3, 1, 2),
        ("2. Bilateral agreements", 0, 0, 0),
        ("3. Project work", 1, 2, -1),
        ("4. Competence and knowledge sharing", 0, 0, 0),
    ]
    by_kind = [(str(f.label), f.count, f.previous) for f in response.context["kind_figures"]]
    assert by_kind == [("Meeting", 3, 1), ("Project", 1, 1), ("Publication", 0, 1)]
    total = response.context["total"]
    assert (total.count, total.previous, total.change) == (4, 3, 1)
    assert "4 public activities were logged against the strategy in 2024." in response.text
    assert "+2" in response.text


def test_report_names_the_partners_and_organisations_engaged(client, commitments):
    kaunas = BilateralPartner.objects.get(slug="kaunas")
    errin = Organisation.objects.get(slug="errin")
    first = make_activity(commitments["2.1"], title="Juletretenning i Kaunas")
    first.partners.add(kaunas)
    second = make_activity(commitments["1.3"], title="ERRIN-møte")
    second.partners.add(kaunas)
    second.organisations.add(errin)
    make_activity(commitments["1.3"], start_date=datetime.date(2023, 1, 1)).partners.add(
        BilateralPartner.objects.get(slug="hubei")
    )

    response = client.get("/en/rapport/2024/")
    assert [(p.slug, n) for p, n in response.context["partners"]] == [("kaunas", 2)]
    assert [(o.slug, n) for o, n in response.context["organisations"]] == [("errin", 1)]
    assert 'href="/en/partnere/kaunas/"' in response.text
    assert "Hubei" not in response.text.split('id="engaged"')[1]


@pytest.mark.parametrize(
    "prefix, lang, heading",
    [
        ("", "nb", "Internasjonal strategi 2030"),
        ("/nn", "nn", "Internasjonal strategi 2030"),
        ("/en", "en", "International Strategy 2030"),
    ],
)
def test_report_in_all_three_languages(client, commitments, prefix, lang, heading):
    response = client.get(f"{prefix}/rapport/2024/")
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.text
    assert heading in response.text
    if lang == "en":
        assert "Yearly report 2024" in response.text
        assert "1. Member organisations" in response.text
    if lang == "nn":
        assert "Medlemsorganisasjonar" in response.text


def test_report_is_printable(client, commitments):
    html = client.get("/rapport/2024/").text
    assert 'href="/static/css/report-print.css" media="print"' in html
    assert 'class="report-title-page"' in html
    assert html.count('class="report-section report-priority"') == 5  # 4 priorities + engaged
    rules = (settings.BASE_DIR / "static/css/report-print.css").read_text()
    assert ".report-title-page" in rules and "break-after: page" in rules
    assert ".report-priority" in rules and "break-before: page" in rules
    # Navigation is hidden in print by the site-wide print.css.
    assert 'href="/static/css/print.css" media="print"' in html


def test_report_documents_and_links_the_downloads(client, commitments):
    html = client.get("/en/rapport/2024/").text
    assert 'href="/en/rapport/2024/aktiviteter.xlsx"' in html
    assert 'href="/en/rapport/2024/aktiviteter.csv"' in html
    assert "semicolons" in html and "byte order mark" in html
    assert "<code>start_date</code>" in html


@pytest.mark.parametrize("year", [1999, 2019, 2031, 9999])
def test_report_for_a_year_outside_the_strategy_is_404(client, commitments, year):
    assert client.get(f"/rapport/{year}/").status_code == 404


def test_report_without_a_strategy_is_404(client, db):
    assert client.get("/rapport/2024/").status_code == 404
    assert client.get("/rapport/").status_code == 200


def test_report_of_this_year_says_it_is_in_progress(client, commitments):
    year = timezone.localdate().year
    response = client.get(f"/en/rapport/{year}/")
    assert response.status_code == 200
    assert "The year is not over" in response.text


def test_report_index_lists_every_year_of_the_strategy_so_far(client, commitments):
    response = client.get("/en/rapport/")
    assert response.status_code == 200
    this_year = timezone.localdate().year
    assert response.context["years"] == list(range(this_year, 2019, -1))
    assert 'href="/en/rapport/2020/"' in response.text
    assert "year in progress" in response.text


def test_report_query_count_does_not_grow_with_the_data(client, commitments):
    kaunas = BilateralPartner.objects.get(slug="kaunas")
    errin = Organisation.objects.get(slug="errin")

    def queries() -> int:
        return count_queries(client.get, "/rapport/2024/")[0]

    first = make_activity(commitments["1.1"])
    first.partners.add(kaunas)
    first.organisations.add(errin)
    status(commitments["1.1"], Status.ON_TRACK, "Ok.", datetime.datetime(2024, 3, 1, tzinfo=OSLO))
    few = queries()
    for i, commitment in enumerate(commitments.values()):
        for kind in ("meeting", "project", "publication"):
            activity = make_activity(
                commitment, kind=kind, start_date=datetime.date(2024, 5, i + 1)
            )
            activity.partners.add(kaunas)
            activity.organisations.add(errin)
        status(commitment, Status.ON_TRACK, "Ok.", datetime.datetime(2024, 4, 1, tzinfo=OSLO))
    assert queries() == few
