"""Backup and restore keep every row (PostgreSQL in CI's second run, SQLite in the first)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from partners.models import BilateralPartner
from priorities.demo import example_activities
from priorities.models import Activity


def row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.postgresql_client
@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip_keeps_every_row(strategy, tmp_path, staff_user):
    example_activities(40, authors=[staff_user])
    before = row_counts()
    assert before["priorities_activity"] == 40

    backup = tmp_path / "portal.backup"
    call_command("backup", str(backup), stdout=io.StringIO())
    assert backup.stat().st_size > 0

    # Lose data after the backup, then restore it.
    Activity.objects.all().delete()
    BilateralPartner.objects.filter(slug="kaunas").update(themes_nb="changed")
    assert row_counts() != before

    call_command("restore", str(backup), "--yes", stdout=io.StringIO())
    assert row_counts() == before
    assert BilateralPartner.objects.get(slug="kaunas").themes_nb == "Utdanning og kultur"


def test_restore_refuses_a_missing_file(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(tmp_path / "nope.backup"), "--yes")
