"""The organisation page's seats and scorecard, relationship health on the partner and
organisation pages, the staff list on "My work", the admin's fee and seat rows and the API."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import BilateralPartner, MembershipFee, Organisation, Seat
from priorities.models import Activity
from tests.factories import get_commitment, make_activity, make_fee, make_seat
from tests.html_forms import form_data
from tests.query_counts import count_queries

LANGS = ["", "/nn", "/en"]
NSC_PAGE = "/partnere/organisasjoner/cpmr-north-sea-commission/"
KAUNAS_PAGE = "/partnere/kaunas/"
ATTENTION = {"": "Trenger oppfølging", "/nn": "Treng oppfølging", "/en": "Needs attention"}


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def nsc(strategy):
    nsc = Organisation.objects.get(slug="cpmr-north-sea-commission")
    make_seat(
        nsc,
        body_nb="Generalforsamlingen",
        body_nn="Generalforsamlinga",
        body_en="General Assembly",
        representative="Eksempel: Astrid Fiktivsen",
        term_start=datetime.date(2020, 1, 1),
        term_end=datetime.date(2023, 12, 31),
    )
    make_seat(
        nsc,
        body_nb="Styret",
        body_nn="Styret",
        body_en="Board",
        role=Seat.Role.VICE_CHAIR,
        representative="Eksempel: Camilla Tenktsdatter",
        deputy="",
        term_start=datetime.date(2024, 1, 1),
        term_end=in_days(30),
        is_example=True,
    )
    make_fee(nsc, 2025, 95_000)
    c11 = get_commitment("1.1")
    make_activity(
        c11, kind=Activity.Kind.MEETING, start_date=datetime.date(2025, 3, 1), organisations=[nsc]
    )
    make_activity(
        c11,
        title="Internt høringssvar",
        kind=Activity.Kind.CONSULTATION_RESPONSE,
        start_date=datetime.date(2025, 4, 1),
        is_public=False,
        organisations=[nsc],
    )
    return nsc


def scorecard_2025(response):
    row = next(r for r in response.context["scorecard"] if r.year == 2025)
    return (row.fee.amount, row.meetings, row.positions, row.consultation_responses, row.projects)


@pytest.mark.parametrize("prefix", LANGS)
def test_organisation_page_shows_current_and_former_seats_and_the_scorecard(client, nsc, prefix):
    response = client.get(prefix + NSC_PAGE)
    assert response.status_code == 200
    html = response.text
    assert [s.representative for s in response.context["current_seats"]] == [
        "Eksempel: Camilla Tenktsdatter"
    ]
    assert [s.representative for s in response.context["former_seats"]] == [
        "Eksempel: Astrid Fiktivsen"
    ]
    body = {"": "Styret", "/nn": "Styret", "/en": "Board"}[prefix]
    assert f'>{body} <span class="badge badge--example">' in html  # the example is marked
    assert {"": "Tidligere plasser", "/nn": "Tidlegare plassar", "/en": "Former seats"}[
        prefix
    ] in html
    assert {"": "Nestleder", "/nn": "Nestleiar", "/en": "Vice-chair"}[prefix] in html
    assert "95" in html and "000" in html
    # Anonymous visitors: public activities only; projects not wired in yet ("–").
    assert scorecard_2025(response) == (95_000, 1, 0, 0, 0)
    assert "Internt høringssvar" not in html
    # No staff flag for the public, though a seat ends within 90 days.
    assert ATTENTION[prefix] not in html


@pytest.mark.parametrize("prefix", LANGS)
def test_staff_see_internal_counts_and_the_flag_of_a_seat_ending_soon(staff_client, nsc, prefix):
    response = staff_client.get(prefix + NSC_PAGE)
    assert scorecard_2025(response) == (95_000, 1, 0, 1, 0)
    html = response.text
    assert ATTENTION[prefix] in html
    body = {"": "Styret", "/nn": "Styret", "/en": "Board"}[prefix]
    assert f"{body} (" in html


def test_partner_page_shows_last_contact_and_activities_per_year(client, staff_user, strategy):
    kaunas = BilateralPartner.objects.get(slug="kaunas")
    kaunas.agreement_expires = in_days(60)
    kaunas.save()
    c21 = get_commitment("2.1")
    make_activity(c21, start_date=datetime.date(2023, 5, 2), partners=[kaunas])
    make_activity(c21, start_date=datetime.date(2025, 5, 2), partners=[kaunas], is_public=False)

    public = client.get(KAUNAS_PAGE)
    assert public.context["health"].per_year[0] == {"year": 2023, "count": 1}
    assert '<time datetime="2023-05-02">' in public.text
    assert "Trenger oppfølging" not in public.text
    assert "<svg" in public.text and 'aria-hidden="true"' in public.text

    client.force_login(staff_user)
    staff = client.get(KAUNAS_PAGE)
    assert staff.context["health"].per_year[0] == {"year": 2025, "count": 1}
    assert '<time datetime="2025-05-02">' in staff.text
    assert "Trenger oppfølging" in staff.text
    assert "Avtalen utløper" in staff.text
    # Quiet: the latest contact is more than 12 months back.
    assert "Ingen aktivitet de siste 12 månedene." in staff.text


def test_an_inactive_relation_is_not_flagged(staff_client, strategy):
    kaunas = BilateralPartner.objects.get(slug="kaunas")
    kaunas.active = False
    kaunas.save()
    assert "Trenger oppfølging" not in staff_client.get(KAUNAS_PAGE).text


# "My work": the staff list of relations needing attention ------------------------------


@pytest.fixture
def quiet_and_ending(strategy):
    c11 = get_commitment("1.1")
    for partner in BilateralPartner.objects.all():
        make_activity(c11, days_ago=10, partners=[partner])
    for organisation in Organisation.objects.all():
        make_activity(c11, days_ago=10, organisations=[organisation])
    BilateralPartner.objects.filter(slug="hubei").update(agreement_expires=in_days(20))
    Activity.objects.filter(organisations__slug="errin").update(start_date=in_days(-500))
    make_seat(Organisation.objects.get(slug="euregha"), term_end=in_days(89))


def attention_names(response) -> set[str]:
    return {relation.slug for relation in response.context["attention"]}


@pytest.mark.parametrize("persona", ["staff_user", "other_staff_user", "editor_user", "admin_user"])
def test_my_work_lists_relations_needing_attention_to_staff(
    client, quiet_and_ending, persona, request
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/mitt-arbeid/")
    assert response.status_code == 200
    assert attention_names(response) == {"hubei", "errin", "euregha"}
    assert "Partnere og arenaer som trenger oppfølging" in response.text


def test_my_work_is_for_signed_in_users_only(client, quiet_and_ending):
    response = client.get("/mitt-arbeid/")
    assert response.status_code == 302
    assert "/logg-inn/" in response["Location"] or "login" in response["Location"]


def test_my_work_refuses_post(staff_client, quiet_and_ending):
    assert staff_client.post("/mitt-arbeid/").status_code == 405


def test_my_work_says_when_nothing_needs_attention(staff_client, strategy):
    c11 = get_commitment("1.1")
    for partner in BilateralPartner.objects.all():
        make_activity(c11, days_ago=10, partners=[partner])
    for organisation in Organisation.objects.all():
        make_activity(c11, days_ago=10, organisations=[organisation])
    response = staff_client.get("/mitt-arbeid/")
    assert response.context["attention"] == []
    assert "Ingen: alle partnere og arenaer har nylig kontakt" in response.text


# The admin: fee and seat rows on the organisation ----------------------------------------


def change_url(organisation) -> str:
    return reverse("admin:partners_organisation_change", args=[organisation.pk])


def change_form(admin_client, organisation, *, fee=None, seat=None) -> dict:
    data = form_data(admin_client.get(change_url(organisation)).text, "organisation_form")
    if fee is not None:
        data |= {"fees-TOTAL_FORMS": "1", "fees-0-organisation": str(organisation.pk)}
        data |= {f"fees-0-{k}": v for k, v in fee.items()}
    if seat is not None:
        data |= {"seats-TOTAL_FORMS": "1", "seats-0-organisation": str(organisation.pk)}
        data |= {f"seats-0-{k}": v for k, v in seat.items()}
    return data


SEAT = {
    "body_nb": "Styret",
    "role": "member",
    "representative": "Eksempel: Eirik Påfunnsen",
    "term_start": "2026-01-01",
    "term_end": "2027-12-31",
}


def test_admin_adds_a_fee_and_a_seat_with_history(admin_client, admin_user, strategy):
    errin = Organisation.objects.get(slug="errin")
    data = change_form(admin_client, errin, fee={"year": "2025", "amount": "12000"}, seat=SEAT)
    response = admin_client.post(change_url(errin), data)
    assert response.status_code == 302
    assert errin.fees.get().amount == 12_000
    seat = errin.seats.get()
    assert seat.history.get().history_user == admin_user


@pytest.mark.parametrize(
    "fee, seat, message",
    [
        (
            {"year": "2025", "amount": "-5"},
            None,
            "Verdien må være større enn eller lik 0.",
        ),
        (None, SEAT | {"term_end": "2025-12-31"}, "En periode kan ikke slutte før den starter."),
        ({"year": "1200", "amount": "5"}, None, "Verdien må være større enn eller lik 1900."),
    ],
)
def test_admin_refuses_bad_fees_and_terms_with_a_422_and_saves_nothing(
    admin_client, strategy, fee, seat, message
):
    errin = Organisation.objects.get(slug="errin")
    data = change_form(admin_client, errin, fee=fee, seat=seat) | {"name_nb": "Endret navn"}
    response = admin_client.post(change_url(errin), data)
    assert response.status_code == 422
    assert message in response.text
    assert not MembershipFee.objects.exists() and not Seat.objects.exists()
    errin.refresh_from_db()
    assert errin.name_nb != "Endret navn"


def test_admin_refuses_a_second_fee_for_the_same_year(admin_client, strategy):
    errin = Organisation.objects.get(slug="errin")
    make_fee(errin, 2025, 1)
    data = change_form(admin_client, errin)
    data |= {
        "fees-TOTAL_FORMS": "2",
        "fees-1-organisation": str(errin.pk),
        "fees-1-year": "2025",
        "fees-1-amount": "2",
    }
    response = admin_client.post(change_url(errin), data)
    assert response.status_code == 422
    assert list(errin.fees.values_list("amount", flat=True)) == [1]


# The API -----------------------------------------------------------------------------------


def test_api_lists_seats_with_public_fields_on_organisation_rows(client, nsc):
    from tests.priorities.test_api import assert_matches_spec

    data = assert_matches_spec(client.get("/api/organisations/"), "/api/organisations/")
    rows = {row["slug"]: row for row in data["results"]}
    seats = rows["cpmr-north-sea-commission"]["seats"]
    assert [(s["body"]["en"], s["current"], s["is_example"]) for s in seats] == [
        ("Board", True, True),
        ("General Assembly", False, False),
    ]
    assert set(seats[0]) == {
        "body",
        "role",
        "representative",
        "deputy",
        "term_start",
        "term_end",
        "current",
        "is_example",
    }
    assert rows["errin"]["seats"] == []


# Query counts: constant whatever the number of seats, fees and activities -----------------


def grow(organisation, partner, count: int, first: int = 0) -> None:
    c11 = get_commitment("1.1")
    Seat.objects.bulk_create(
        Seat(
            organisation=organisation,
            body=f"Organ {i}",
            representative="Eksempel: Astrid Fiktivsen",
            term_start=datetime.date(2000 + i % 20, 1, 1),
            term_end=in_days(i - count // 2),
        )
        for i in range(count)
    )
    MembershipFee.objects.bulk_create(
        MembershipFee(organisation=organisation, year=1400 + i, amount=i)
        for i in range(first, first + count)
    )
    activities = Activity.objects.bulk_create(
        Activity(
            commitment=c11,
            title=f"Møte {i}",
            kind=[Activity.Kind.MEETING, Activity.Kind.POSITION][i % 2],
            start_date=datetime.date(2000 + i % 27, 1 + i % 12, 1),
            is_public=i % 3 != 0,
        )
        for i in range(count)
    )
    Activity.organisations.through.objects.bulk_create(
        Activity.organisations.through(activity=a, organisation=organisation) for a in activities
    )
    Activity.partners.through.objects.bulk_create(
        Activity.partners.through(activity=a, bilateralpartner=partner) for a in activities
    )


@pytest.mark.parametrize(
    "persona, path",
    [
        (None, NSC_PAGE),
        (None, KAUNAS_PAGE),
        ("staff_user", NSC_PAGE),
        ("staff_user", KAUNAS_PAGE),
        ("staff_user", "/mitt-arbeid/"),
    ],
)
def test_page_queries_do_not_grow_from_10_to_500_seats_fees_and_activities(
    client, strategy, django_assert_num_queries, persona, path, request
):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    nsc = Organisation.objects.get(slug="cpmr-north-sea-commission")
    kaunas = BilateralPartner.objects.get(slug="kaunas")
    grow(nsc, kaunas, 10)
    small, first = count_queries(client.get, path)
    grow(nsc, kaunas, 490, first=10)
    with django_assert_num_queries(small):
        response = client.get(path)
    assert response.status_code == 200
    assert response.content != first.content
