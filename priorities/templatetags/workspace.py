"""Permission checks for the staff controls in templates: the model methods, as filters.

has_perm() caches a user's permissions on the user object, so a list of activities costs no
query per row.
"""

from django import template
from django.core.exceptions import NON_FIELD_ERRORS

register = template.Library()


@register.filter
def editable_by(activity, user) -> bool:
    """{% if activity|editable_by:user %}: the author (staff) or an editor."""
    return bool(user) and activity.can_edit(user)


@register.filter
def status_settable_by(commitment, user) -> bool:
    """{% if commitment|status_settable_by:user %}: an editor or one of the owners."""
    return bool(user) and commitment.can_set_status(user)


@register.filter
def only_form_errors(form) -> bool:
    """True when a form has errors but none on a field (a conflict, a wrong password):
    then the error summary takes the focus instead of a field."""
    return bool(form.errors) and set(form.errors) == {NON_FIELD_ERRORS}


@register.filter
def cost_visible_to(visit, user) -> bool:
    """{% if visit|cost_visible_to:user %}: Visit.cost_visible_to(), the one rule for costs."""
    return visit.cost_visible_to(user)
