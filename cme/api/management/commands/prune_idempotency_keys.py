"""`cme prune-idempotency-keys`: forget expired Idempotency-Keys and the responses kept with
them (daily, from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from cme.api.idempotency import idempotency_keys_prune


class Command(BaseCommand):
    help = "Remove API Idempotency-Keys older than CME_IDEMPOTENCY_KEY_HOURS, with their responses."

    def handle(self, *args: Any, **options: Any) -> None:
        removed = idempotency_keys_prune(now=timezone.now())
        self.stdout.write(
            f"Removed {removed} expired idempotency key{'' if removed == 1 else 's'}."
        )
