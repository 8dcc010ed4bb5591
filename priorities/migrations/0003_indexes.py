from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models

SEARCH_INDEX = "activity_search"

# Frozen copy of priorities.search.search_vector(): PostgreSQL uses the index only for a
# query on exactly this expression (tests/test_indexes.py checks that they are equal).
SEARCH_CONFIG = "norwegian"
SEARCH_FIELDS = (("title", "A"), ("place", "B"), ("description", "C"), ("outcome", "C"))


def search_vector():
    vector = None
    for name, weight in SEARCH_FIELDS:
        part = SearchVector(name, weight=weight, config=SEARCH_CONFIG)
        vector = part if vector is None else vector + part
    return vector


def search_index():
    return GinIndex(search_vector(), name=SEARCH_INDEX)


# Full-text search is PostgreSQL's (SQLite searches with LIKE), so is its index. It is not
# part of the model state, which holds only what every database has.
def add_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("priorities", "Activity"), search_index())


def remove_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("priorities", "Activity"), search_index())


class Migration(migrations.Migration):
    dependencies = [("priorities", "0002_roles")]

    operations = [
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(
                fields=["commitment", "-start_date"], name="activity_commitment_date"
            ),
        ),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(fields=["kind", "-start_date"], name="activity_kind_date"),
        ),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(fields=["is_public", "-created_at"], name="activity_public_created"),
        ),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(
                fields=["created_by", "-created_at"], name="activity_author_created"
            ),
        ),
        migrations.AddIndex(
            model_name="statusupdate",
            index=models.Index(fields=["commitment", "-created_at"], name="statusupdate_latest"),
        ),
        migrations.RunPython(add_search_index, remove_search_index, elidable=False),
    ]
