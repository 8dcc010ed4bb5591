"""A commitment's status as a badge: `{% load status %}{% status_badge value %}`."""

from django import template
from django.utils.translation import gettext_lazy as _

from priorities.models import Status

register = template.Library()


@register.inclusion_tag("includes/status_badge.html")
def status_badge(value: str | None, is_example: bool = False) -> dict:
    """A commitment status as text label plus icon; colour only reinforces (WCAG 1.4.1).

    `is_example`: the status update is invented demo content (StatusUpdate.is_example, or
    current_status_is_example from CommitmentQuerySet.with_status()), marked "Example".
    """
    if value not in Status.values:
        return {"status": "none", "label": _("No status yet"), "is_example": False}
    return {"status": value, "label": Status(value).label, "is_example": bool(is_example)}
