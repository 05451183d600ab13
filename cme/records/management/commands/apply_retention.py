"""`cme apply-retention [--dry-run]`: remove children's records past the retention period."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from cme.records.retention import current_schedule, retention_apply
from cme.rules.retention import CATEGORIES


class Command(BaseCommand):
    help = (
        "Remove the records of children whose retention period has ended (years from birth, "
        "per category: CME_RETENTION_YEARS_DEFAULT, _EHCP, _LOOKED_AFTER; the longest that "
        "applies) and who have no open case: their referrals, cases, timelines, flags, plans "
        "and checks too. The audit trail is kept, and records the run. Run it from cron (e.g. "
        "monthly); --dry-run says how many, and changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        result = retention_apply(today=timezone.localdate(), dry_run=options["dry_run"])
        verb = "would be removed" if options["dry_run"] else "removed"
        self.stdout.write(f"{result.removed} children's records {verb}.")
        years = current_schedule().years
        for category in CATEGORIES:
            if result.by_category.get(category.key):
                self.stdout.write(
                    f"  {result.by_category[category.key]} kept {years[category.key]} years: "
                    f"{category.who}."
                )
        if result.no_date_of_birth:
            self.stdout.write(
                f"{result.no_date_of_birth} records have no date of birth and are never removed "
                "automatically: review them."
            )
