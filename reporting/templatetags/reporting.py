"""Reporting rounds on other apps' pages: the link from the staff's "My work"."""

from django import template

from priorities.models import Strategy

from ..models import Round

register = template.Library()


@register.inclusion_tag("reporting/my_work_link.html", takes_context=True)
def reporting_rounds_link(context) -> dict:
    """{% reporting_rounds_link %}: a link to the current strategy's reporting rounds, for
    those who take part in them (Round.can_take_part), with the latest round."""
    if not Round.can_take_part(context["user"]):
        return {"show": False}
    latest = Round.objects.filter(strategy=Strategy.objects.current()).first()
    return {"show": True, "latest": latest}
