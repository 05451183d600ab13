"""The kernel's one table: counters for rate limits, shared by every app process."""

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
