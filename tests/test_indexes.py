"""The full-text search index (priorities/migrations/0003_indexes.py) and the search agree.

PostgreSQL uses an expression index only for a query on exactly the same expression, so the
migration's frozen copy must stay equal to priorities.search.search_vector().
"""

import importlib

import pytest
from django.db import connection
from django.db.models import Count

from priorities.models import Activity
from priorities.search import full_text, search_vector

migration = importlib.import_module("priorities.migrations.0003_indexes")


def test_search_index_is_on_exactly_the_expression_the_search_queries():
    assert migration.search_vector() == search_vector()


def activity_indexes() -> dict:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, Activity._meta.db_table)


@pytest.mark.django_db
def test_the_full_text_index_is_there_on_postgresql_only(strategy):
    # SQLite searches with LIKE (priorities/search.py): no full-text index to keep.
    assert (migration.SEARCH_INDEX in activity_indexes()) is (connection.vendor == "postgresql")


@pytest.mark.postgresql
@pytest.mark.django_db
def test_full_text_search_uses_the_gin_index_where_there_is_one(strategy):
    assert activity_indexes()[migration.SEARCH_INDEX]["type"] == "gin"
    with connection.cursor() as cursor:
        # A test database is too small for the planner to choose an index on its own. Leave it
        # only bitmap scans, which need an index condition ...
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
    # ... and only the full-text filter, so the GIN index is the one index that can serve it:
    # with is_public too, the planner picked activity_public_date on a tiny table (it did in
    # CI). What this shows is that the index matches the expression the search generates.
    plan = full_text(Activity.objects.all(), "Kaunas").explain()
    assert f"Bitmap Index Scan on {migration.SEARCH_INDEX}" in plan


@pytest.mark.django_db
def test_activity_indexes_lead_with_the_columns_the_counts_filter_on(strategy):
    indexes = activity_indexes()
    assert indexes["activity_public_date"]["columns"][:2] == ["is_public", "start_date"]
    assert indexes["activity_commitment"]["columns"][:3] == [
        "commitment_id",
        "is_public",
        "start_date",
    ]


@pytest.mark.postgresql
@pytest.mark.django_db
def test_activity_indexes_cover_the_report_and_commitment_counts_on_postgresql(strategy):
    # SQLite has no INCLUDE: there the indexes stay as the model declares them (test above).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)",
            [["activity_public_date", "activity_commitment"]],
        )
        definitions = dict(cursor.fetchall())
        # A test database is too small for the planner to choose an index on its own.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
    assert definitions["activity_public_date"].endswith("INCLUDE (commitment_id, kind, id)")
    assert definitions["activity_commitment"].endswith("INCLUDE (id)")
    year_counts = (
        Activity.objects.public()
        .filter(start_date__year=2024)
        .values("commitment_id", "kind")
        .annotate(n=Count("*"))
        .order_by()
    )
    assert "Index Only Scan using activity_public_date" in year_counts.explain()
