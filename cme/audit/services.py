"""Writing audit events. Callers are services and selectors, inside their own transaction.

Each event is chained to the one before it (cme/audit/chain.py). Two writers must never both
follow the same event, so appending takes the chain's lock first: on PostgreSQL an advisory
lock held until the writer's transaction ends, on SQLite the write lock every transaction
takes at BEGIN (the settings open them IMMEDIATE). A transaction that writes an event
therefore holds up other writers of events until it commits: keep audited transactions short.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections, models, router, transaction
from django.utils import timezone

from cme.core.request_context import current_request_meta

from .chain import FIELDS, GENESIS, event_hash, normalise_ip, normalise_json
from .models import AuditEvent, Verb

# pg_advisory_xact_lock key for appending to the chain ("CMEAUDIT" in ASCII, as a bigint).
CHAIN_LOCK = 0x434D4541554449


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
    event = _event(actor=actor, verb=verb, subject_type=subject_type, details=details)
    event.subject_type = subject_type or (subject._meta.model_name or "" if subject else "")
    event.subject_id = subject.pk if subject is not None else None
    event.child_id = child_id
    _append([event])
    return event


def audit_refusal(*, actor: Any, path: str, method: str, status: int, api: bool) -> AuditEvent:
    """A request refused (401, 403) or answered "not found" (404: a record outside the user's
    scope answers exactly as a missing one, so both are recorded). The path only, never the
    query string; callers pass paths of known routes, which carry ids, not names."""
    return audit_record(
        actor=actor,
        verb=Verb.DENIED,
        subject_type="api" if api else "page",
        details={"path": path[:200], "method": method, "status": status},
    )


def audit_record_many(
    *, actor: Any, verb: Verb, subject_type: str, rows: Iterable[tuple[int, int | None]]
) -> None:
    """One event per (subject_id, child_id): a list page shows several children at once."""
    events = []
    for subject_id, child_id in rows:
        event = _event(actor=actor, verb=verb, subject_type=subject_type, details=None)
        event.subject_id, event.child_id = subject_id, child_id
        events.append(event)
    if events:
        _append(events)


def audit_record_past(*, events: Sequence[AuditEvent]) -> None:
    """Chain events built elsewhere with their own times (the demo's made-up history), in the
    order given. The trail's times then need not run forwards along the chain."""
    if events:
        _append(events, stamp=False)


def _event(
    *, actor: Any, verb: Verb, subject_type: str, details: dict[str, Any] | None
) -> AuditEvent:
    # Refuses a verb that is not one of Verb's (the column no longer does).
    verb = Verb(verb)
    meta = current_request_meta()
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent(
        actor=actor if authenticated else None,
        actor_label=actor.get_username() if authenticated else meta.anonymous_label,
        verb=verb,
        subject_type=subject_type,
        source=meta.source,
        ip_address=meta.ip_address,
        details=details or {},
    )


def _append(events: Sequence[AuditEvent], *, stamp: bool = True) -> None:
    """Number, timestamp and hash the events after the chain's newest one, then insert them.
    Address and details are hashed as the database will give them back."""
    alias = router.db_for_write(AuditEvent)
    # No savepoint: if the event cannot be written, the change it records must not be either.
    with transaction.atomic(using=alias, savepoint=False):
        seq, prev = _lock_chain_head(alias)
        # Stamped under the lock, so the times on the trail never run backwards along it.
        now = timezone.now()
        for event in events:
            seq += 1
            event.seq, event.prev_hash = seq, prev
            event.at = now if stamp else event.at
            event.ip_address = normalise_ip(event.ip_address)
            event.details = normalise_json(event.details or {})
            event.hash = prev = event_hash(prev, {name: getattr(event, name) for name in FIELDS})
        if len(events) == 1:
            events[0].save(using=alias)
        else:
            AuditEvent.objects.using(alias).bulk_create(events)


def _lock_chain_head(alias: str) -> tuple[int, str]:
    connection = connections[alias]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
    head = AuditEvent.objects.using(alias).order_by("-seq").values_list("seq", "hash").first()
    return head if head is not None else (0, GENESIS)
