"""Every event has its place in the chain from now on; PostgreSQL refuses TRUNCATE too.

The row trigger of 0002 cannot see TRUNCATE, which empties the table without touching a row:
a statement trigger refuses it. The tests' flush between transactional tests (which truncates
every table) gets past it the way only a database superuser can, by running in
session_replication_role = replica (tests/conftest.py); the app's own role can neither set that
nor truncate the table at all. SQLite rebuilt the table when 0004 and this migration changed
it, which drops its triggers, so the update trigger of 0002 is put back here.
"""

from django.db import migrations, models

POSTGRES = [
    """
    CREATE OR REPLACE FUNCTION audit_event_no_truncate() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'audit events are append-only: the trail cannot be truncated';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_no_truncate();
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;",
    "DROP FUNCTION IF EXISTS audit_event_no_truncate();",
]
SQLITE = [
    "DROP TRIGGER IF EXISTS audit_event_no_update;",
    """
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
    """,
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0007_audit_chain_backfill")]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(editable=False, unique=True),
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE}),
        ),
    ]
