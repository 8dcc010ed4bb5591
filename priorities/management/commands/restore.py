import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from strategy_portal.cache import bump_version

from .backup import pg_env, require


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database, replacing "
        "its contents. Stop the app servers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask before replacing the database."
        )

    def handle(self, *args, **options):
        source: Path = options["file"]
        if not source.is_file():
            raise CommandError(f"No backup file at {source}.")
        connection = connections[options["database"]]
        name = connection.settings_dict["NAME"]
        if not options["yes"]:
            answer = input(f"Replace everything in database {name!r} with {source}? [y/N] ")
            if answer.strip().lower() not in ("y", "yes", "j", "ja"):
                raise CommandError("Restore cancelled.")

        if connection.vendor == "postgresql":
            connection.close()
            result = subprocess.run(
                [
                    require("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--exit-on-error",
                    "--dbname",
                    name,
                    str(source),
                ],
                env=pg_env(connection.settings_dict),
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
        elif connection.vendor == "sqlite":
            connection.ensure_connection()
            with sqlite3.connect(source) as backup:
                backup.backup(connection.connection)
        else:
            raise CommandError(f"No restore procedure for {connection.vendor}.")
        # pg_restore and SQLite's backup API write past the connection's write watch: make
        # every cached page stale here, or visitors get pre-restore pages until they expire.
        bump_version()
        self.stdout.write(self.style.SUCCESS(f"Restored {source} into {name}"))
