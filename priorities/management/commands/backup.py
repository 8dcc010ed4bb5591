import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections


def pg_env(db: dict) -> dict:
    """libpq environment for the configured database, so no password is on a command line."""
    env = {**os.environ}
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if db.get(key):
            env[var] = str(db[key])
    return env


def require(tool: str) -> str:
    path = shutil.which(tool)
    if not path:
        raise CommandError(f"{tool} is not installed (Debian: apt-get install postgresql-client).")
    return path


class Command(BaseCommand):
    help = (
        "Back up the database to a file: pg_dump's custom format on PostgreSQL, a consistent "
        "copy on SQLite. Restore with `manage.py restore FILE`."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        target: Path = options["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        if connection.vendor == "postgresql":
            result = subprocess.run(
                [require("pg_dump"), "--format=custom", "--no-owner", "--file", str(target)],
                env=pg_env(connection.settings_dict),
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        elif connection.vendor == "sqlite":
            connection.ensure_connection()
            # SQLite's online backup copies a consistent snapshot even while the app writes.
            with sqlite3.connect(target) as copy:
                connection.connection.backup(copy)
        else:
            raise CommandError(f"No backup procedure for {connection.vendor}.")
        self.stdout.write(self.style.SUCCESS(f"Backed up to {target}"))
