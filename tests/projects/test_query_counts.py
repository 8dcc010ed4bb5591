"""The project register's pages make as many queries with 500 projects as with 10."""

import datetime

import pytest

from partners.models import BilateralPartner, Organisation, Programme
from projects.models import Project, ProjectLink, State
from tests.factories import get_commitment
from tests.query_counts import count_queries

PAGES = [
    "/prosjekter/",
    "/en/prosjekter/?programme=interreg-oks&role=partner",
    "/prosjekter/?partner=kaunas&year=2025",
    "/prosjekter/{slug}/",
    "/",
    "/rapport/2025/",
    "/partnere/kaunas/",
    "/partnere/organisasjoner/cpmr-north-sea-commission/",
    "/api/projects/",
]


def add_projects(n: int, start: int = 0) -> None:
    """`n` projects across programmes, states, years and visibility, each with a partner, an
    organisation, two commitments and a link (in bulk: 500 one by one take minutes)."""
    programmes = [*Programme.objects.all(), None]
    kaunas = BilateralPartner.objects.get(slug="kaunas")
    nsc = Organisation.objects.get(slug="cpmr-north-sea-commission")
    commitments = [get_commitment("3.1"), get_commitment("3.3")]
    projects = Project.objects.bulk_create(
        Project(
            name=f"Prosjekt {i}",
            acronym=f"P{i}",
            slug=f"p{i}",
            programme=programmes[i % len(programmes)],
            role="partner",
            state=State.values[i % len(State.values)],
            decided_on=datetime.date(2022 + i % 4, 1 + i % 12, 1),
            start_date=datetime.date(2023 + i % 3, 1, 1),
            total_budget_eur=1000000,
            county_share_eur=1000 + i,
            eur_nok_rate=11,
            rate_date=datetime.date(2025, 1, 1),
            is_public=i % 5 != 0,
        )
        for i in range(start, start + n)
    )
    Project.partners.through.objects.bulk_create(
        Project.partners.through(project=p, bilateralpartner=kaunas) for p in projects
    )
    Project.organisations.through.objects.bulk_create(
        Project.organisations.through(project=p, organisation=nsc) for p in projects
    )
    Project.commitments.through.objects.bulk_create(
        Project.commitments.through(project=p, commitment=c) for p in projects for c in commitments
    )
    ProjectLink.objects.bulk_create(
        ProjectLink(project=p, title="Lenke", url="https://example.org/") for p in projects
    )


@pytest.mark.parametrize("who", ["anonymous", "staff"])
@pytest.mark.parametrize("path", PAGES)
def test_queries_do_not_grow_from_10_to_500_projects(
    client, strategy, staff_user, django_assert_num_queries, path, who
):
    if who == "staff":
        client.force_login(staff_user)
    add_projects(10)
    one_project = "{slug}" in path
    path = path.format(slug="p1")
    small, first = count_queries(client.get, path)
    add_projects(490, start=10)
    assert Project.objects.count() == 500
    with django_assert_num_queries(small):
        response = client.get(path)
    assert response.status_code == 200
    if not one_project:
        assert response.content != first.content  # the bigger data set is on the page
