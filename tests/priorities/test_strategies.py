"""Several strategies in one portal (issue 13, item 3; item 4's "both side by side").

The real strategy and the invented one of tests/data/eksempel-strategi.toml are loaded side by
side, each with activities of its own: nothing of one shows on the other's pages, feeds,
downloads or API answers; the current strategy keeps today's addresses; the other lives under
strategier/<slug>/; an archived strategy reads, and takes no new activity.
"""

import datetime
import io
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone
from openpyxl import load_workbook

from partners.models import BilateralPartner as Partner
from priorities.models import Activity, Commitment, Priority, Strategy
from priorities.urls import STRATEGY_PAGES
from strategy_portal.cache import bump_version
from tests.factories import make_measure
from tests.html_forms import form_data
from tests.priorities.test_api import assert_matches_spec

EXAMPLE_FILE = Path(__file__).resolve().parents[1] / "data" / "eksempel-strategi.toml"
EXAMPLE = "eksempel-internasjonal-strategi-2025"
SCOPED_VIEWS = {f"priorities:{pattern.name}" for pattern in STRATEGY_PAGES}
MAX_PAGES = 400
ACTIVITIES_EACH = 4


def load_example(*args: str) -> Strategy:
    call_command("load_strategy", str(EXAMPLE_FILE), *args, stdout=io.StringIO())
    return Strategy.objects.get(slug=EXAMPLE)


def log_activities(strategy: Strategy, label: str, author=None) -> list[str]:
    """ACTIVITIES_EACH public activities of this year on the strategy's commitments."""
    commitments = list(Commitment.objects.of_strategy(strategy))
    today = timezone.localdate()
    titles = []
    for i in range(ACTIVITIES_EACH):
        title = f"Aktivitet {label} nr {i}"
        Activity.objects.create(
            commitment=commitments[i % len(commitments)],
            title=title,
            kind=Activity.Kind.MEETING,
            start_date=max(today - datetime.timedelta(days=i), today.replace(month=1, day=1)),
            description=f"Om {label}.",
            created_by=author,
        )
        titles.append(title)
    return titles


@pytest.fixture
def both(strategy, staff_user) -> dict:
    """The real strategy (current) and the invented one, each with its own activities."""
    example = load_example()
    return {
        "real": strategy,
        "example": example,
        "titles": {
            strategy.slug: log_activities(strategy, "VTFK", staff_user),
            example.slug: log_activities(example, "EKSEMPEL", staff_user),
        },
    }


def text_of(response) -> str:
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        workbook = load_workbook(io.BytesIO(response.content))
        return "\n".join(
            str(cell)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    return response.content.decode()


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag in ("a", "link") and href:
            self.hrefs.append(href)


def scope(path: str) -> str | None:
    """The slug of the strategy a bokmål path belongs to, or None when it is no strategy's."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name == "priorities:activity":
        activity = Activity.objects.select_related("commitment__priority__strategy")
        return activity.get(pk=match.kwargs["pk"]).commitment.priority.strategy.slug
    if match.view_name not in SCOPED_VIEWS:
        return None
    if "slug" in match.kwargs:
        return Priority.objects.get(slug=match.kwargs["slug"]).strategy.slug
    return match.kwargs.get("strategy") or Strategy.objects.current().slug


def strategy_starts(strategy: Strategy) -> list[str]:
    """The strategy's pages a crawl starts from: those no page links to are named here."""
    year = timezone.localdate().year
    paths = [
        strategy.get_absolute_url(),
        strategy.url("priorities:search"),
        strategy.url("priorities:search") + "?q=Aktivitet",
        strategy.url("priorities:search") + f"?year={year}",
        strategy.url("priorities:report_index"),
        strategy.url("priorities:report_csv", year),
        strategy.url("priorities:report_xlsx", year),
        strategy.url("priorities:feed"),
        f"/api/strategy/?strategy={strategy.slug}",
        f"/api/activities/?strategy={strategy.slug}",
        f"/api/activities/?strategy={strategy.slug}&q=Aktivitet",
    ]
    for commitment in Commitment.objects.of_strategy(strategy).select_related("priority"):
        paths.append(strategy.url("priorities:commitment_feed", commitment.priority.slug, 1))
    return paths


def crawl(client: Client, strategy: Strategy) -> dict[str, str]:
    """{path: text} of the strategy's pages: the starts, and every link on them that leads to
    another page of the same strategy (in bokmål)."""
    seen: dict[str, str] = {}
    queue = deque(strategy_starts(strategy))
    while queue:
        path = queue.popleft()
        if path in seen:
            continue
        assert len(seen) < MAX_PAGES, "the crawl grew past MAX_PAGES"
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        seen[path] = text_of(response)
        if not response["Content-Type"].startswith("text/html"):
            continue
        parser = Links()
        parser.feed(seen[path])
        for href in parser.hrefs:
            parts = urlsplit(href)
            if parts.netloc or not parts.path.startswith("/") or href in seen:
                continue
            if scope(parts.path) == strategy.slug:
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return seen


# --- Nothing of one strategy in the other's ---------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "staff", "anonymous-cached", "staff-cached"])
def test_no_page_feed_export_or_api_answer_holds_the_other_strategys_activities(
    both, staff_user, who, settings, django_capture_on_commit_callbacks
):
    # Cached: whole pages for anonymous visitors, parts of pages (cachedfragment) for staff.
    settings.PAGE_CACHE = who.endswith("-cached")
    bump_version()
    with django_capture_on_commit_callbacks(execute=True):
        both["real"].save()  # committed, as a request's writes are before a page is rendered
    client = Client()
    if who.startswith("staff"):
        client.force_login(staff_user)
    for key, other in (("real", "example"), ("example", "real")):
        strategy = both[key]
        own = both["titles"][strategy.slug]
        foreign = both["titles"][both[other].slug]
        pages = crawl(client, strategy)
        # The crawl reached the strategy's priority, commitment, report and activity pages.
        views = {resolve(urlsplit(path).path).view_name for path in pages}
        assert {
            "priorities:overview",
            "priorities:priority",
            "priorities:commitment",
            "priorities:report",
            "priorities:report_csv",
            "priorities:report_xlsx",
            "priorities:feed",
            "priorities:commitment_feed",
            "priorities:search",
            "priorities:activity",
            "api:activities",
        } <= views, views
        for path, text in pages.items():
            for title in foreign:
                assert title not in text, (strategy.slug, path, title)
        # Each of its own shows somewhere: the pages are not simply empty.
        everything = "\n".join(pages.values())
        assert all(title in everything for title in own)


def test_the_overview_counts_only_its_own_activities(client, both):
    for strategy in (both["real"], both["example"]):
        response = client.get(strategy.get_absolute_url())
        counted = sum(
            commitment.public_activity_count
            for priority in response.context["priorities"]
            for commitment in priority.commitments.all()
        )
        assert counted == ACTIVITIES_EACH
        latest = {activity.title for activity in response.context["latest"]}
        assert latest == set(both["titles"][strategy.slug])


@pytest.mark.parametrize("cached", [False, True], ids=["uncached", "cached-fragments"])
def test_my_work_lists_only_the_strategys_own(
    both, staff_user, settings, cached, django_capture_on_commit_callbacks
):
    # With the page cache on, staff pages keep parts in the cache (cachedfragment): each
    # strategy's "my work" is a part of its own.
    settings.PAGE_CACHE = cached
    bump_version()
    with django_capture_on_commit_callbacks(execute=True):
        both["real"].save()  # committed, as a request's writes are before a page is rendered
    client = Client()
    client.force_login(staff_user)
    for key, other in (("real", "example"), ("example", "real")):
        text = client.get(both[key].url("priorities:my_work")).text
        assert all(title in text for title in both["titles"][both[key].slug])
        assert not any(title in text for title in both["titles"][both[other].slug])


def test_the_api_lists_the_strategies_and_scopes_by_the_strategy_parameter(client, both):
    listed = assert_matches_spec(client.get("/api/strategies/"), "/api/strategies/")["results"]
    assert [(s["slug"], s["is_current"]) for s in listed] == [
        (both["real"].slug, True),
        (EXAMPLE, False),
    ]
    assert listed[1]["url"].endswith(f"/strategier/{EXAMPLE}/")
    # Without the parameter: the current strategy's.
    default = client.get("/api/activities/").json()["results"]
    assert {a["title"] for a in default} == set(both["titles"][both["real"].slug])
    response = client.get("/api/activities/", {"strategy": EXAMPLE})
    example = assert_matches_spec(response, "/api/activities/")["results"]
    assert {a["title"] for a in example} == set(both["titles"][EXAMPLE])
    response = client.get("/api/strategy/", {"strategy": EXAMPLE})
    tree = assert_matches_spec(response, "/api/strategy/")
    assert tree["slug"] == EXAMPLE and not tree["is_current"]
    assert [p["slug"] for p in tree["priorities"]] == [
        "eksempel-regionalt-samarbeid",
        "eksempel-partnerregioner",
    ]
    assert tree["priorities"][0]["url"].endswith(
        f"/strategier/{EXAMPLE}/prioriteringer/eksempel-regionalt-samarbeid/"
    )


@pytest.mark.parametrize("path", ["/api/strategy/", "/api/activities/"])
def test_an_unknown_strategy_in_the_api_is_a_400_naming_the_strategies(client, both, path):
    response = client.get(path, {"strategy": "no-such-strategy"})
    assert response.status_code == 400
    assert_matches_spec(response, path)
    (message,) = response.json()["errors"]["strategy"]
    assert EXAMPLE in message and both["real"].slug in message


# --- Addresses ------------------------------------------------------------------------------


def test_the_current_strategys_old_addresses_still_answer(client, both):
    year = timezone.localdate().year
    commitment = Commitment.objects.of_strategy(both["real"]).select_related("priority").first()
    slug, number = commitment.priority.slug, commitment.number
    for prefix in ("", "/nn", "/en"):
        for path in [
            "/",
            f"/prioriteringer/{slug}/",
            f"/prioriteringer/{slug}/{number}/",
            f"/prioriteringer/{slug}/{number}/feed/",
            "/rapport/",
            f"/rapport/{year}/",
            f"/rapport/{year}/aktiviteter.csv",
            f"/rapport/{year}/aktiviteter.xlsx",
            "/aktiviteter/",
            "/feed/",
        ]:
            assert client.get(prefix + path).status_code == 200, prefix + path


def test_the_current_strategys_prefixed_address_redirects_to_the_old_one(client, both):
    real = both["real"].slug
    cases = {
        f"/strategier/{real}/": "/",
        f"/strategier/{real}/prioriteringer/bilaterale-avtaler/": (
            "/prioriteringer/bilaterale-avtaler/"
        ),
        f"/strategier/{real}/rapport/2024/": "/rapport/2024/",
        f"/strategier/{real}/aktiviteter/?q=Kaunas": "/aktiviteter/?q=Kaunas",
        f"/nn/strategier/{real}/feed/": "/nn/feed/",
    }
    for path, target in cases.items():
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, target), path


def test_another_strategys_page_at_the_old_address_redirects_to_its_own(client, both):
    prefix = f"/strategier/{EXAMPLE}"
    cases = {
        "/prioriteringer/eksempel-partnerregioner/": (
            f"{prefix}/prioriteringer/eksempel-partnerregioner/"
        ),
        "/prioriteringer/eksempel-partnerregioner/1/?year=2025": (
            f"{prefix}/prioriteringer/eksempel-partnerregioner/1/?year=2025"
        ),
        "/prioriteringer/eksempel-partnerregioner/1/feed/": (
            f"{prefix}/prioriteringer/eksempel-partnerregioner/1/feed/"
        ),
        "/en/prioriteringer/eksempel-partnerregioner/": (
            f"/en{prefix}/prioriteringer/eksempel-partnerregioner/"
        ),
        # A priority under the wrong strategy's prefix: to its own address.
        f"{prefix}/prioriteringer/bilaterale-avtaler/": "/prioriteringer/bilaterale-avtaler/",
    }
    for path, target in cases.items():
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, target), path
        assert client.get(target).status_code == 200, target


def test_an_unknown_strategy_address_is_404(client, both):
    assert client.get("/strategier/finnes-ikke/").status_code == 404
    assert client.get("/strategier/finnes-ikke/rapport/").status_code == 404


def test_the_other_strategys_pages_link_within_it(client, both):
    text = client.get(f"/strategier/{EXAMPLE}/").text
    prefix = f"/strategier/{EXAMPLE}"
    for path in (
        f"{prefix}/prioriteringer/eksempel-regionalt-samarbeid/",
        f"{prefix}/prioriteringer/eksempel-regionalt-samarbeid/1/",
        f"{prefix}/aktiviteter/",
        f"{prefix}/rapport/",
        f"{prefix}/feed/",
    ):
        assert f'href="{path}"' in text, path
    # And says whose it is, with the way to the current one.
    assert "Ikke den gjeldende strategien" in text
    assert 'href="/strategier/"' in text


# --- Which strategy is current --------------------------------------------------------------


def test_loading_another_strategy_does_not_take_over_the_front_page(client, strategy):
    example = load_example()
    assert example.adopted_on > strategy.adopted_on  # the old rule would have chosen it
    assert Strategy.objects.current() == strategy
    assert strategy.title in client.get("/").text


def test_load_strategy_current_makes_it_the_current_one(client, strategy):
    load_example("--current")
    assert Strategy.objects.current().slug == EXAMPLE
    assert list(Strategy.objects.filter(is_current=True).values_list("slug", flat=True)) == [
        EXAMPLE
    ]
    assert "Eksempelstrategi" in client.get("/").text
    # The old strategy's pages move under its prefix; old links follow.
    response = client.get("/prioriteringer/bilaterale-avtaler/")
    assert response["Location"] == f"/strategier/{strategy.slug}/prioriteringer/bilaterale-avtaler/"


def test_marking_one_current_unmarks_the_other(both):
    example = both["example"]
    example.is_current = True
    example.save()
    assert list(Strategy.objects.filter(is_current=True)) == [example]


def test_the_database_refuses_two_current_strategies(both):
    with pytest.raises(IntegrityError), transaction.atomic():
        Strategy.objects.update(is_current=True)


def test_without_a_marked_one_the_latest_adopted_is_current(both):
    Strategy.objects.update(is_current=False)
    assert Strategy.objects.current() == both["example"]


def test_changing_the_current_strategy_in_admin_unmarks_the_other(admin_client, both):
    url = f"/admin/priorities/strategy/{both['example'].pk}/change/"
    data = form_data(admin_client.get(url).text, "strategy_form")
    data["is_current"] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Strategy.objects.current() == both["example"]
    assert not Strategy.objects.get(pk=both["real"].pk).is_current


def test_changing_the_current_strategy_makes_cached_pages_stale(
    client, both, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE = True
    bump_version()
    assert both["real"].title in client.get("/").text
    assert both["real"].title in client.get("/").text  # now from the cache
    with django_capture_on_commit_callbacks(execute=True):
        both["example"].is_current = True
        both["example"].save()
    assert both["example"].title in client.get("/").text


# --- Archived -------------------------------------------------------------------------------


@pytest.fixture
def archived(both) -> Strategy:
    example = both["example"]
    example.ended_on = timezone.localdate() - datetime.timedelta(days=1)
    example.save()
    return example


def test_a_strategy_is_archived_when_its_period_or_its_end_date_is_past(both):
    example = both["example"]
    assert not example.is_archived
    example.period_end = timezone.localdate().year - 1
    assert example.is_archived
    example.period_end = timezone.localdate().year
    example.ended_on = timezone.localdate()
    assert example.is_archived


@pytest.mark.parametrize("prefix", ["", "/nn", "/en"])
def test_an_archived_strategy_reads_with_a_notice(client, archived, prefix):
    notice = {"": "Arkivert strategi", "/nn": "Arkivert strategi", "/en": "Archived strategy"}
    for path in (
        f"/strategier/{EXAMPLE}/",
        f"/strategier/{EXAMPLE}/prioriteringer/eksempel-partnerregioner/1/",
        f"/strategier/{EXAMPLE}/rapport/",
    ):
        response = client.get(prefix + path)
        assert response.status_code == 200, path
        assert notice[prefix] in response.text
        assert f'href="{prefix}/"' in response.text  # the way to the current strategy


def test_an_archived_strategy_takes_no_new_activity(staff_client, archived):
    commitment = Commitment.objects.of_strategy(archived).select_related("priority").first()
    page = staff_client.get(commitment.get_absolute_url()).text
    create = f"/prioriteringer/{commitment.priority.slug}/{commitment.number}/aktiviteter/ny/"
    assert create not in page  # no "log activity" on its pages
    before = Activity.objects.count()
    data = {"title": "For sent", "kind": "meeting", "start_date": "2025-03-01"}
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = staff_client.post(create, data, **headers)
        assert response.status_code == 403
        assert "er arkivert" in response.text
        assert staff_client.get(create).status_code == 403
    assert Activity.objects.count() == before


def test_the_model_refuses_a_new_activity_on_an_archived_strategy(archived):
    from django.core.exceptions import ValidationError

    commitment = Commitment.objects.of_strategy(archived).first()
    activity = Activity(
        commitment=commitment, title="For sent", kind="meeting", start_date=timezone.localdate()
    )
    with pytest.raises(ValidationError, match="arkivert|archived"):
        activity.full_clean()


# --- The list of strategies: both side by side ---------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/nn", "/en"])
def test_the_strategies_list_shows_both_side_by_side(client, archived, strategy, prefix):
    response = client.get(f"{prefix}/strategier/")
    assert response.status_code == 200
    text = response.text
    example = Strategy.objects.get(slug=EXAMPLE)
    with_titles = [s.title for s in (strategy, example)]
    assert [text.index(title) for title in with_titles] == sorted(
        text.index(title) for title in with_titles
    )  # the current one first
    assert "2020–2030" in text and "2025–2028" in text
    assert "Eksempel" in text  # the county authority
    assert f'href="{prefix}/strategier/{EXAMPLE}/"' in text
    assert response.context["strategies"] == [strategy, example]
    assert response.context["archived"] == [example]
    assert "Arkivert strategi" in text or "Archived strategy" in text


def test_the_footer_links_to_the_strategies_list_only_with_several(client, strategy):
    assert 'href="/strategier/"' not in client.get("/").text
    load_example()
    assert 'href="/strategier/"' in client.get("/").text


def test_a_partner_page_names_each_activitys_strategy_and_links_its_own_address(
    client, both, staff_user
):
    # Partners are shared by the strategies: a partner page lists the activities of each,
    # grouped by commitment; with two strategies a "1.1" of each would be ambiguous.
    kaunas = Partner.objects.get(slug="kaunas")
    for strategy in (both["real"], both["example"]):
        Activity.objects.of_strategy(strategy).first().partners.add(kaunas)
    html = client.get("/en/partnere/kaunas/").text
    example_commitment = Activity.objects.of_strategy(both["example"]).first().commitment
    real_commitment = Activity.objects.of_strategy(both["real"]).first().commitment
    prefixed = f"/en/strategier/{EXAMPLE}/prioriteringer/{example_commitment.priority.slug}/"
    assert f'href="{prefixed}{example_commitment.number}/"' in html
    assert f"({both['example'].title})" in html
    assert f"({both['real'].title})" in html
    unprefixed = f"/en/prioriteringer/{real_commitment.priority.slug}/{real_commitment.number}/"
    assert f'href="{unprefixed}"' in html


def test_each_strategy_has_its_own_action_plan_at_its_own_address(client, both):
    # The plan is one of a strategy's pages (planning/urls.py, PLAN_PAGES): the current
    # strategy's at handlingsplan/, any other's under strategier/<slug>/handlingsplan/.
    year = timezone.localdate().year
    real, example = both["real"], both["example"]
    make_measure(Commitment.objects.of_strategy(real).first(), title="Tiltak i VTFK-planen")
    make_measure(Commitment.objects.of_strategy(example).first(), title="Tiltak i eksempelplanen")
    current = client.get(f"/handlingsplan/{year}/").text
    assert "Tiltak i VTFK-planen" in current and "Tiltak i eksempelplanen" not in current
    other = client.get(f"/strategier/{EXAMPLE}/handlingsplan/{year}/")
    assert other.status_code == 200
    assert "Tiltak i eksempelplanen" in other.text and "Tiltak i VTFK-planen" not in other.text
    assert f'href="/strategier/{EXAMPLE}/handlingsplan/{year}/"' in other.text  # year switcher
    prefixed_current = client.get(f"/strategier/{real.slug}/handlingsplan/{year}/")
    assert prefixed_current.status_code == 302
    assert prefixed_current["Location"] == f"/handlingsplan/{year}/"
