"""Chain the events written before the chain existed, in the order they were written (id).

The append-only trigger refuses the UPDATE this needs, so it is set aside for this migration's
transaction only (the migration runs as the table's owner; nobody else can do this). SQLite
has no way to set a trigger aside, so it is dropped here (0004's rebuild of the table has
usually dropped it already) and 0006 puts it back.
"""

from django.db import migrations

from cme.audit.chain import FIELDS, GENESIS, event_hash

BATCH = 2000


def chain_existing(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    connection = schema_editor.connection
    postgres = connection.vendor == "postgresql"
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    if postgres:
        schema_editor.execute(f"ALTER TABLE {table} DISABLE TRIGGER audit_event_no_update")
    else:
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
    prev, updates = GENESIS, []
    rows = AuditEvent.objects.using(connection.alias).order_by("id").values_list("id", *FIELDS[1:])
    with connection.cursor() as cursor:
        for seq, (pk, *values) in enumerate(rows.iterator(chunk_size=BATCH), start=1):
            digest = event_hash(prev, dict(zip(FIELDS, [seq, *values], strict=True)))
            updates.append((seq, prev, digest, pk))
            prev = digest
            if len(updates) >= BATCH:
                _write(cursor, table, updates)
        _write(cursor, table, updates)
    if postgres:
        schema_editor.execute(f"ALTER TABLE {table} ENABLE TRIGGER audit_event_no_update")


def _write(cursor, table, updates):
    if updates:
        cursor.executemany(
            f"UPDATE {table} SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s",  # noqa: S608
            updates,
        )
        updates.clear()


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_audit_chain_fields")]
    operations = [migrations.RunPython(chain_existing, migrations.RunPython.noop)]
