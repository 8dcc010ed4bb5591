from django.core.checks import Tags, Warning, register
from django.db import DatabaseError

from .models import PortalOwner


@register(Tags.database, deploy=True)
def check_portal_owner(app_configs=None, databases=None, **kwargs) -> list:
    """Warn while the portal has no owner or no feedback contact: pages would show neither.

    Tagged `database`, as Django's own checks that read the database: it runs only when asked
    for, `manage.py check --deploy --database default` (README, "Deploying").
    """
    if not databases or "default" not in databases:
        return []
    try:
        owner = PortalOwner.objects.get_owner()
    except DatabaseError as error:
        return [
            Warning(
                f"The portal owner could not be read ({error}).",
                hint="Run `manage.py migrate` first.",
                id="counties.W001",
            )
        ]
    if owner is None:
        return [
            Warning(
                "No portal owner is set: pages show no county name and the accessibility "
                "statement has no contact for feedback.",
                hint="Add the portal owner in the admin (Counties > Portal owner).",
                id="counties.W001",
            )
        ]
    problems = []
    if not owner.has_contact:
        problems.append(
            Warning(
                "The accessibility statement has no contact: no e-mail and no feedback channel.",
                hint="Set them in the admin (Counties > Portal owner).",
                id="counties.W002",
            )
        )
    if owner.statement_date is None:
        problems.append(
            Warning(
                "The accessibility statement has no date.",
                hint="Set it in the admin (Counties > Portal owner).",
                id="counties.W003",
            )
        )
    return problems
