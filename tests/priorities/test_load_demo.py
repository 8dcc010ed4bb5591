import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from priorities.models import Activity, Commitment, StatusUpdate


def test_load_demo_refuses_without_debug(strategy, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs with DEBUG=1"):
        call_command("load_demo", stdout=io.StringIO())
    assert not Activity.objects.exists()
    assert not User.objects.exists()


def test_load_demo_adds_marked_examples_and_demo_users(strategy, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)

    activities = Activity.objects.all()
    assert activities.count() == 80
    assert not activities.filter(is_example=False).exists()
    assert activities.filter(is_public=False).exists()
    assert activities.public().exists()
    assert {a.start_date.year for a in activities} >= set(range(2020, 2027))
    assert activities.values("commitment").distinct().count() == 10
    assert Activity.partners.through.objects.values("bilateralpartner").distinct().count() == 4
    assert StatusUpdate.objects.filter(is_example=True).count() >= 10

    logins = out.getvalue()
    for username in ("saksbehandler", "redaktor", "admin"):
        assert username in logins
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="redaktor").groups.filter(name="Redaktør").exists()
    assert User.objects.get(username="saksbehandler").groups.filter(name="Saksbehandler").exists()


def test_load_demo_twice_adds_nothing_more(strategy, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    assert Activity.objects.count() == 80
    assert User.objects.count() == 4


def test_demo_assessments_match_their_status(strategy, settings):
    from priorities.management.commands.load_demo import STATUS_STORY

    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    texts = dict(STATUS_STORY)
    for update in StatusUpdate.objects.all():
        assert update.assessment == texts[update.status]
    current = {c.current_status_value for c in Commitment.objects.with_status()}
    assert len(current) >= 3


def test_load_demo_adds_example_seats_and_fees_once(strategy, settings):
    from partners.models import MembershipFee, Organisation, Seat

    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    seats, fees = Seat.objects.all(), MembershipFee.objects.all()
    assert seats.count() == 4 and fees.exists()
    assert not seats.filter(is_example=False).exists()
    assert not fees.filter(is_example=False).exists()
    # Fictional people only, visibly so; current and former seats, one ending soon.
    assert all(s.representative.startswith("Eksempel: ") for s in seats)
    assert Seat.objects.former().exists() and Seat.objects.current().exists()
    assert Seat.objects.ending_within(90).exists()
    nsc = Organisation.objects.get(slug="cpmr-north-sea-commission")
    assert nsc.fees.count() >= 6
    # The scorecard's kinds are among the example activities.
    assert Activity.objects.filter(kind__in=["position", "consultation_response"]).exists()
