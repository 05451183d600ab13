"""`cme apply-retention [--dry-run]`: remove children's records past the retention period."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from cme.records.retention import retention_apply


class Command(BaseCommand):
    help = (
        "Remove the records of children past the council's retention age "
        f"(CME_RETAIN_UNTIL_AGE, now {settings.CME_RETAIN_UNTIL_AGE}) who have no open case: "
        "their referrals, cases, timelines, flags, plans and checks too. The audit trail is "
        "kept. Run it from cron (e.g. monthly); --dry-run says how many, and changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        result = retention_apply(today=timezone.localdate(), dry_run=options["dry_run"])
        verb = "would be removed" if options["dry_run"] else "removed"
        self.stdout.write(f"{result.removed} children's records {verb}.")
        if result.no_date_of_birth:
            self.stdout.write(
                f"{result.no_date_of_birth} records have no date of birth and are never removed "
                "automatically: review them."
            )
