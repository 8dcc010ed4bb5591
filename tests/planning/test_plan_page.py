"""The public action plan page: per year, grouped by priority and commitment; internal
measures for staff only, also through the page cache."""

import pytest
from django.test import Client

from planning.models import State
from tests.factories import get_commitment, make_measure
from tests.planning.helpers import YEAR


@pytest.fixture
def plan(strategy):
    return make_plan()


@pytest.fixture
def committed_plan(strategy, django_capture_on_commit_callbacks):
    """The plan, committed as a request's writes are before a page is rendered: an uncommitted
    write keeps every page out of the cache (strategy_portal.cache.writes_pending)."""
    with django_capture_on_commit_callbacks(execute=True):
        return make_plan()


def make_plan() -> dict:
    public = make_measure(get_commitment("3.1"), title="Søknadsverksted for Interreg ØKS")
    internal = make_measure(get_commitment("3.1"), title="Budsjett for kontingenter",
                            is_public=False)  # fmt: skip
    other = make_measure(get_commitment("1.2"), title="Kartlegge medlemskapene")
    earlier = make_measure(get_commitment("1.2"), year=2024, title="Tiltak fra 2024")
    return {"public": public, "internal": internal, "other": other, "earlier": earlier}


def test_the_plan_is_grouped_by_priority_and_commitment(client, plan):
    response = client.get("/handlingsplan/")
    assert response.status_code == 200
    html = response.text
    assert f"Handlingsplan {YEAR}" in html
    # Priority 1 with commitment 1.2's measure comes before priority 3 with 3.1's.
    p1 = html.index("1. Medlemsorganisasjoner")
    c12 = html.index('id="plan-commitment-' + str(get_commitment("1.2").pk))
    m_other = html.index("Kartlegge medlemskapene")
    p3 = html.index("3. Prosjektarbeid")
    c31 = html.index('id="plan-commitment-' + str(get_commitment("3.1").pk))
    m_public = html.index("Søknadsverksted for Interreg ØKS")
    assert p1 < c12 < m_other < p3 < c31 < m_public
    assert "Tiltak fra 2024" not in html  # another year's plan


def test_each_year_has_its_page_and_a_switcher(client, plan, strategy):
    html = client.get("/handlingsplan/2024/").text
    assert "Tiltak fra 2024" in html and "Kartlegge medlemskapene" not in html
    assert '<a href="/handlingsplan/2024/" aria-current="page">2024</a>' in html
    for year in range(strategy.period_start, strategy.period_end + 1):
        assert f'href="/handlingsplan/{year}/"' in html
    assert client.get("/en/handlingsplan/2024/").status_code == 200
    # Outside the strategy's period: no plan.
    assert client.get(f"/handlingsplan/{strategy.period_end + 1}/").status_code == 404
    assert client.get("/handlingsplan/1999/").status_code == 404


def test_internal_measures_are_for_staff_only(client, staff_client, plan):
    assert "Budsjett for kontingenter" not in Client().get("/handlingsplan/").text
    html = staff_client.get("/handlingsplan/").text
    assert "Budsjett for kontingenter" in html
    assert "badge--internal" in html


def test_the_latest_state_with_its_date_and_comment_is_shown(client, plan, editor_user):
    import datetime

    measure = plan["public"]
    measure.set_state(state=State.IN_PROGRESS, comment="Første samling holdt.",
                      changed_on=datetime.date(YEAR, 1, 20), author=editor_user)  # fmt: skip
    html = client.get("/handlingsplan/").text
    assert "Pågår" in html and "Første samling holdt." in html
    # Without a change, a measure is planned.
    assert html.count("Planlagt") >= 1


def test_the_responsible_person_is_named_to_staff_only(client, staff_client, plan, editor_user):
    plan["public"].responsible = editor_user
    plan["public"].save()
    assert editor_user.last_name not in Client().get("/handlingsplan/").text
    assert editor_user.last_name in staff_client.get("/handlingsplan/").text


def test_a_change_makes_the_cached_page_stale_and_staff_never_fill_it(
    client, staff_client, plan, file_cache_on, django_capture_on_commit_callbacks
):
    from strategy_portal.cache import bump_version

    bump_version()
    # Staff first: their page (with the internal measure) is not stored for anyone else.
    assert "Budsjett for kontingenter" in staff_client.get("/handlingsplan/").text
    anonymous = Client()
    first = anonymous.get("/handlingsplan/")
    assert "Budsjett for kontingenter" not in first.text
    again = anonymous.get("/handlingsplan/")
    assert again["X-Cache"] == "HIT"
    assert "Budsjett for kontingenter" not in again.text
    with django_capture_on_commit_callbacks(execute=True):
        plan["internal"].is_public = True
        plan["internal"].save()
    fresh = anonymous.get("/handlingsplan/")
    assert fresh["X-Cache"] != "HIT"
    assert "Budsjett for kontingenter" in fresh.text


@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_the_plan_makes_as_many_queries_with_many_measures(client, editor_user, strategy, who):
    from tests.factories import make_owner
    from tests.query_counts import count_queries

    if who == "editor":
        client.force_login(editor_user)
        make_owner(get_commitment("1.1"))
    make_measure(get_commitment("1.1")).set_state(state=State.IN_PROGRESS)
    few, _ = count_queries(client.get, "/handlingsplan/")
    for code in ("1.1", "2.1", "3.3", "4.2"):
        for i in range(5):
            measure = make_measure(get_commitment(code), title=f"Tiltak {i}",
                                   responsible=editor_user)  # fmt: skip
            measure.set_state(state=State.DONE, comment="Ferdig.")
    many, response = count_queries(client.get, "/handlingsplan/")
    assert response.text.count('<li class="measure"') == 21
    assert many == few


def test_the_commitment_page_lists_this_years_measures(client, staff_client, plan):
    c31 = get_commitment("3.1")
    html = Client().get(c31.get_absolute_url()).text
    assert f"Handlingsplan {YEAR}" in html
    assert "Søknadsverksted for Interreg ØKS" in html
    assert f'href="/handlingsplan/{YEAR}/#measure-{plan["public"].pk}"' in html
    assert "Budsjett for kontingenter" not in html  # internal
    assert "Budsjett for kontingenter" in staff_client.get(c31.get_absolute_url()).text
    # Another year's measures, and a commitment without any this year: no list.
    assert "Tiltak fra 2024" not in client.get(get_commitment("1.2").get_absolute_url()).text
    assert (
        'id="commitment-measures"' not in client.get(get_commitment("4.1").get_absolute_url()).text
    )


@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_the_commitment_page_makes_as_many_queries_with_many_measures(
    client, staff_user, strategy, who
):
    # Each measure's link (Measure.get_absolute_url) reads its commitment and priority: two
    # queries a measure until the list loaded them with it (bench: 110 queries, p95 103 ms).
    from tests.query_counts import count_queries

    if who == "staff":
        client.force_login(staff_user)
    commitment = get_commitment("2.1")
    make_measure(commitment)
    few, _ = count_queries(client.get, commitment.get_absolute_url())
    for i in range(10):
        make_measure(commitment, title=f"Tiltak {i}").set_state(state=State.DONE)
    many, response = count_queries(client.get, commitment.get_absolute_url())
    assert response.text.count('class="measure-summary"') == 11
    assert many == few


def test_resources_are_shown_in_kroner_and_person_weeks(client, strategy):
    make_measure(get_commitment("1.1"), title="Én uke", cost_nok=1250000, person_weeks=1)
    make_measure(get_commitment("1.1"), title="Halvannen", person_weeks="1.5")
    html = Client().get("/en/handlingsplan/").text
    assert "NOK 1,250,000; 1 person-week<" in html
    assert "1.5 person-weeks" in html


# --- The plan's body from the cache (template tag cachedfragment) ----------------------------


def measure_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "planning_measure" in q["sql"]]


def test_a_second_visit_serves_the_plan_body_from_the_cache(
    file_cache_on, committed_plan, staff_client
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = staff_client.get("/handlingsplan/")
    with CaptureQueriesContext(connection) as queries:
        second = staff_client.get("/handlingsplan/")
    assert measure_queries(queries) == []
    assert "Budsjett for kontingenter" in second.text
    assert second.text.count('<li class="measure') == first.text.count('<li class="measure') == 3


def test_a_new_measure_shows_on_the_cached_plan_at_once(
    file_cache_on, committed_plan, staff_client, django_capture_on_commit_callbacks
):
    assert "Søknadsverksted for Interreg ØKS" in staff_client.get("/handlingsplan/").text
    with django_capture_on_commit_callbacks(execute=True):
        make_measure(get_commitment("3.1"), title="Nytt tiltak etter mellomlagringen")
    assert "Nytt tiltak etter mellomlagringen" in staff_client.get("/handlingsplan/").text


def test_the_cached_plan_keeps_each_users_links_and_measures(
    file_cache_on,
    committed_plan,
    editor_user,
    staff_user,
    other_staff_user,
    client,
    django_capture_on_commit_callbacks,
):
    from django.contrib.auth.models import Group

    from priorities.roles import EDITOR_GROUP

    def signed_in(user) -> Client:
        signed = Client()
        signed.force_login(user)
        return signed

    plan = committed_plan
    with django_capture_on_commit_callbacks(execute=True):
        type(plan["other"]).objects.filter(pk=plan["other"].pk).update(responsible=staff_user)
    edit = f"/handlingsplan/tiltak/{plan['public'].pk}/endre/"
    own_state = f"/handlingsplan/tiltak/{plan['other'].pk}/tilstand/"
    # The editor's body is cached first, with every link.
    editor_html = signed_in(editor_user).get("/handlingsplan/").text
    assert edit in editor_html and own_state in editor_html
    # Staff get no edit links; the responsible one may change their measure's state.
    staff_html = signed_in(staff_user).get("/handlingsplan/").text
    assert edit not in staff_html and own_state in staff_html
    assert own_state not in signed_in(other_staff_user).get("/handlingsplan/").text
    # A visitor's body is their own: neither links, internal measures nor names.
    public_html = client.get("/handlingsplan/").text
    assert edit not in public_html and own_state not in public_html
    assert "Budsjett for kontingenter" not in public_html
    assert staff_user.last_name not in public_html
    # Rights are part of the key: made an editor (no content changed), the links show.
    other_staff_user.groups.add(Group.objects.get(name=EDITOR_GROUP))
    assert edit in signed_in(other_staff_user).get("/handlingsplan/").text
