"""Reading the audit trail, for the people record_access lets read it (today CME managers).

Reading the trail is itself recorded: one event per page read, with the filters used.
Pages are cut by the event they start after ("keyset" paging), not by number: the trail
grows while a manager reads it (their own reading is on it), and an offset would then show
an event twice or skip one; the cut also never counts a trail of millions of events.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from cme.accounts.models import User
from cme.accounts.permissions import Action, Part, can
from cme.audit.models import AuditEvent, Verb
from cme.audit.services import audit_record
from cme.core.errors import NotAllowed
from cme.people.record_view import ChildRecord
from cme.people.selectors import child_record_get

from .subjects import SOURCES, subject_names


@dataclass(frozen=True)
class TrailFilter:
    actor_id: int | None = None
    verb: str = ""
    date_from: date | None = None
    date_to: date | None = None
    child_id: int | None = None

    def as_details(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class TrailRow:
    event_id: int
    at: datetime
    who: str
    organisation: str
    job_title: str
    what: str
    record: str
    child_id: int | None
    source: str


@dataclass(frozen=True)
class TrailPage:
    rows: list[TrailRow]
    # The events the next (older) and previous (newer) pages start after; None at either end.
    older_than: int | None
    newer_than: int | None


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _filtered(filters: TrailFilter) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.all()
    if filters.child_id is not None:
        qs = qs.filter(child_id=filters.child_id)
    if filters.actor_id is not None:
        qs = qs.filter(actor_id=filters.actor_id)
    if filters.verb:
        qs = qs.filter(verb=filters.verb)
    if filters.date_from:
        qs = qs.filter(at__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(at__lt=_day_start(filters.date_to + timedelta(days=1)))
    return qs


def _row(event: AuditEvent, record: str) -> TrailRow:
    actor = event.actor
    if actor is None:
        who = {"public": "A member of the public", "system": "The register itself"}.get(
            event.actor_label, event.actor_label
        )
        organisation = job_title = ""
    else:
        who = actor.get_full_name() or event.actor_label
        organisation = str(actor.organisation) if actor.organisation_id else ""
        job_title = actor.job_title
    return TrailRow(
        event_id=event.pk,
        at=event.at,
        who=who,
        organisation=organisation,
        job_title=job_title,
        what=event.get_verb_display(),
        record=record,
        child_id=event.child_id,
        source=SOURCES.get(event.source, event.source),
    )


def _page(qs: QuerySet[AuditEvent], *, older_than: int | None, newer_than: int | None) -> TrailPage:
    size = settings.CME_PAGE_SIZE
    pivot_id = newer_than if newer_than is not None else older_than
    pivot = qs.filter(pk=pivot_id).values_list("at", "pk").first() if pivot_id else None
    qs = qs.select_related("actor__organisation")
    if pivot is not None and newer_than is not None:
        at, pk = pivot
        newer = list(qs.filter(Q(at__gt=at) | Q(at=at, pk__gt=pk)).order_by("at", "id")[: size + 1])
        more = len(newer) > size
        events = list(reversed(newer[:size]))
        has_older, has_newer = True, more
    else:
        if pivot is not None:
            at, pk = pivot
            qs = qs.filter(Q(at__lt=at) | Q(at=at, pk__lt=pk))
        older = list(qs.order_by("-at", "-id")[: size + 1])
        events = older[:size]
        has_older, has_newer = len(older) > size, pivot is not None
    names = subject_names(events)
    rows = [_row(event, names[event.pk]) for event in events]
    return TrailPage(
        rows=rows,
        older_than=rows[-1].event_id if rows and has_older else None,
        newer_than=rows[0].event_id if rows and has_newer else None,
    )


def child_for_trail(*, user: Any, child_id: int) -> ChildRecord:
    """The child, if this reader may read the audit part of their record (record_access);
    404 outside scope (as a missing child), 403 for a reader without the audit part."""
    record = child_record_get(user=user, child_id=child_id)
    if not record.access.reads(Part.AUDIT):
        raise NotAllowed
    return record


def child_trail(
    *,
    user: Any,
    record: ChildRecord,
    filters: TrailFilter,
    older_than: int | None = None,
    newer_than: int | None = None,
) -> TrailPage:
    """Every event about one child, newest first, filtered. Reading it is recorded. The
    record comes from `child_for_trail`, which applied the reader's scope."""
    if not record.access.reads(Part.AUDIT):
        raise NotAllowed
    child_id = record.identity.child_id
    filters = TrailFilter(**{**asdict(filters), "child_id": child_id})
    audit_record(
        actor=user,
        verb=Verb.VIEW,
        subject_type="audit_trail",
        child_id=child_id,
        details={"of_child": child_id, "filters": filters.as_details()},
    )
    return _page(_filtered(filters), older_than=older_than, newer_than=newer_than)


def whole_trail(
    *,
    user: Any,
    filters: TrailFilter,
    older_than: int | None = None,
    newer_than: int | None = None,
) -> TrailPage:
    """Every event on the register, newest first, filtered (CME managers). Recorded."""
    if not can(user, Action.VIEW_AUDIT):
        raise NotAllowed
    audit_record(
        actor=user,
        verb=Verb.VIEW,
        subject_type="audit_trail",
        child_id=filters.child_id,
        details={"filters": filters.as_details()},
    )
    return _page(_filtered(filters), older_than=older_than, newer_than=newer_than)


def trail_people(*, user: Any, child_id: int | None) -> list[User]:
    """The people to filter by: those on this child's trail (a reader `child_for_trail` let
    in), or everyone with an account (CME managers)."""
    if child_id is None and not can(user, Action.VIEW_AUDIT):
        raise NotAllowed
    qs = User.objects.select_related("organisation")
    if child_id is not None:
        actor_ids = (
            AuditEvent.objects.filter(child_id=child_id, actor__isnull=False)
            .order_by()
            .values_list("actor_id", flat=True)
            .distinct()
        )
        qs = qs.filter(pk__in=actor_ids)
    return list(qs.order_by("last_name", "first_name", "username"))
