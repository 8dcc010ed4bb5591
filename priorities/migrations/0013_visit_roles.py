from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen copy of priorities.roles.VISIT_PERMISSIONS at the time of this migration.
VISIT_PERMISSIONS = {
    "Saksbehandler": ["add_visit", "view_visit", "add_participant", "view_participant"],
    "Redaktør": [
        "add_visit",
        "change_visit",
        "delete_visit",
        "view_visit",
        "add_participant",
        "change_participant",
        "delete_participant",
        "view_participant",
    ],
}
MODELS = ("visit", "participant")


def add_permissions(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in VISIT_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="priorities", codename__in=codenames)
        )


def remove_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="priorities", content_type__model__in=MODELS
    )
    for group in apps.get_model("auth", "Group").objects.filter(name__in=VISIT_PERMISSIONS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("priorities", "0012_visit")]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
