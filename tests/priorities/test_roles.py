from django.contrib.auth.models import Group

from priorities.roles import ROLE_PERMISSIONS, ensure_roles


def test_the_migration_creates_the_roles_with_their_permissions(db):
    for name, codenames in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=name)
        assert sorted(group.permissions.values_list("codename", flat=True)) == sorted(codenames)


def test_ensure_roles_recreates_missing_groups(db):
    Group.objects.all().delete()
    ensure_roles()
    test_the_migration_creates_the_roles_with_their_permissions(db)
