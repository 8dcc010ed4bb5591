"""The action plan on other apps' pages: a commitment's measures for this year."""

from django import template
from django.utils import timezone

from ..models import Measure

register = template.Library()


@register.inclusion_tag("planning/commitment_measures.html", takes_context=True)
def commitment_measures(context, commitment) -> dict:
    """{% commitment_measures commitment %}: the measures of this year's plan under the
    commitment that the user may see (internal ones for staff), with their state."""
    year = timezone.localdate().year
    measures = (
        Measure.objects.visible_to(context["user"])
        .filter(commitment=commitment, year=year)
        .with_state()
        .select_related("commitment__priority")  # each measure's link names its plan
        .order_by("deadline", "pk")
    )
    return {"measures": list(measures), "year": year, "commitment": commitment}
