"""The kernel's tables: counters for rate limits, and the background worker's heartbeat."""

from __future__ import annotations

from django.db import models


class RateCount(models.Model):
    """How many times one client has done one thing in one fixed window of time.

    The key holds a keyed hash of the client (never a raw address or session id) and the
    window's number, so a window's row is only ever counted up, then removed once it ends.
    """

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "cme_rate_count"

    def __str__(self) -> str:
        return f"{self.count} until {self.expires_at:%Y-%m-%d %H:%M}"


class WorkerHeartbeat(models.Model):
    """When the background worker last ran a task from the queue: one row, overwritten.

    The queue's own table says nothing while it is empty, so the worker runs a small task every
    minute (cme/core/heartbeat.py) and the readiness check reads this row.
    """

    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"worker seen at {self.seen_at:%Y-%m-%d %H:%M:%S}"
