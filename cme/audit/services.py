"""Writing audit events. Callers are services and selectors, inside their own transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from cme.core.request_context import current_request_meta

from .models import AuditEvent, Verb


def audit_record(
    *,
    actor: Any,
    verb: Verb,
    subject: models.Model | None = None,
    subject_type: str = "",
    child_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one event. `actor` is a User, or None for the public and scheduled jobs."""
    meta = current_request_meta()
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_label=actor.get_username() if authenticated else meta.anonymous_label,
        verb=verb,
        subject_type=subject_type or (subject._meta.model_name or "" if subject else ""),
        subject_id=subject.pk if subject is not None else None,
        child_id=child_id,
        source=meta.source,
        ip_address=meta.ip_address,
        details=details or {},
    )


def audit_record_many(
    *, actor: Any, verb: Verb, subject_type: str, rows: Iterable[tuple[int, int | None]]
) -> None:
    """One event per (subject_id, child_id): a list page shows several children at once."""
    meta = current_request_meta()
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=actor if authenticated else None,
            actor_label=actor.get_username() if authenticated else meta.anonymous_label,
            verb=verb,
            subject_type=subject_type,
            subject_id=subject_id,
            child_id=child_id,
            source=meta.source,
            ip_address=meta.ip_address,
        )
        for subject_id, child_id in rows
    )
