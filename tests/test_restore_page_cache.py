"""A restore replaces the content behind every cached page: the restored pages show at once."""

import io

import pytest
from django.core.management import call_command

from priorities.models import Priority


@pytest.mark.django_db(transaction=True)
def test_restore_makes_every_cached_page_stale(client, strategy, settings, tmp_path):
    settings.PAGE_CACHE = True
    backup = tmp_path / "portal.backup"
    call_command("backup", str(backup), stdout=io.StringIO())

    # A change after the backup, cached as visitors see it (autocommit: the bump has run).
    Priority.objects.filter(number=1).update(title_nb="Endret etter sikkerhetskopien")
    assert "Endret etter sikkerhetskopien" in client.get("/").text
    assert client.get("/")["X-Cache"] == "HIT"

    call_command("restore", str(backup), "--yes", stdout=io.StringIO())
    after = client.get("/")
    assert after["X-Cache"] == "MISS"
    assert "Endret etter sikkerhetskopien" not in after.text
