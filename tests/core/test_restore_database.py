"""bin/restore-database refuses a database that already holds tables (PostgreSQL only)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connection

SCRIPT = Path(__file__).resolve().parents[2] / "bin" / "restore-database"


def _url() -> str:
    settings = connection.settings_dict
    user = settings["USER"] or "postgres"
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or "5432"
    return f"postgres://{user}@{host}:{port}/{settings['NAME']}"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pg_dump backups and their restore are PostgreSQL's; SQLite is backed up as a file",
)
@pytest.mark.skipif(shutil.which("pg_restore") is None, reason="the PostgreSQL client is absent")
def test_a_restore_into_a_database_that_is_not_empty_is_refused(db, tmp_path) -> None:
    backup = tmp_path / "cme.dump"
    backup.write_bytes(b"not reached: the target is checked first")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM information_schema.tables")
        (tables_before,) = cursor.fetchone()

    result = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [str(SCRIPT), str(backup), _url()], capture_output=True, text=True, check=False
    )

    assert result.returncode == 2, result.stderr
    name = connection.settings_dict["NAME"]
    assert f"Refusing to restore into {name}: it is not empty" in result.stderr
    assert "Restore into a new, empty database" in result.stderr
    assert "postgres://" not in result.stdout + result.stderr  # the URL is never printed
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM information_schema.tables")
        assert cursor.fetchone() == (tables_before,)


def test_the_script_says_how_to_call_it() -> None:
    result = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [str(SCRIPT)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 64
    assert "Usage:" in result.stderr and "BACKUP.dump DATABASE_URL" in result.stderr
