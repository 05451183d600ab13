"""`cme prune-index-changes`: remove the children change log's old rows (daily, from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from cme.people.index_log import index_changes_prune


class Command(BaseCommand):
    help = "Remove entries of the match indexes' change log older than CME_INDEX_CHANGE_LOG_HOURS."

    def handle(self, *args: Any, **options: Any) -> None:
        removed = index_changes_prune(now=timezone.now())
        self.stdout.write(f"Removed {removed} change log entries.")
