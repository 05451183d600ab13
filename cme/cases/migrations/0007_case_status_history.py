from django.db import migrations, models
from django.utils import timezone

import cme.rules.dfe_categories


def backfill(apps, schema_editor):
    """Every existing case's status history, rebuilt from its timeline (cme.cases.history)."""
    from cme.cases.history import steps_from_timeline

    Case = apps.get_model("cases", "Case")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    CaseStatusChange = apps.get_model("cases", "CaseStatusChange")
    now = timezone.now()
    batch = []
    for case in Case.objects.order_by("pk").iterator(chunk_size=2000):
        events = [
            (kind, timezone.localdate(at), to_status)
            for kind, at, to_status in CaseEvent.objects.filter(case_id=case.pk)
            .order_by("at", "id")
            .values_list("kind", "at", "to_status")
        ]
        for step in steps_from_timeline(
            opened_on=case.opened_on,
            status=case.status,
            outcome=case.outcome,
            closed_on=case.closed_on,
            events=events,
        ):
            batch.append(
                CaseStatusChange(
                    case_id=case.pk,
                    status=step.status,
                    outcome=step.outcome,
                    effective_on=step.effective_on,
                    recorded_at=now,
                )
            )
        if len(batch) >= 5000:
            CaseStatusChange.objects.bulk_create(batch)
            batch = []
    CaseStatusChange.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_case_event_enquiry_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="cme_reason",
            field=models.CharField(
                blank=True,
                choices=cme.rules.dfe_categories.choices(cme.rules.dfe_categories.CME_REASONS),
                max_length=100,
                verbose_name="primary reason for CME",
            ),
        ),
        migrations.CreateModel(
            name="CaseStatusChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("referred", "Referred"),
                            ("checking", "Checking"),
                            ("locating", "Locating"),
                            ("engaging", "Engaging"),
                            ("in_provision", "In provision (monitoring)"),
                            ("closed", "Closed"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("on_roll", "Found on a school roll"),
                            ("in_provision", "Back in education"),
                            ("home_educated", "Electively home educated, education suitable"),
                            ("transferred", "Moved to another local authority"),
                            ("left_country", "Left England"),
                            ("lost", "Whereabouts unknown after all enquiries (S2S lost pupil)"),
                            ("not_compulsory_age", "Not of compulsory school age"),
                            ("deceased", "Died"),
                            ("duplicate", "Duplicate of another case"),
                        ],
                        max_length=30,
                    ),
                ),
                ("effective_on", models.DateField()),
                ("recorded_at", models.DateTimeField()),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=models.deletion.PROTECT,
                        related_name="status_changes",
                        to="cases.case",
                    ),
                ),
            ],
            options={
                "ordering": ["effective_on", "id"],
                "indexes": [
                    models.Index(
                        fields=["case", "effective_on", "id"], name="status_change_case_idx"
                    ),
                    models.Index(fields=["effective_on", "status"], name="status_change_day_idx"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("status", "closed"), models.Q(("outcome", ""), _negated=True)
                            ),
                            models.Q(
                                models.Q(("status", "closed"), _negated=True), ("outcome", "")
                            ),
                            _connector="OR",
                        ),
                        name="status_change_closed_has_outcome",
                    )
                ],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
