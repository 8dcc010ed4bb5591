"""Seats, membership fees, the scorecard and relationship health: the rules on the partners'
QuerySets and models, each tested with a fixed `today`."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from partners.models import (
    BilateralPartner,
    MembershipFee,
    Organisation,
    Seat,
    activities_per_year,
    months_before,
)
from priorities.models import Activity
from tests.factories import get_commitment, make_activity, make_fee, make_project, make_seat

TODAY = datetime.date(2026, 6, 30)


@pytest.fixture
def nsc(strategy):
    return Organisation.objects.get(slug="cpmr-north-sea-commission")


@pytest.fixture
def kaunas(strategy):
    return BilateralPartner.objects.get(slug="kaunas")


def day(days: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=days)


# Seats -----------------------------------------------------------------------------------


def test_current_and_former_seats_split_at_today(nsc):
    ended = make_seat(nsc, body="Ended", term_start=day(-900), term_end=day(-1))
    last_day = make_seat(nsc, body="Last day", term_start=day(-900), term_end=TODAY)
    open_ended = make_seat(nsc, body="Open", term_start=day(-10), term_end=None)
    upcoming = make_seat(nsc, body="Upcoming", term_start=day(10), term_end=day(400))
    assert set(Seat.objects.former(TODAY)) == {ended}
    assert set(Seat.objects.current(TODAY)) == {last_day, open_ended, upcoming}


def test_seats_ending_within_days_from_today_inclusive(nsc):
    seats = {
        d: make_seat(nsc, body=f"d{d}", term_start=day(-900), term_end=day(d))
        for d in (-1, 0, 90, 91)
    }
    make_seat(nsc, body="open", term_start=day(-900), term_end=None)
    assert set(Seat.objects.ending_within(90, TODAY)) == {seats[0], seats[90]}


def test_with_state_marks_current_and_ending_soon(nsc):
    make_seat(nsc, body="ends soon", term_start=day(-900), term_end=day(30))
    make_seat(nsc, body="ended", term_start=day(-900), term_end=day(-30))
    make_seat(nsc, body="later", term_start=day(-900), term_end=day(300))
    states = {s.body: (s.is_current, s.ends_soon) for s in Seat.objects.with_state(TODAY)}
    assert states == {
        "ends soon": (True, True),
        "ended": (False, False),
        "later": (True, False),
    }


def test_a_term_that_ends_before_it_starts_is_refused(nsc):
    seat = Seat(
        organisation=nsc,
        body="Styret",
        representative="Eksempel: Astrid Fiktivsen",
        term_start=TODAY,
        term_end=day(-1),
    )
    with pytest.raises(ValidationError, match="En periode kan ikke slutte før den starter"):
        seat.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        seat.save()
    assert not Seat.objects.exists()


# Fees ------------------------------------------------------------------------------------


def test_a_negative_fee_is_refused(nsc):
    fee = MembershipFee(organisation=nsc, year=2025, amount=-1)
    with pytest.raises(ValidationError) as refused:
        fee.full_clean()
    assert "amount" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        fee.save()
    assert not MembershipFee.objects.exists()


def test_one_fee_per_organisation_and_year(nsc):
    make_fee(nsc, 2025)
    second = MembershipFee(organisation=nsc, year=2025, amount=1)
    with pytest.raises(ValidationError, match="har allerede en kontingent for det året"):
        second.full_clean()
    other = Organisation.objects.get(slug="errin")
    MembershipFee(organisation=other, year=2025, amount=1).full_clean()  # another's is fine


def test_seats_and_fees_keep_their_history(nsc):
    seat = make_seat(nsc)
    seat.representative = "Eksempel: Camilla Tenktsdatter"
    seat.save()
    fee = make_fee(nsc, 2025)
    fee.amount = 100_000
    fee.save()
    assert [h.representative for h in seat.history.order_by("history_date")] == [
        "Eksempel: Astrid Fiktivsen",
        "Eksempel: Camilla Tenktsdatter",
    ]
    assert fee.history.count() == 2
    # Every language's body is recorded (history registered after the translation fields).
    assert hasattr(seat.history.first(), "body_en")


# The scorecard ---------------------------------------------------------------------------


@pytest.fixture
def scored(nsc, staff_user):
    c11 = get_commitment("1.1")
    kinds = Activity.Kind

    def log(kind, date, *, public=True, organisation=nsc):
        make_activity(
            c11, kind=kind, start_date=date, is_public=public, organisations=[organisation]
        )

    log(kinds.MEETING, datetime.date(2025, 3, 1))
    log(kinds.CONFERENCE, datetime.date(2025, 5, 1))
    log(kinds.NETWORK_WORK, datetime.date(2025, 6, 1), public=False)
    log(kinds.POSITION, datetime.date(2025, 7, 1))
    log(kinds.CONSULTATION_RESPONSE, datetime.date(2025, 8, 1), public=False)
    log(kinds.CONSULTATION_RESPONSE, datetime.date(2024, 8, 1))
    log(kinds.PUBLICATION, datetime.date(2023, 8, 1))  # not on the scorecard
    log(
        kinds.MEETING,
        datetime.date(2025, 9, 1),
        organisation=Organisation.objects.get(slug="errin"),
    )
    make_fee(nsc, 2024, 90_000)
    make_fee(nsc, 2025, 95_000, note="Vedtatt på generalforsamlingen")
    # The project register: granted projects that name it count in the year of the grant.
    errin = Organisation.objects.get(slug="errin")
    granted = datetime.date(2025, 3, 1)
    make_project(acronym="TELLES", decided_on=granted).organisations.add(nsc)
    make_project(acronym="INTERN", decided_on=granted, is_public=False).organisations.add(nsc)
    make_project(acronym="AVSLATT", state="rejected", decided_on=granted).organisations.add(nsc)
    make_project(acronym="ANNEN", decided_on=granted).organisations.add(errin)
    make_project(
        acronym="ELDRE", state="closed", decided_on=datetime.date(2022, 5, 1)
    ).organisations.add(nsc)
    return nsc


def card(rows) -> dict:
    return {
        r.year: (
            r.fee.amount if r.fee else None,
            r.meetings,
            r.positions,
            r.consultation_responses,
            r.projects,
        )
        for r in rows
    }


def test_scorecard_for_anonymous_visitors_counts_public_activities_only(scored):
    rows = scored.scorecard(None, today=TODAY)
    assert [r.year for r in rows] == [2026, 2025, 2024, 2022]  # newest first; this year too
    assert card(rows) == {
        2026: (None, 0, 0, 0, 0),
        2025: (95_000, 2, 1, 0, 1),
        2024: (90_000, 0, 0, 1, 0),
        2022: (None, 0, 0, 0, 1),
    }


def test_scorecard_for_staff_counts_internal_activities_too(scored, staff_user):
    assert card(scored.scorecard(staff_user, today=TODAY))[2025] == (95_000, 3, 1, 1, 2)


def test_scorecard_for_given_years(scored, staff_user):
    rows = scored.scorecard(staff_user, years=[2025, 2023], today=TODAY)
    assert card(rows) == {2025: (95_000, 3, 1, 1, 2), 2023: (None, 0, 0, 0, 0)}


def test_projects_granted_per_year_come_from_the_project_register(scored, staff_user):
    """Granted (granted, running, closed) projects naming the organisation, in the year of the
    grant; rejected ones and other organisations' don't count; internal ones for staff only."""
    assert scored.granted_projects_per_year(None) == {2025: 1, 2022: 1}
    assert scored.granted_projects_per_year(staff_user) == {2025: 2, 2022: 1}
    assert scored.granted_projects_per_year(staff_user, years=[2022]) == {2022: 1}


# Relationship health ---------------------------------------------------------------------


def test_months_before_keeps_the_day_or_takes_the_months_last():
    assert months_before(TODAY, 12) == datetime.date(2025, 6, 30)
    assert months_before(datetime.date(2024, 2, 29), 12) == datetime.date(2023, 2, 28)
    assert months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)


def health(model, slug, user=None):
    return model.objects.with_health(user, today=TODAY).get(slug=slug)


def test_last_contact_is_the_latest_visible_activity_up_to_today(kaunas, staff_user):
    c11 = get_commitment("1.1")
    make_activity(c11, start_date=day(-200), partners=[kaunas])
    make_activity(c11, start_date=day(-20), partners=[kaunas], is_public=False)
    make_activity(c11, start_date=day(30), partners=[kaunas])  # planned: not contact yet
    assert health(BilateralPartner, "kaunas").last_contact == day(-200)
    assert health(BilateralPartner, "kaunas", staff_user).last_contact == day(-20)


def test_a_relation_is_quiet_after_twelve_months_without_activity(kaunas, nsc, staff_user):
    c11 = get_commitment("1.1")
    make_activity(c11, start_date=datetime.date(2025, 7, 1), partners=[kaunas])  # within
    make_activity(c11, start_date=datetime.date(2025, 6, 30), organisations=[nsc])  # 12 months
    assert health(BilateralPartner, "kaunas", staff_user).is_quiet is False
    assert health(Organisation, nsc.slug, staff_user).is_quiet is True
    # Never any activity: quiet.
    assert health(BilateralPartner, "hubei", staff_user).is_quiet is True
    assert health(BilateralPartner, "hubei", staff_user).last_contact is None


def test_an_agreement_ending_within_90_days_needs_attention(kaunas):
    kaunas.agreement_expires = day(90)
    kaunas.save()
    assert health(BilateralPartner, "kaunas").ends_soon is True
    kaunas.agreement_expires = day(91)
    kaunas.save()
    assert health(BilateralPartner, "kaunas").ends_soon is False


def test_a_seat_ending_within_90_days_needs_attention(nsc):
    make_seat(nsc, term_start=day(-900), term_end=day(-1))  # already ended: not flagged
    assert health(Organisation, nsc.slug).ends_soon is False
    make_seat(nsc, term_start=day(-900), term_end=day(90))
    assert health(Organisation, nsc.slug).ends_soon is True


def test_needing_attention_lists_active_quiet_or_ending_relations(kaunas, nsc, staff_user):
    c11 = get_commitment("1.1")
    for partner in BilateralPartner.objects.all():
        make_activity(c11, start_date=day(-10), partners=[partner])
    for organisation in Organisation.objects.all():
        make_activity(c11, start_date=day(-10), organisations=[organisation])
    assert not BilateralPartner.objects.needing_attention(staff_user, today=TODAY).exists()
    assert not Organisation.objects.needing_attention(staff_user, today=TODAY).exists()

    kaunas.agreement_expires = day(5)
    kaunas.save()
    make_seat(nsc, term_start=day(-900), term_end=day(5))
    hubei = BilateralPartner.objects.get(slug="hubei")
    hubei.activities.update(start_date=day(-400))
    assert set(BilateralPartner.objects.needing_attention(staff_user, today=TODAY)) == {
        kaunas,
        hubei,
    }
    assert set(Organisation.objects.needing_attention(staff_user, today=TODAY)) == {nsc}
    hubei.active = False
    hubei.save()
    assert set(BilateralPartner.objects.needing_attention(staff_user, today=TODAY)) == {kaunas}


def test_activities_per_year_fill_the_gaps_and_honour_visibility(kaunas, staff_user):
    c11 = get_commitment("1.1")
    make_activity(c11, start_date=datetime.date(2022, 5, 1), partners=[kaunas])
    make_activity(c11, start_date=datetime.date(2025, 5, 1), partners=[kaunas])
    make_activity(c11, start_date=datetime.date(2025, 6, 1), partners=[kaunas], is_public=False)
    assert activities_per_year(kaunas, None) == [
        {"year": 2025, "count": 1},
        {"year": 2024, "count": 0},
        {"year": 2023, "count": 0},
        {"year": 2022, "count": 1},
    ]
    assert activities_per_year(kaunas, staff_user)[0] == {"year": 2025, "count": 2}
    assert activities_per_year(BilateralPartner.objects.get(slug="hubei"), None) == []
