"""`cme refresh-due-dates`: work out every open case's stored due dates again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cme.cases.due import refresh_all


class Command(BaseCommand):
    help = (
        "Work out every open case's due dates again from its facts and the calendars. The "
        "services do this as they change a case, and a change of term dates queues it; run it "
        "after changing CME_DUE_SOON_SCHOOL_DAYS or CME_STALE_AFTER_SCHOOL_DAYS."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = refresh_all()
        self.stdout.write(f"Due dates worked out again for {count} open cases.")
