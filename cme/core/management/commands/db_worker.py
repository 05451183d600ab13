"""`cme db_worker`: the queue's own worker, which also keeps the heartbeat chain going."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django_tasks_db.management.commands.db_worker import Command as QueueWorkerCommand

from cme.core.heartbeat import worker_heartbeat_schedule


class Command(QueueWorkerCommand):
    help = "Run queued background work (emails, reminders) and record the worker's heartbeat."

    def handle(self, *args: Any, **options: Any) -> None:
        # Due at once, so a worker that has just started shows as ready within its first poll.
        worker_heartbeat_schedule(delay=timedelta(0))
        super().handle(*args, **options)
