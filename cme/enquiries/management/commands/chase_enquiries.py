"""`cme chase-enquiries`: the daily chase of unanswered enquiries past their due date."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cme.enquiries.services.chasing import enquiries_chase_due, enquiries_chase_task


class Command(BaseCommand):
    help = (
        "Chase every unanswered enquiry past its due date (a reminder and a new due date), "
        "and escalate to the CME managers those already chased twice. Run it once a day from "
        "cron; with --queue it is put on the database queue for `cme db_worker` instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue", action="store_true", help="queue it for the worker")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["queue"]:
            result = enquiries_chase_task.enqueue()
            self.stdout.write(f"Chasing queued (task {result.id}).")
            return
        run = enquiries_chase_due()
        self.stdout.write(f"{run.chased} enquiries chased, {run.escalated} escalated.")
