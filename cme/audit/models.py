"""The audit trail: every read and change of a child's record, append-only."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone


class Verb(models.TextChoices):
    VIEW = "view", "Viewed"
    LIST = "list", "Listed"
    SEARCH = "search", "Searched"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    TRANSITION = "transition", "Moved on"
    CLOSE = "close", "Closed"
    REOPEN = "reopen", "Reopened"
    IMPORT = "import", "Imported"
    EXPORT = "export", "Exported"
    DENIED = "denied", "Refused access"
    REMOVE = "remove", "Removed (retention period ended)"


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit events cannot be changed.")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise PermissionError("Audit events cannot be deleted.")

    def bulk_create(self, objs: Iterable[AuditEvent], *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        for event in objs:
            _refuse_unchained(event)
        return super().bulk_create(objs, *args, **kwargs)


def _refuse_unchained(event: AuditEvent) -> None:
    if event.seq is None:
        raise PermissionError(
            "Write audit events through cme.audit.services, which puts them on the chain."
        )


class AuditEvent(models.Model):
    """Who did what to which record, when, from where. The database refuses edits too."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    # Kept as written so the trail still reads true if the account is renamed.
    actor_label = models.CharField(max_length=200)
    verb = models.CharField(max_length=20, choices=Verb.choices)
    subject_type = models.CharField(max_length=40)
    subject_id = models.BigIntegerField(null=True, blank=True)
    # Not a foreign key: the trail must outlive the retention job's removal of a child.
    child_id = models.BigIntegerField(null=True, blank=True)
    source = models.CharField(max_length=10, default="web")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    # The hash chain (cme/audit/chain.py, docs/audit.md): events numbered from 1 with no gaps,
    # each hash covering the event and the hash before it, so `cme verify-audit` finds an
    # event changed, removed or reordered behind the database's triggers.
    seq = models.PositiveBigIntegerField(unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["child_id", "-at"]),
            models.Index(fields=["subject_type", "subject_id", "-at"]),
            models.Index(fields=["actor", "-at"]),
        ]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.verb} {self.subject_type} {self.subject_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Audit events cannot be changed.")
        _refuse_unchained(self)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit events cannot be deleted.")
