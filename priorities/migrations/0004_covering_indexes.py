from django.db import migrations, models

# On PostgreSQL two of the activity indexes also carry (INCLUDE) the columns that counts and
# groupings by year, commitment and kind read, so those are index-only scans: the yearly
# report, the commitment page's partners and years, the priority page's chart. Same names and
# key columns as in the model state; SQLite has no INCLUDE, so there they stay as they are.
PLAIN = [
    models.Index(fields=["is_public", "-start_date"], name="activity_public_date"),
    models.Index(fields=["commitment", "is_public", "-start_date"], name="activity_commitment"),
]
COVERING = [
    models.Index(
        fields=["is_public", "-start_date"],
        include=["commitment", "kind", "id"],
        name="activity_public_date",
    ),
    models.Index(
        fields=["commitment", "is_public", "-start_date"],
        include=["id"],
        name="activity_commitment",
    ),
]


def replace(old, new):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = apps.get_model("priorities", "Activity")
        for before, after in zip(old, new, strict=True):
            schema_editor.remove_index(model, before)
            schema_editor.add_index(model, after)

    return run


class Migration(migrations.Migration):
    dependencies = [("priorities", "0003_indexes")]

    operations = [
        migrations.RunPython(replace(PLAIN, COVERING), replace(COVERING, PLAIN), elidable=False),
    ]
