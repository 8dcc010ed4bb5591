"""load_demo adds last year's approved reporting round and this year's half-finished one,
marked as examples."""

import io

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from priorities.models import StatusUpdate
from reporting.models import Entry, Round


def test_load_demo_adds_an_approved_round_and_a_half_finished_one(strategy, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    year = timezone.localdate().year
    assert "example reporting rounds" in out.getvalue()
    assert set(Round.objects.values_list("year", "is_example")) == {(year - 1, True), (year, True)}
    last = Entry.objects.filter(round__year=year - 1)
    assert set(last.values_list("state", flat=True)) == {"approved"}
    now = set(Entry.objects.filter(round__year=year).values_list("state", flat=True))
    assert now == {"draft", "submitted", "returned", "approved"}
    assert not Entry.objects.filter(is_example=False).exists()
    approved = Entry.objects.filter(state="approved")
    assert (
        StatusUpdate.objects.filter(
            is_example=True, pk__in=approved.values("status_update")
        ).count()
        == approved.count()
    )
    for entry in Entry.objects.all():
        entry.full_clean()
    # Last year's round is the yearly report, its introduction marked as an example; this
    # year's is not (its entries are not all approved).
    assert list(Round.objects.report_approved().values_list("year", flat=True)) == [year - 1]
    the_round = Round.objects.get(year=year - 1)
    assert the_round.introduction.startswith("Eksempel:")
    html = Client().get(f"/rapport/{year - 1}/").text
    assert the_round.get_report_url() in html and the_round.get_report_pdf_url() in html
    assert Client().get(the_round.get_report_url()).status_code == 200

    call_command("load_demo", stdout=io.StringIO())
    assert Round.objects.count() == 2
