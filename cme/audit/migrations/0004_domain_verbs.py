"""Domain verbs (referral accepted, key worker named, ...) need a longer verb column.

SQLite alters a column by rebuilding the table, which drops its append-only trigger; it is
made again here. PostgreSQL widens the column in place and keeps its trigger.
"""

from django.db import migrations, models

SQLITE_TRIGGER = """
    CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
"""


def _restore_sqlite_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_remove_verb"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="verb",
            field=models.CharField(
                choices=[
                    ("view", "Viewed"),
                    ("list", "Listed"),
                    ("search", "Searched"),
                    ("create", "Created"),
                    ("update", "Changed"),
                    ("transition", "Moved on"),
                    ("close", "Closed"),
                    ("reopen", "Reopened"),
                    ("import", "Imported"),
                    ("export", "Exported"),
                    ("denied", "Refused access"),
                    ("remove", "Removed (retention period ended)"),
                    ("referral_accepted", "Accepted a referral and opened a case"),
                    ("referral_attached", "Added a referral to an open case"),
                    ("referral_declined", "Declined a referral: not a CME case"),
                    ("key_worker_named", "Named a key worker"),
                    ("paews_officer_named", "Named a PAEWS officer"),
                    ("paews_referred", "Referred to PAEWS"),
                    ("candidate_confirmed", "Confirmed a record as the child"),
                    ("candidate_rejected", "Rejected a record as not the child"),
                    ("candidate_reopened", "Reopened a decision on a record"),
                    ("flag_raised", "Raised a flag"),
                    ("flag_resolved", "Resolved a flag"),
                    ("note_added", "Added a note"),
                    ("dates_recorded", "Recorded absence and leaving dates"),
                    ("plan_started", "Started an action plan"),
                    ("action_added", "Added an action to a plan"),
                    ("action_done", "Marked an action done"),
                    ("enquiry_sent", "Sent an enquiry"),
                    ("cme1_signed_off", "Signed off a CME1 checklist"),
                    ("return_received", "Received a school return"),
                    ("ctf_sent", "Sent a Common Transfer File"),
                ],
                max_length=40,
            ),
        ),
        migrations.RunPython(_restore_sqlite_trigger, _restore_sqlite_trigger),
    ]
