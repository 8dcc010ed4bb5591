from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen copy of priorities.roles.PROJECT_PERMISSIONS at the time of this migration.
PROJECT_PERMISSIONS = {
    "Saksbehandler": ["add_project", "change_project", "view_project"],
    "Redaktør": ["add_project", "change_project", "view_project"],
}


def add_permissions(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in PROJECT_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="projects", codename__in=codenames)
        )


def remove_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=PROJECT_PERMISSIONS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="projects"))


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0001_initial"),
        ("priorities", "0002_roles"),
    ]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
