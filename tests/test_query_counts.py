"""Every page renders in the same number of queries with 10 activities as with 500.

The pages, per persona (add a page here when it lands; `d` holds the objects below):

anonymous  /  /nn/  /en/                                 overview
           /prioriteringer/<slug>/                       priority
           /prioriteringer/<slug>/<n>/                   commitment (+ ?year=, HTMX fragment)
           /prioriteringer/<slug>/<n>/feed/              commitment feed
           /aktiviteter/<pk>/                            activity
           /aktiviteter/  ?q=  ?kind=&year=  (+ HTMX)    search
           /tilgjengelighetserklaering/                  accessibility statement
           /partnere/                                    partners and organisations
           /partnere/<slug>/                             bilateral partner
           /partnere/organisasjoner/<slug>/              organisation
           /partnere/kart/                               partner map
           /rapport/  /rapport/<year>/                   yearly report
           /rapport/<year>/aktiviteter.csv|.xlsx         report downloads
           /feed/                                        latest activities
           /api/strategy/ activities/ partners/ organisations/ programmes/ openapi.json
           /accounts/login/                              sign in
staff      the public pages above that change for staff, and
           /mitt-arbeid/                                 my work (and with due items, below)
           /prioriteringer/<slug>/<n>/aktiviteter/ny/    log an activity (GET, HTMX GET, POST)
           /aktiviteter/<pk>/endre/  slett/  historikk/  edit, delete, history
editor     /prioriteringer/<slug>/<n>/status/            set status
           /import/                                      import
admin      /admin/ and the changelists and change forms of activities, status updates,
           commitments, priorities and partners

Grown between the two counts: activities (10 → 500, with partner and organisation links;
every fourth a delegation visit with three participants), status updates (1 → 20 per
commitment), partners and organisations (+15 each, with a place on the map). The page cache is
off (PAGE_CACHE=0 in the test settings), so every request renders.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from partners.models import BilateralPartner, Organisation, Programme
from priorities.demo import example_activities
from priorities.models import Activity, Commitment, Participant, Status, StatusUpdate, Visit
from tests.factories import get_commitment, make_visit
from tests.query_counts import count_queries

HTMX = {"HTTP_HX_REQUEST": "true"}


@dataclass
class Objects:
    commitment: Commitment
    activity: Activity  # public, staff's own, with partner, organisation and programme
    partner: BilateralPartner
    organisation: Organisation
    year: int
    visit: Activity  # a public delegation visit, staff's own, with two participants

    @property
    def commitment_url(self) -> str:
        return self.commitment.get_absolute_url()


@dataclass
class Page:
    name: str
    url: Callable[[Objects], str]
    method: str = "get"
    headers: dict | None = None
    data: Callable[[Objects], dict] | None = None


PUBLIC_PAGES = [
    Page("overview", lambda d: "/"),
    Page("overview (nn)", lambda d: "/nn/"),
    Page("overview (en)", lambda d: "/en/"),
    Page("priority", lambda d: d.commitment.priority.get_absolute_url()),
    Page("commitment", lambda d: d.commitment_url),
    Page("commitment, one year", lambda d: f"{d.commitment_url}?year={d.year}"),
    Page("commitment, page 2", lambda d: f"{d.commitment_url}?page=2"),
    Page("commitment (htmx)", lambda d: d.commitment_url, headers=HTMX),
    Page("commitment feed", lambda d: f"{d.commitment_url}feed/"),
    Page("activity", lambda d: d.activity.get_absolute_url()),
    Page("visit", lambda d: d.visit.get_absolute_url()),
    Page("search", lambda d: "/aktiviteter/"),
    Page("search, words", lambda d: "/aktiviteter/?q=Kaunas"),
    Page("search, filters", lambda d: f"/aktiviteter/?kind=meeting&year={d.year}&partner=kaunas"),
    Page("search, visits", lambda d: "/aktiviteter/?kind=delegation_visit"),
    Page("search (htmx)", lambda d: "/aktiviteter/?q=møte", headers=HTMX),
    Page("accessibility", lambda d: "/tilgjengelighetserklaering/"),
    Page("partners", lambda d: "/partnere/"),
    Page("partner", lambda d: d.partner.get_absolute_url()),
    Page("organisation", lambda d: d.organisation.get_absolute_url()),
    Page("partner map", lambda d: "/partnere/kart/"),
    Page("report index", lambda d: "/rapport/"),
    Page("report", lambda d: f"/rapport/{d.year}/"),
    Page("report csv", lambda d: f"/rapport/{d.year}/aktiviteter.csv"),
    Page("report xlsx", lambda d: f"/rapport/{d.year}/aktiviteter.xlsx"),
    Page("feed", lambda d: "/feed/"),
    Page("api strategy", lambda d: "/api/strategy/"),
    Page("api activities", lambda d: "/api/activities/"),
    Page("api partners", lambda d: "/api/partners/"),
    Page("api organisations", lambda d: "/api/organisations/"),
    Page("api programmes", lambda d: "/api/programmes/"),
    Page("api openapi", lambda d: "/api/openapi.json"),
]
ANONYMOUS_PAGES = [*PUBLIC_PAGES, Page("sign in", lambda d: "/accounts/login/")]


def new_visit(d: Objects) -> dict:
    return {
        "title": "Nytt besøk",
        "kind": "delegation_visit",
        "start_date": timezone.localdate().isoformat(),
        "is_public": "on",
        "partners": [d.partner.pk],
        "visit-direction": "incoming",
        "visit-purpose": "Vise fram fagskolene.",
        "visit-cost": "1000",
        "participants-TOTAL_FORMS": "2",
        "participants-INITIAL_FORMS": "0",
        "participants-0-name": "Eva Eksempeldal",
        "participants-0-role": "politician",
        "participants-1-name": "Wei Eksempel",
        "participants-1-role": "other",
        "participants-1-organisation": "Hubei-provinsen",
    }


def new_activity(d: Objects) -> dict:
    return {
        "title": "Nytt møte",
        "kind": "meeting",
        "start_date": timezone.localdate().isoformat(),
        "is_public": "on",
        "partners": [d.partner.pk],
    }


STAFF_PAGES = [
    Page("overview", lambda d: "/"),
    Page("commitment", lambda d: d.commitment_url),
    Page("commitment (htmx)", lambda d: d.commitment_url, headers=HTMX),
    Page("activity", lambda d: d.activity.get_absolute_url()),
    Page("search", lambda d: "/aktiviteter/?q=Kaunas"),
    Page("partner", lambda d: d.partner.get_absolute_url()),
    Page("organisation", lambda d: d.organisation.get_absolute_url()),
    Page("partner map", lambda d: "/partnere/kart/"),
    Page("report", lambda d: f"/rapport/{d.year}/"),
    Page("my work", lambda d: "/mitt-arbeid/"),
    Page("log activity form", lambda d: f"{d.commitment_url}aktiviteter/ny/"),
    Page("log activity form (htmx)", lambda d: f"{d.commitment_url}aktiviteter/ny/", headers=HTMX),
    Page("edit activity form", lambda d: f"/aktiviteter/{d.activity.pk}/endre/"),
    Page("delete activity form", lambda d: f"/aktiviteter/{d.activity.pk}/slett/"),
    Page("activity history", lambda d: f"/aktiviteter/{d.activity.pk}/historikk/"),
    Page("visit", lambda d: d.visit.get_absolute_url()),
    Page("edit visit form", lambda d: f"/aktiviteter/{d.visit.pk}/endre/"),
    Page(
        "log visit (htmx post)",
        lambda d: f"{d.commitment_url}aktiviteter/ny/",
        method="post",
        headers=HTMX,
        data=new_visit,
    ),
    Page(
        "log activity (htmx post)",
        lambda d: f"{d.commitment_url}aktiviteter/ny/",
        method="post",
        headers=HTMX,
        data=new_activity,
    ),
]

EDITOR_PAGES = [
    Page("commitment", lambda d: d.commitment_url),
    Page("set status form", lambda d: f"{d.commitment_url}status/"),
    Page("import", lambda d: "/import/"),
]

ADMIN_PAGES = [
    Page("admin index", lambda d: "/admin/"),
    Page("activities", lambda d: "/admin/priorities/activity/"),
    Page("activities, filtered", lambda d: "/admin/priorities/activity/?is_public__exact=1"),
    Page("activity", lambda d: f"/admin/priorities/activity/{d.activity.pk}/change/"),
    Page("activity history", lambda d: f"/admin/priorities/activity/{d.activity.pk}/history/"),
    Page("visit activity", lambda d: f"/admin/priorities/activity/{d.visit.pk}/change/"),
    Page("visits", lambda d: "/admin/priorities/visit/"),
    Page("visit", lambda d: f"/admin/priorities/visit/{d.visit.pk}/change/"),
    Page("status updates", lambda d: "/admin/priorities/statusupdate/"),
    Page("commitments", lambda d: "/admin/priorities/commitment/"),
    Page("commitment", lambda d: f"/admin/priorities/commitment/{d.commitment.pk}/change/"),
    Page("priorities", lambda d: "/admin/priorities/priority/"),
    Page("priority", lambda d: f"/admin/priorities/priority/{d.commitment.priority.pk}/change/"),
    Page("partners", lambda d: "/admin/partners/bilateralpartner/"),
    Page("partner", lambda d: f"/admin/partners/bilateralpartner/{d.partner.pk}/change/"),
    Page("organisations", lambda d: "/admin/partners/organisation/"),
]


def small_data(staff_user, editor_user) -> Objects:
    """10 activities over every commitment, and one of each kind of link the pages show."""
    example_activities(10, authors=[staff_user, editor_user], seed=10)
    year = max(2020, timezone.localdate().year - 1)
    commitment = get_commitment("2.1")
    partner = BilateralPartner.objects.get(slug="kaunas")
    organisation = Organisation.objects.get(slug="ostlandssamarbeidet")
    activity = Activity.objects.create(
        commitment=commitment,
        title="Møte med Kaunas om ungdomsutveksling",
        kind="meeting",
        start_date=datetime.date(year, 6, 1),
        programme=Programme.objects.first(),
        created_by=staff_user,
    )
    activity.partners.add(partner)
    activity.organisations.add(organisation)
    Activity.objects.create(
        commitment=commitment,
        title="Internt forarbeid",
        kind="other",
        start_date=datetime.date(year, 6, 2),
        is_public=False,
        created_by=staff_user,
    )
    for c in Commitment.objects.all():
        StatusUpdate.objects.create(commitment=c, status=Status.ON_TRACK, assessment="Godt i gang.")
    commitment.owners.add(editor_user)
    visit = make_visit(
        commitment,
        staff_user,
        title="Besøk og møte i Kaunas",
        partners=[partner],
        organisations=[organisation],
        start_date=datetime.date(year, 5, 1),
        visit={"cost": 1000},
        participants=[
            ("Eva Eksempeldal", "fylkesordfører", "politician", ""),
            ("Wei Eksempel", "", "other", "Hubei-provinsen"),
        ],
    )
    return Objects(commitment, activity, partner, organisation, year, visit)


def grow(d: Objects, staff_user, editor_user) -> None:
    example_activities(490, authors=[staff_user, editor_user], seed=490)
    now = timezone.now()
    StatusUpdate.objects.bulk_create(
        StatusUpdate(
            commitment=c,
            status=Status.NEEDS_ATTENTION,
            assessment=f"Vurdering {i}",
            created_at=now - datetime.timedelta(days=30 * i + 1),
        )
        for c in Commitment.objects.all()
        for i in range(19)
    )
    recent = list(Activity.objects.public().order_by("-start_date")[:50])
    # Every fourth activity a delegation visit, with three participants: visits on every page
    # of every list, as in the small data.
    others = Activity.objects.filter(visit__isnull=True).exclude(pk=d.activity.pk)
    to_visit = list(others.order_by("-start_date")[::4])
    Activity.objects.filter(pk__in=[a.pk for a in to_visit]).update(kind="delegation_visit")
    visits = Visit.objects.bulk_create(
        Visit(activity=a, direction="outgoing", purpose=f"Formål {a.pk}", cost=100)
        for a in to_visit
    )
    Participant.objects.bulk_create(
        Participant(visit=v, name=f"Person {i}", title="rådgiver", role=role, organisation="Org")
        for v in visits
        for i, role in enumerate(["politician", "staff", "other"])
    )
    for i in range(15):
        # With a place, so the partner map grows too.
        partner = BilateralPartner.objects.create(
            name=f"Partner {i}", slug=f"partner-{i}", country="DE", latitude=50 + i, longitude=i
        )
        organisation = Organisation.objects.create(
            name=f"Nettverk {i}", slug=f"nettverk-{i}", latitude=-i, longitude=100 + i
        )
        for activity in (*recent, d.activity):
            activity.partners.add(partner)
            activity.organisations.add(organisation)


def page_queries(client: Client, page: Page, d: Objects) -> int:
    args = (page.data(d),) if page.data else ()
    send = getattr(client, page.method)
    return count_queries(send, page.url(d), *args, **(page.headers or {}))[0]


def count_all(client: Client, pages: list[Page], d: Objects) -> dict[str, int]:
    return {page.name: page_queries(client, page, d) for page in pages}


def assert_constant(client: Client, pages: list[Page], d: Objects, staff_user, editor_user):
    count_all(client, pages, d)  # warm up: content types, the permission cache, templates
    small = count_all(client, pages, d)
    grow(d, staff_user, editor_user)
    large = count_all(client, pages, d)
    grown = {name: f"{small[name]} → {large[name]}" for name in small if large[name] != small[name]}
    assert grown == {}, "queries grow with the data (10 → 500 activities)"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def d(strategy, staff_user, editor_user) -> Objects:
    return small_data(staff_user, editor_user)


def test_anonymous_pages_make_as_many_queries_with_500_activities_as_with_10(
    d, staff_user, editor_user
):
    assert_constant(Client(), ANONYMOUS_PAGES, d, staff_user, editor_user)


def test_staff_pages_make_as_many_queries_with_500_activities_as_with_10(
    d, staff_user, editor_user
):
    assert_constant(signed_in(staff_user), STAFF_PAGES, d, staff_user, editor_user)


def test_editor_pages_make_as_many_queries_with_500_activities_as_with_10(
    d, staff_user, editor_user
):
    assert_constant(signed_in(editor_user), EDITOR_PAGES, d, staff_user, editor_user)


def test_admin_pages_make_as_many_queries_with_500_activities_as_with_10(
    d, staff_user, editor_user, admin_user
):
    assert_constant(signed_in(admin_user), ADMIN_PAGES, d, staff_user, editor_user)


def test_my_work_with_due_items_makes_as_many_queries_with_500_as_with_10(
    d, staff_user, editor_user
):
    # "Due" on my work (reporting.due): the editor owns every commitment, owes each its entry
    # in an open round (one returned), and is responsible for 10, then 500, measures past
    # or near their deadline.
    from planning.models import Measure
    from tests.reporting.helpers import open_round

    today = timezone.localdate()
    for c in Commitment.objects.all():
        c.owners.add(editor_user)
    the_round = open_round(deadline=today + datetime.timedelta(days=5))
    the_round.entries.filter(commitment=d.commitment).update(state="returned", return_comment="!")

    def measures(n: int, start: int) -> None:
        commitments = list(Commitment.objects.all())
        deadlines = [today - datetime.timedelta(days=i % 20) for i in range(start, start + n)]
        Measure.objects.bulk_create(
            Measure(
                commitment=commitments[i % len(commitments)],
                year=deadline.year,
                title=f"Tiltak {i}",
                responsible_unit="Internasjonalt team",
                responsible=editor_user,
                deadline=deadline,
            )
            for i, deadline in enumerate(deadlines, start)
        )

    client = signed_in(editor_user)
    measures(10, 0)
    page = Page("my work", lambda d: "/mitt-arbeid/")
    page_queries(client, page, d)  # warm up
    small, response = count_queries(client.get, "/mitt-arbeid/")
    assert response.text.count('class="due-list__item"') == 20
    measures(490, 10)
    grow(d, staff_user, editor_user)
    large, response = count_queries(client.get, "/mitt-arbeid/")
    assert response.text.count('class="due-list__item"') == 510
    assert small == large, f"my work: {small} → {large} queries"
