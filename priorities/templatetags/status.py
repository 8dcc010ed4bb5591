"""A commitment's status as a badge: `{% load status %}{% status_badge value %}`."""

from django import template
from django.utils.translation import gettext_lazy as _

from priorities.models import Status

register = template.Library()


@register.inclusion_tag("includes/status_badge.html")
def status_badge(value: str | None) -> dict:
    """A commitment status as text label plus icon; colour only reinforces (WCAG 1.4.1)."""
    if value not in Status.values:
        return {"status": "none", "label": _("No status yet")}
    return {"status": value, "label": Status(value).label}
