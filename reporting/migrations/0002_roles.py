from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen copy of priorities.roles.REPORTING_PERMISSIONS at the time of this migration.
REPORTING_PERMISSIONS = {
    "Saksbehandler": ["view_round", "view_entry"],
    "Redaktør": ["add_round", "change_round", "view_round", "change_entry", "view_entry"],
}


def add_permissions(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in REPORTING_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="reporting", codename__in=codenames)
        )


def remove_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=REPORTING_PERMISSIONS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="reporting"))


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_initial"),
        ("priorities", "0002_roles"),
    ]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
