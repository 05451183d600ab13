"""The key worker's last update, recorded on the case, and backfilled from the timeline.

The "next update" clock counted from the case's last change of any kind, so an officer
running a check reset it. A case's last update from its key worker is its latest note or
action-plan entry written by that key worker, dated in local time.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.utils import timezone

UPDATE_KINDS = ["note", "action_plan"]


def backfill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    latest = (
        CaseEvent.objects.filter(
            case=OuterRef("pk"), kind__in=UPDATE_KINDS, by_id=OuterRef("key_worker_id")
        )
        .order_by("-at")
        .values("at")[:1]
    )
    cases = (
        Case.objects.filter(key_worker__isnull=False)
        .annotate(last_update_at=Subquery(latest))
        .filter(last_update_at__isnull=False)
    )
    for case in cases.iterator(chunk_size=500):
        Case.objects.filter(pk=case.pk).update(
            last_key_worker_update_on=timezone.localdate(case.last_update_at)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_open_cases_newest_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="last_key_worker_update_on",
            field=models.DateField(
                blank=True, help_text="The day the key worker last updated the case.", null=True
            ),
        ),
        migrations.AlterField(
            model_name="caseevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("opened", "Case opened"),
                    ("status", "Status changed"),
                    ("note", "Note"),
                    ("key_worker", "Key worker named"),
                    ("paews_officer", "PAEWS officer named"),
                    ("paews_referral", "Referred to PAEWS"),
                    ("check", "Check"),
                    ("referral", "Further referral received"),
                    ("closed", "Case closed"),
                    ("reopened", "Case reopened"),
                    ("flag", "Flag raised"),
                    ("flag_resolved", "Flag resolved"),
                    ("action_plan", "Action plan"),
                ],
                max_length=20,
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
