"""Every public page renders in a number of queries that does not grow with the data."""

import pytest

from partners.models import BilateralPartner, Organisation
from priorities.demo import example_activities
from priorities.models import Activity, Commitment, Status
from tests.factories import make_visit
from tests.query_counts import count_queries

PAGES = [
    "/",
    "/en/",
    "/prioriteringer/medlemsorganisasjoner/",
    "/prioriteringer/bilaterale-avtaler/",
    "/prioriteringer/medlemsorganisasjoner/1/",
    "/prioriteringer/bilaterale-avtaler/1/",
    "/prioriteringer/bilaterale-avtaler/1/?year={year}",
    "/aktiviteter/{activity}/",
    "/partnere/",
    "/partnere/kaunas/",
    "/partnere/schleswig-holstein/",
    "/partnere/organisasjoner/cpmr-north-sea-commission/",
    "/partnere/organisasjoner/osloregionens-europakontor/",
    "/partnere/kaunas/brief/",
    "/partnere/organisasjoner/cpmr-north-sea-commission/brief/",
    "/partnere/kart/",
    "/tilgjengelighetserklaering/",
]


def ten_public_activities_with_statuses() -> Activity:
    example_activities(10)
    # All public, and Kaunas's activity also with Schleswig-Holstein, so the small data set
    # already fills every list: an empty list skips its prefetch queries.
    Activity.objects.update(is_public=True)
    kaunas_activity = Activity.objects.get(partners__slug="kaunas")
    kaunas_activity.partners.add(BilateralPartner.objects.get(slug="schleswig-holstein"))
    # A delegation visit with Kaunas and the North Sea Commission: the briefing packs' visits
    # (with their participants) are a list of their own.
    make_visit(
        Commitment.objects.first(),
        days_ago=10,
        partners=[BilateralPartner.objects.get(slug="kaunas")],
        organisations=[Organisation.objects.get(slug="cpmr-north-sea-commission")],
    )
    for commitment in Commitment.objects.all():
        for status in (Status.NOT_STARTED, Status.ON_TRACK):
            commitment.set_status(status=status, assessment="Eksempel.", author=None)
    return kaunas_activity


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_page_queries_do_not_grow_from_10_to_500_activities(
    client, strategy, django_assert_num_queries, path
):
    activity = ten_public_activities_with_statuses()
    path = path.format(activity=activity.pk, year=activity.start_date.year)
    small, first = count_queries(client.get, path)

    example_activities(489, seed=7)
    assert Activity.objects.count() == 500
    with django_assert_num_queries(small):
        response = client.get(path)
    assert response.status_code == 200
    # The bigger data set is really on the page (not an empty or identical render).
    if "aktiviteter" not in path and "tilgjengelighet" not in path:
        assert response.content != first.content


def test_staff_commitment_page_queries_do_not_grow(
    staff_client, strategy, django_assert_num_queries
):
    ten_public_activities_with_statuses()
    path = "/prioriteringer/medlemsorganisasjoner/1/"
    small, _ = count_queries(staff_client.get, path)
    example_activities(490, seed=7)
    with django_assert_num_queries(small):
        assert staff_client.get(path).status_code == 200


def test_annual_report_queries_do_not_grow_from_10_to_500_activities(
    client, strategy, django_assert_num_queries
):
    """The Årsrapport (reporting/annual.py) in a constant number of queries: activities (the
    appendix lists all of them up to APPENDIX_LIMIT), measures and entries alike."""
    from reporting.models import Round
    from tests.factories import make_measure, make_user
    from tests.reporting.helpers import approve_all, open_round

    activity = ten_public_activities_with_statuses()
    year = activity.start_date.year
    first_commitment = Commitment.objects.order_by("pk").first()
    make_measure(first_commitment, year=year)
    the_round = approve_all(open_round(year), make_user("redaktor", "Redaktør"))
    path = the_round.get_report_url()
    small, first = count_queries(client.get, path)

    example_activities(490, seed=7)
    for commitment in Commitment.objects.all():
        make_measure(commitment, year=year, title=f"Tiltak for {commitment.code}")
    assert Round.objects.report_approved().count() == 1
    with django_assert_num_queries(small):
        response = client.get(path)
    assert response.status_code == 200
    assert response.content != first.content and b"Tiltak for 4.3" in response.content
