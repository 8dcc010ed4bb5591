"""Plain helpers shared by the action plan's tests."""

from django.utils import timezone

from planning.models import Measure, MeasureStateChange
from tests.priorities.workspace_helpers import HX, url  # noqa: F401

YEAR = timezone.localdate().year


def measure_data(commitment_, **overrides) -> dict:
    """A valid POST for the measure form."""
    data = {
        "commitment": commitment_.pk,
        "title": "Søknadsverksted for Interreg",
        "description": "To samlinger for kommunene.",
        "responsible_unit": "Regional utvikling",
        "responsible": "",
        "deadline": f"{YEAR}-09-30",
        "cost_nok": "60000",
        "person_weeks": "2.5",
        "is_public": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def edit_data(measure: Measure, **overrides) -> dict:
    data = measure_data(
        measure.commitment,
        title=measure.title,
        description=measure.description,
        responsible_unit=measure.responsible_unit,
        responsible=measure.responsible_id or "",
        deadline=measure.deadline.isoformat() if measure.deadline else "",
        cost_nok="" if measure.cost_nok is None else str(measure.cost_nok),
        person_weeks="" if measure.person_weeks is None else str(measure.person_weeks),
        is_public="on" if measure.is_public else None,
        version=measure.updated_at.isoformat(),
    )
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def state_data(**overrides) -> dict:
    data = {"state": "in_progress", "changed_on": timezone.localdate().isoformat(),
            "comment": "Godt i gang."}  # fmt: skip
    data.update(overrides)
    return data


def snapshot() -> tuple:
    """Everything the plan's forms can write, to check that nothing was saved."""
    return (
        list(Measure.objects.order_by("pk").values_list()),
        list(MeasureStateChange.objects.order_by("pk").values_list()),
        Measure.history.count(),
    )
