"""Plain helpers shared by the staff workspace tests (tests/priorities/test_workspace_*.py).

Test data comes from tests/factories.py; get_commitment and make_owner are imported here for
the tests that import them from this module.
"""

import functools

from django.urls import reverse
from django.utils import translation

from priorities.models import Activity
from tests import factories
from tests.factories import get_commitment, make_owner  # noqa: F401

# What htmx sends with every request it makes.
HX = {"HTTP_HX_REQUEST": "true"}


def url(name: str, *args) -> str:
    """The bokmål (unprefixed) path, whatever language the last request left active."""
    with translation.override("nb"):
        return reverse(name, args=args)


def page(obj) -> str:
    """An object's bokmål page."""
    with translation.override("nb"):
        return obj.get_absolute_url()


# The workspace tests' activities have a title of their own.
make_activity = functools.partial(factories.make_activity, title="Møte i Nordsjøkommisjonen")


def activity_data(**overrides) -> dict:
    """A valid POST for the activity form."""
    data = {
        "title": "Generalforsamling i CPMR",
        "kind": "conference",
        "start_date": "2025-06-12",
        "end_date": "2025-06-13",
        "place": "Stavanger",
        "country": "no",
        "description": "Innlegg om grønn skipsfart.",
        "outcome": "Nye kontakter.",
        "url": "https://example.org/cpmr",
        "is_public": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def edit_data(activity: Activity, **overrides) -> dict:
    """A valid POST for editing `activity`, as the form would send it unchanged."""
    data = activity_data(
        title=activity.title,
        kind=activity.kind,
        start_date=activity.start_date.isoformat(),
        end_date=activity.end_date.isoformat() if activity.end_date else "",
        place=activity.place,
        country=activity.country,
        description=activity.description,
        outcome=activity.outcome,
        url=activity.url,
        county=activity.county_id or "",
        version=activity.updated_at.isoformat(),
    )
    if not activity.is_public:
        data.pop("is_public")
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
