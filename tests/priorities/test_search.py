"""The activity search page. Runs on SQLite and on PostgreSQL (DATABASE_URL) alike."""

import datetime

import pytest
from django.db import connection

from partners.models import BilateralPartner, Organisation, Programme
from priorities.models import Activity
from priorities.search import PAGE_SIZE
from tests.factories import make_activity
from tests.query_counts import count_queries

URL = "/en/aktiviteter/"


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content[:500]
    return [a.title for a in response.context["page"].object_list]


# --- Full text -----------------------------------------------------------------------------


def test_norwegian_search_finds_inflected_forms(client, commitments):
    make_activity(
        commitments["3.1"],
        title="Oppstart for samarbeidsprosjektene i Nordsjøregionen",
        start_date=datetime.date(2024, 1, 1),
    )
    make_activity(commitments["3.1"], title="Barnehageplasser i Kaunas")
    make_activity(commitments["3.1"], title="Noe helt annet")

    found = titles(client.get(URL, {"q": "samarbeidsprosjekt"}))
    assert found == ["Oppstart for samarbeidsprosjektene i Nordsjøregionen"]

    if connection.vendor == "postgresql":
        # Stemming works both ways: the definite plural finds the singular and vice versa.
        assert titles(client.get(URL, {"q": "barnehageplass"})) == ["Barnehageplasser i Kaunas"]
        assert titles(client.get(URL, {"q": "samarbeidsprosjektet"})) == [
            "Oppstart for samarbeidsprosjektene i Nordsjøregionen"
        ]
    else:
        # The SQLite fallback matches parts of words only: a longer inflection finds nothing.
        assert titles(client.get(URL, {"q": "barnehageplass"})) == ["Barnehageplasser i Kaunas"]
        assert titles(client.get(URL, {"q": "samarbeidsprosjektet"})) == []


def test_search_looks_in_title_place_description_and_outcome(client, commitments):
    make_activity(commitments["1.1"], title="Tittelen nevner hydrogen")
    make_activity(commitments["1.1"], title="Sted", place="Hydrogenbyen Herøya")
    make_activity(commitments["1.1"], title="Beskrivelse", description="Om hydrogen i havner.")
    make_activity(commitments["1.1"], title="Resultat", outcome="Ny hydrogen-allianse.")
    make_activity(commitments["1.1"], title="Uten treff")
    found = set(titles(client.get(URL, {"q": "hydrogen"})))
    expected = {"Tittelen nevner hydrogen", "Beskrivelse", "Resultat"}
    if connection.vendor != "postgresql":
        expected.add("Sted")  # a substring; PostgreSQL matches whole (stemmed) words only
    assert expected <= found
    assert "Uten treff" not in found


def test_every_search_word_must_match(client, commitments):
    make_activity(commitments["1.1"], title="Grønn skipsfart i Nordsjøen")
    make_activity(commitments["1.1"], title="Grønn industri")
    assert titles(client.get(URL, {"q": "grønn skipsfart"})) == ["Grønn skipsfart i Nordsjøen"]


def test_best_match_first_on_postgresql_newest_first_otherwise(client, commitments):
    make_activity(
        commitments["3.1"],
        title="Møte om søknad",
        description="Interreg nevnt i beskrivelsen.",
        start_date=datetime.date(2025, 6, 1),
    )
    make_activity(commitments["3.1"], title="Interreg-søknad", start_date=datetime.date(2024, 1, 1))
    found = titles(client.get(URL, {"q": "interreg"}))
    if connection.vendor == "postgresql":
        assert found == ["Interreg-søknad", "Møte om søknad"]  # a title match weighs most
    else:
        assert found == ["Møte om søknad", "Interreg-søknad"]


def test_more_matches_than_the_rank_limit_are_listed_newest_first(client, commitments, monkeypatch):
    make_activity(
        commitments["3.1"],
        title="Møte om søknad",
        description="Interreg nevnt i beskrivelsen.",
        start_date=datetime.date(2025, 6, 1),
    )
    make_activity(commitments["3.1"], title="Interreg-søknad", start_date=datetime.date(2024, 1, 1))
    make_activity(commitments["3.1"], title="Uten treff", start_date=datetime.date(2025, 7, 1))
    note = "More than 1 activities match, so they are listed newest first."
    monkeypatch.setattr("priorities.search.RANK_LIMIT", 1)
    response = client.get(URL, {"q": "interreg"})
    # Two matches: one more than may be ranked.
    assert titles(response) == ["Møte om søknad", "Interreg-søknad"]
    assert response.context["form"].too_many_to_rank is (connection.vendor == "postgresql")
    assert (note in response.text) is (connection.vendor == "postgresql")

    monkeypatch.setattr("priorities.search.RANK_LIMIT", 2)
    response = client.get(URL, {"q": "interreg"})
    assert response.context["form"].too_many_to_rank is False
    assert "listed newest first" not in response.text
    if connection.vendor == "postgresql":
        assert titles(response) == ["Interreg-søknad", "Møte om søknad"]


# --- Filters -------------------------------------------------------------------------------


@pytest.fixture
def filtered(commitments):
    kaunas = BilateralPartner.objects.get(slug="kaunas")
    errin = Organisation.objects.get(slug="errin")
    erasmus = Programme.objects.get(slug="erasmus-plus")
    a = make_activity(
        commitments["2.1"], title="A Kaunas 2024", start_date=datetime.date(2024, 5, 1)
    )
    a.partners.add(kaunas)
    b = make_activity(
        commitments["2.1"],
        title="B Kaunas 2025 ERRIN",
        kind="delegation_visit",
        start_date=datetime.date(2025, 3, 3),
    )
    b.partners.add(kaunas)
    b.organisations.add(errin)
    make_activity(
        commitments["3.1"],
        title="C Erasmus",
        kind="project",
        programme=erasmus,
        start_date=datetime.date(2025, 3, 2),
    )
    make_activity(commitments["3.2"], title="D Prosjekt", kind="project")
    make_activity(commitments["1.3"], title="E ERRIN", start_date=datetime.date(2024, 2, 1))
    Activity.objects.get(title="E ERRIN").organisations.add(errin)


@pytest.mark.parametrize(
    "query, expected",
    [
        ({}, ["B Kaunas 2025 ERRIN", "C Erasmus", "D Prosjekt", "A Kaunas 2024", "E ERRIN"]),
        ({"priority": "prosjektarbeid"}, ["C Erasmus", "D Prosjekt"]),
        ({"commitment": "2.1"}, ["B Kaunas 2025 ERRIN", "A Kaunas 2024"]),
        ({"partner": "kaunas"}, ["B Kaunas 2025 ERRIN", "A Kaunas 2024"]),
        ({"organisation": "errin"}, ["B Kaunas 2025 ERRIN", "E ERRIN"]),
        ({"programme": "erasmus-plus"}, ["C Erasmus"]),
        ({"kind": "project"}, ["C Erasmus", "D Prosjekt"]),
        ({"year": "2024"}, ["A Kaunas 2024", "E ERRIN"]),
    ],
)
def test_each_filter(client, filtered, query, expected):
    assert titles(client.get(URL, query)) == expected


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"partner": "kaunas", "year": "2025"}, ["B Kaunas 2025 ERRIN"]),
        ({"partner": "kaunas", "organisation": "errin"}, ["B Kaunas 2025 ERRIN"]),
        (
            {"priority": "prosjektarbeid", "kind": "project", "programme": "erasmus-plus"},
            ["C Erasmus"],
        ),
        (
            {"organisation": "errin", "year": "2024", "priority": "medlemsorganisasjoner"},
            ["E ERRIN"],
        ),
        ({"kind": "project", "year": "2024"}, []),
        ({"q": "Kaunas", "kind": "meeting"}, ["A Kaunas 2024"]),
        ({"commitment": "2.1", "priority": "prosjektarbeid"}, []),
    ],
)
def test_filters_combine(client, filtered, query, expected):
    assert titles(client.get(URL, query)) == expected


def test_empty_filter_values_mean_all(client, filtered):
    query = dict.fromkeys(["q", "priority", "commitment", "partner", "kind", "year", "page"], "")
    assert len(titles(client.get(URL, query))) == 5


@pytest.mark.parametrize(
    "query, field",
    [
        ({"partner": "atlantis"}, "partner"),
        ({"priority": "nope"}, "priority"),
        ({"commitment": "9.9"}, "commitment"),
        ({"kind": "party"}, "kind"),
        ({"year": "1999"}, "year"),
        ({"year": "abc"}, "year"),
        ({"page": "abc"}, "page"),
        ({"page": "0"}, "page"),
        ({"q": "a\x00b"}, "q"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_input_is_a_clear_400_never_a_500(client, filtered, query, field):
    response = client.get(URL, query)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert "Some filters are not valid" in response.text
    assert response.context["page"] is None


def test_pages_beyond_the_last_show_the_last_page(client, commitments):
    for day in range(1, PAGE_SIZE + 6):
        make_activity(
            commitments["4.2"], title=f"Møte {day:02}", start_date=datetime.date(2025, 1, day)
        )
    first = client.get(URL, {"kind": "meeting"})
    assert len(titles(first)) == PAGE_SIZE
    assert "25 activities found · page 1 of 2" in first.text
    # Links keep the filters, and work without JavaScript (href) as with htmx (data-hx-get).
    assert 'href="?kind=meeting&amp;page=2"' in first.text
    assert 'data-hx-get="?kind=meeting&amp;page=2"' in first.text
    second = client.get(URL, {"kind": "meeting", "page": "2"})
    assert titles(second) == [f"Møte {day:02}" for day in range(5, 0, -1)]
    assert titles(client.get(URL, {"kind": "meeting", "page": "99"})) == titles(second)


# --- Who sees what -------------------------------------------------------------------------


def test_anonymous_users_never_see_internal_activities(client, commitments):
    make_activity(commitments["1.1"], title="Åpent møte")
    make_activity(commitments["1.1"], title="Internt møte", is_public=False)
    response = client.get(URL, {"q": "møte"})
    assert titles(response) == ["Åpent møte"]
    assert "Internt møte" not in response.text
    assert "1 activity found" in response.text


def test_staff_see_internal_activities_clearly_marked(staff_client, commitments):
    make_activity(commitments["1.1"], title="Åpent møte")
    make_activity(commitments["1.1"], title="Internt møte", is_public=False)
    response = staff_client.get(URL)
    assert sorted(titles(response)) == ["Internt møte", "Åpent møte"]
    item = response.text.split("Internt møte")[1].split("</h3>")[0]
    assert '<span class="badge badge--internal">Internal</span>' in item


# --- HTMX ----------------------------------------------------------------------------------


def test_htmx_request_gets_the_results_fragment_and_the_new_count(client, filtered):
    response = client.get(URL, {"kind": "project"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "C Erasmus" in response.text and "A Kaunas" not in response.text
    # The count goes into the live region outside the swapped results.
    assert 'data-hx-swap-oob="innerHTML:#result-count"' in response.text
    assert "2 activities found" in response.text
    assert "HX-Request" in response["Vary"]


def test_without_htmx_the_same_url_is_the_whole_page(client, filtered):
    response = client.get(URL, {"kind": "project"})
    assert "<html" in response.text
    assert 'id="results"' in response.text
    assert 'data-hx-push-url="true"' in response.text
    assert "hx-swap-oob" not in response.text
    assert "C Erasmus" in response.text and "A Kaunas" not in response.text


def test_htmx_history_restore_gets_the_whole_page(client, filtered):
    response = client.get(
        URL,
        {"kind": "project"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.text


def test_focus_moves_to_the_results_only_after_paging(client, commitments):
    for day in range(1, PAGE_SIZE + 2):
        make_activity(commitments["4.2"], start_date=datetime.date(2025, 1, day))
    paged = client.get(
        URL, {"page": "2"}, headers={"HX-Request": "true", "HX-Trigger": "page-next"}
    )
    assert "data-focus" in paged.text
    filtered = client.get(
        URL, {"kind": "meeting"}, headers={"HX-Request": "true", "HX-Trigger": "search-form"}
    )
    assert "data-focus" not in filtered.text


def test_search_page_has_a_labelled_form_and_no_inline_code(client, filtered):
    html = client.get(URL).text
    for name in (
        "q",
        "priority",
        "commitment",
        "partner",
        "organisation",
        "programme",
        "kind",
        "year",
    ):
        assert f'for="id_{name}"' in html
    assert 'role="status"' in html
    assert "<script>" not in html and "style=" not in html and "hx-on" not in html
    assert 'href="/en/feed/"' in html


def test_search_query_count_does_not_grow_with_the_data(client, commitments):
    kaunas = BilateralPartner.objects.get(slug="kaunas")

    def queries() -> int:
        return count_queries(client.get, URL, {"q": "møte", "kind": "meeting"})[0]

    make_activity(commitments["2.1"]).partners.add(kaunas)
    few = queries()
    for day in range(1, 28):
        make_activity(commitments["2.1"], start_date=datetime.date(2025, 2, day)).partners.add(
            kaunas
        )
    assert queries() == few
