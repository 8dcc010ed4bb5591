"""The portal's two roles, as Django groups created by migration 0002_roles.

Staff log activities and edit their own (Activity.can_edit); editors edit any and set status,
and make the yearly action plan (planning.models.Measure.can_plan).
Admin rights (is_staff, for /admin/) are separate from both.
"""

from django.contrib.auth.models import Group, Permission

STAFF_GROUP = "Saksbehandler"
EDITOR_GROUP = "Redaktør"

# A visit is part of its activity and follows the activity's rights (migration 0012).
VISIT_PERMISSIONS = {
    STAFF_GROUP: ["add_visit", "view_visit", "add_participant", "view_participant"],
    EDITOR_GROUP: [
        f"{action}_{model}"
        for model in ("visit", "participant")
        for action in ("add", "change", "delete", "view")
    ],
}

# The same as migrations 0002_roles and 0013_visit_roles, which keep their own frozen copies.
ROLE_PERMISSIONS = {
    STAFF_GROUP: ["add_activity", "view_activity", *VISIT_PERMISSIONS[STAFF_GROUP]],
    EDITOR_GROUP: [
        "add_activity",
        "change_activity",
        "delete_activity",
        "view_activity",
        "add_statusupdate",
        "view_statusupdate",
        *VISIT_PERMISSIONS[EDITOR_GROUP],
    ],
}


# The yearly action plan's (app "planning", migration 0002_roles there): editors plan, staff
# see internal measures. Named by app label: this module imports no app above priorities.
PLAN_PERMISSIONS = {
    STAFF_GROUP: ["view_measure", "view_measurestatechange"],
    EDITOR_GROUP: [
        "add_measure",
        "change_measure",
        "view_measure",
        "add_measurestatechange",
        "view_measurestatechange",
    ],
}


# Reporting rounds' (app "reporting", migration 0002_roles there): editors open rounds and
# review entries; staff read them; owners write their commitments' entries
# (reporting.models.Entry.can_write).
REPORTING_PERMISSIONS = {
    STAFF_GROUP: ["view_round", "view_entry"],
    EDITOR_GROUP: ["add_round", "change_round", "view_round", "change_entry", "view_entry"],
}


# The project register's (app "projects", migration 0002_roles there): staff and editors
# register and update projects (projects.models.Project.can_register); admins delete them.
PROJECT_PERMISSIONS = {
    STAFF_GROUP: ["add_project", "change_project", "view_project"],
    EDITOR_GROUP: ["add_project", "change_project", "view_project"],
}


def ensure_roles() -> None:
    """Create the groups with their permissions if they are missing (e.g. after a flush)."""
    for name, codenames in ROLE_PERMISSIONS.items():
        group, created = Group.objects.get_or_create(name=name)
        if created:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="priorities", codename__in=codenames
                ),
                *Permission.objects.filter(
                    content_type__app_label="planning", codename__in=PLAN_PERMISSIONS[name]
                ),
                *Permission.objects.filter(
                    content_type__app_label="reporting",
                    codename__in=REPORTING_PERMISSIONS[name],
                ),
                *Permission.objects.filter(
                    content_type__app_label="projects", codename__in=PROJECT_PERMISSIONS[name]
                ),
            )
