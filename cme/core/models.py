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


class CouncilContact(models.Model):
    """The CME team's public contact details (policy FAQ 6), as a CME manager last saved
    them: one row. Until one is saved, the settings (CME_CONTACT_*, CME_DPO_EMAIL) are used,
    and they stay the defaults a manager starts from (cme/core/contact.py)."""

    email = models.EmailField("email address")
    phone = models.CharField("telephone", max_length=40)
    hours = models.CharField("opening hours", max_length=120)
    # One line of the postal address a line.
    address = models.TextField("postal address")
    dpo_email = models.EmailField("data protection officer's email address")
    # Bumped by every save, so a stale form is refused.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "cme_council_contact"
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="one_council_contact")]

    def __str__(self) -> str:
        return "The CME team's contact details"
