from django.contrib.auth.models import Group

from priorities.roles import (
    PLAN_PERMISSIONS,
    PROJECT_PERMISSIONS,
    REPORTING_PERMISSIONS,
    ROLE_PERMISSIONS,
    ensure_roles,
)


def test_the_migration_creates_the_roles_with_their_permissions(db):
    for name, codenames in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=name)
        permissions = group.permissions.values_list("content_type__app_label", "codename")
        expected = [("priorities", c) for c in codenames]
        expected += [("planning", c) for c in PLAN_PERMISSIONS[name]]
        expected += [("reporting", c) for c in REPORTING_PERMISSIONS[name]]
        expected += [("projects", c) for c in PROJECT_PERMISSIONS[name]]
        assert sorted(permissions) == sorted(expected)


def test_ensure_roles_recreates_missing_groups(db):
    Group.objects.all().delete()
    ensure_roles()
    test_the_migration_creates_the_roles_with_their_permissions(db)
