"""`cme send-reminders`: the daily email of overdue and due-soon deadlines."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cme.worklist.reminders import send_reminders, send_reminders_task


class Command(BaseCommand):
    help = (
        "Email each worker what is overdue or due soon on their cases (case numbers only). "
        "Run it once a day from cron; with --queue it is put on the database queue for "
        "`cme db_worker` instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue", action="store_true", help="queue it for the worker")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["queue"]:
            result = send_reminders_task.enqueue()
            self.stdout.write(f"Reminders queued (task {result.id}).")
            return
        self.stdout.write(f"Reminders sent to {send_reminders()} people.")
