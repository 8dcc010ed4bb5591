"""Seats, the scorecard and relationship health in a real Chromium: the organisation and partner
pages for the public and for staff (with the flags), and "My work"'s list of relations needing
attention pass axe-core at desktop and phone width in bokmål, nynorsk and English."""

import datetime

import pytest
from django.utils import timezone

from partners.models import BilateralPartner, Organisation, Seat
from priorities.models import Activity
from priorities.roles import STAFF_GROUP
from tests.conftest import layout_problems
from tests.factories import get_commitment, make_activity, make_fee, make_seat, make_user
from tests.test_browser_staff import real_errors, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("roles_from_the_migration"),
]


@pytest.mark.parametrize("prefix, lang", [("", "nb"), ("/nn", "nn"), ("/en", "en")])
def test_seats_scorecard_and_health_pass_axe(
    live_server, page, console_errors, strategy, prefix, lang
):
    today = timezone.localdate()
    nsc = Organisation.objects.get(slug="cpmr-north-sea-commission")
    kaunas = BilateralPartner.objects.get(slug="kaunas")
    kaunas.agreement_expires = today + datetime.timedelta(days=40)
    kaunas.save()
    make_seat(nsc, body_en="General Assembly", term_start=datetime.date(2020, 1, 1),
              term_end=datetime.date(2023, 12, 31))  # fmt: skip
    make_seat(nsc, body="Styret", body_en="Board", role=Seat.Role.VICE_CHAIR, deputy="",
              term_start=datetime.date(2024, 1, 1), term_end=today + datetime.timedelta(days=30),
              is_example=True)  # fmt: skip
    for year in (2023, 2024, 2025):
        make_fee(nsc, year, 90_000 + year, note="Eksempel: oppdiktet beløp", is_example=True)
    c11 = get_commitment("1.1")
    for i, kind in enumerate([Activity.Kind.MEETING, Activity.Kind.POSITION,
                              Activity.Kind.CONSULTATION_RESPONSE]):  # fmt: skip
        make_activity(c11, kind=kind, start_date=datetime.date(2023 + i, 3, 1),
                      organisations=[nsc], partners=[kaunas])  # fmt: skip
    make_activity(c11, start_date=datetime.date(2025, 5, 1), is_public=False, partners=[kaunas])
    staff = make_user("adviser", STAFF_GROUP)
    pages = [
        f"{prefix}/partnere/organisasjoner/cpmr-north-sea-commission/",
        f"{prefix}/partnere/kaunas/",
    ]

    problems = {}

    def check(what: str) -> None:
        assert page.locator("html").get_attribute("lang") == lang, what
        assert page.locator("h1").count() == 1, what
        for width, problem in layout_problems(page).items():
            problems[(what, width)] = problem

    for path in pages:
        page.goto(live_server.url + path)
        check(f"{path}, anonymous")
    sign_in(page, live_server, staff.username, f"{prefix}/mitt-arbeid/")
    assert page.locator("#attention-heading").count() == 1
    check("my work")
    for path in pages:
        page.goto(live_server.url + path)
        assert page.locator(".message--attention").count() == 1, path
        check(f"{path}, staff")
    assert real_errors(console_errors) == []
    assert problems == {}
