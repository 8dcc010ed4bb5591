"""load_demo adds this year's action plan, invented and marked as examples."""

import io

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from planning.models import Measure, MeasureStateChange


def test_load_demo_adds_this_years_plan_marked_as_examples(strategy, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    year = timezone.localdate().year
    measures = Measure.objects.with_state()
    assert "example measures to the action plan" in out.getvalue()
    assert measures.count() >= 10
    assert {m.year for m in measures} == {year}
    assert not measures.filter(is_example=False).exists()
    assert not MeasureStateChange.objects.filter(is_example=False).exists()
    assert measures.values("commitment").distinct().count() == 10
    assert measures.filter(is_public=False).exists()
    assert len({m.current_state for m in measures}) == 5  # every state, each with its story
    assert all(m.responsible and m.deadline.year == year for m in measures)
    for measure in measures:
        measure.full_clean()

    html = Client().get("/handlingsplan/").text
    assert html.count('badge--example">Eksempel') == measures.public().count()
    assert "Demonstrasjon: eksempeldata" in html

    call_command("load_demo", stdout=io.StringIO())
    assert Measure.objects.count() == measures.count()
