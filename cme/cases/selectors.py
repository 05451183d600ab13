"""Reading cases: always scoped to what the user may see, and always audited."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, cast

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from cme.accounts.permissions import WHOLE_REGISTER, Action, Part, can
from cme.audit.models import Verb
from cme.audit.services import audit_record, audit_record_many
from cme.core.errors import NotAllowed
from cme.people.models import ChildRiskFactor
from cme.rules.age import latest_date_of_birth

from .deadlines import Clock, WorkItem
from .models import OPEN_STATUSES, Case, CaseEvent, DueItem, Flag
from .record_view import CaseRecord, RegisterRow, case_access, case_record, register_rows
from .scopes import case_scope


@dataclass(frozen=True)
class RegisterFilters:
    status: str = ""  # a CaseStatus, "open" (the default view) or "all"
    school_id: int | None = None
    key_worker_id: int | None = None
    risk_factor: str = ""
    min_age: int | None = None
    max_age: int | None = None
    query: str = ""


def _search(qs: QuerySet[Case], query: str) -> QuerySet[Case]:
    query = query.strip()
    if not query:
        return qs
    compact = query.replace(" ", "").upper()
    if len(compact) == 13 and compact[0].isalpha() and compact[1:12].isdigit():
        return qs.filter(child__upn=compact)
    for token in query.split()[:4]:
        qs = qs.filter(
            Q(child__forename__istartswith=token)
            | Q(child__surname__istartswith=token)
            | Q(child__former_names__surname__istartswith=token)
        )
    return qs.distinct()


def _filtered(user: Any, filters: RegisterFilters, today: date) -> QuerySet[Case]:
    qs = Case.objects.filter(case_scope(user))
    if filters.status in ("", "open"):
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif filters.status != "all":
        qs = qs.filter(status=filters.status)
    if filters.school_id:
        qs = qs.filter(school_id=filters.school_id)
    # Filtering by key worker or risk factor would tell a reader who may not see those parts
    # of a record which children have them; only the CME team, who sees them all, may.
    if filters.key_worker_id and user.role in WHOLE_REGISTER:
        qs = qs.filter(key_worker_id=filters.key_worker_id)
    if filters.risk_factor and user.role in WHOLE_REGISTER:
        # One filter() call, so both conditions are on the same link: a factor still open.
        qs = qs.filter(
            child__risk_factor_links__risk_factor__code=filters.risk_factor,
            child__risk_factor_links__ended_on__isnull=True,
        )
    if filters.min_age is not None:
        qs = qs.filter(
            child__date_of_birth__lte=latest_date_of_birth(age=filters.min_age, on=today)
        )
    if filters.max_age is not None:
        qs = qs.filter(
            child__date_of_birth__gt=latest_date_of_birth(age=filters.max_age + 1, on=today)
        )
    return _search(qs, filters.query)


def register_page(
    *, user: Any, filters: RegisterFilters, page_number: int | str, today: date
) -> Page[Case]:
    """One page of the register, newest first, and an audit event per child it shows."""
    if not can(user, Action.VIEW_REGISTER):
        raise NotAllowed
    order = ("-opened_on", "-id")
    # Paging over the ids alone, and loading the page's rows by id in the same query: an
    # OFFSET deep into 100,000 cases then skips index entries, not joined rows (a deep page
    # took 150 ms on PostgreSQL when the OFFSET ran over the joined query).
    ids = _filtered(user, filters, today).order_by(*order).values_list("pk", flat=True)
    ids_page = Paginator(ids, settings.CME_PAGE_SIZE).get_page(page_number)
    rows = (
        Case.objects.filter(pk__in=ids_page.object_list)
        .select_related("child", "school", "key_worker")
        .prefetch_related(
            Prefetch(
                "child__risk_factor_links",
                queryset=ChildRiskFactor.objects.select_related("risk_factor"),
            )
        )
        .order_by(*order)
    )
    # The paginator only counts and numbers pages, so its item type does not matter.
    page = Page(rows, ids_page.number, cast("Paginator[Case]", ids_page.paginator))
    audit_record_many(
        actor=user,
        verb=Verb.LIST,
        subject_type="case",
        rows=[(case.pk, case.child_id) for case in page.object_list],
    )
    return page


def register_view(
    *, user: Any, filters: RegisterFilters, page_number: int | str, today: date
) -> tuple[Page[Case], list[RegisterRow]]:
    """A page of the register and its rows as this reader may see them (the page is for its
    count and links only; templates render the rows)."""
    page = register_page(user=user, filters=filters, page_number=page_number, today=today)
    return page, register_rows(user=user, cases=list(page.object_list))


def case_get(*, user: Any, case_id: int) -> Case:
    """The case with all that its page shows, if the user may see it; 404 otherwise."""
    case = (
        Case.objects.filter(case_scope(user), pk=case_id)
        .select_related("child", "school", "key_worker", "paews_officer")
        .prefetch_related(
            Prefetch("events", queryset=CaseEvent.objects.select_related("by")),
            Prefetch("flags", queryset=Flag.objects.select_related("raised_by", "resolved_by")),
            "referrals",
            Prefetch(
                "child__risk_factor_links",
                queryset=ChildRiskFactor.objects.select_related("risk_factor"),
            ),
            "child__addresses",
            "child__carers",
            "child__former_names__replaced_by",
            "child__former_dates_of_birth__replaced_by",
        )
        .first()
    )
    if case is None:
        raise Http404
    audit_record(actor=user, verb=Verb.VIEW, subject=case, child_id=case.child_id)
    return case


def case_record_get(*, user: Any, case_id: int) -> tuple[Case, CaseRecord]:
    """The case (for the services a page calls) and the reader's view of it (for the page:
    only the parts of the record they may see). 404 outside scope; the read is audited."""
    case = case_get(user=user, case_id=case_id)
    return case, case_record(user=user, case=case)


def caseload(*, user: Any) -> QuerySet[Case]:
    """The open cases a user is named on, for their home page."""
    return (
        Case.objects.filter(Q(key_worker=user) | Q(paews_officer=user), status__in=OPEN_STATUSES)
        .select_related("child")
        .order_by("opened_on")
    )


# The most a queue counts: past it the home page says "more than" (a count that grows with
# the register would make the page's cost grow with it).
COUNT_CAP = 1000


class Bucket(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"


@dataclass(frozen=True)
class WorkQueue:
    overdue: list[tuple[Case, WorkItem]]
    due_soon: list[tuple[Case, WorkItem]]
    unknown: list[tuple[Case, WorkItem]]
    # How many there are in all, counted up to COUNT_CAP + 1.
    overdue_count: int = 0
    due_soon_count: int = 0


def _due_items(user: Any) -> QuerySet[DueItem]:
    # Only open cases have stored items (cme.cases.due), so the CME team's queue needs no
    # join; a worker's follows the case's named key worker or PAEWS officer.
    qs = DueItem.objects.all()
    if user.role not in WHOLE_REGISTER:
        qs = qs.filter(Q(case__key_worker=user) | Q(case__paews_officer=user))
    return qs


def _bucket(qs: QuerySet[DueItem], bucket: Bucket, today: date) -> QuerySet[DueItem]:
    if bucket == Bucket.OVERDUE:
        return qs.filter(due_on__lt=today)
    return qs.filter(Q(soon_on__isnull=True) | Q(soon_on__lte=today), due_on__gte=today)


def _pairs(items: Iterable[DueItem], today: date) -> list[tuple[Case, WorkItem]]:
    return [
        (
            item.case,
            WorkItem(
                item.case_id,
                item.what,
                item.due_on,
                item.rule,
                Clock(item.what, item.due_on, item.rule, item.soon_on).urgency(today),
                item.problem,
            ),
        )
        for item in items
    ]


def queue_page(
    *, user: Any, bucket: Bucket, today: date, page: int = 1, per_page: int = 20
) -> tuple[list[tuple[Case, WorkItem]], bool]:
    """One page of a work queue, soonest due first, from the stored due dates: its cost is
    the page's, whatever the register's size. Returns the page and whether another follows."""
    start = (max(page, 1) - 1) * per_page
    items = list(
        _bucket(_due_items(user), bucket, today)
        .select_related("case__child")
        .order_by("due_on", "case_id", "id")[start : start + per_page + 1]
    )
    return _pairs(items[:per_page], today), len(items) > per_page


def _capped_count(qs: QuerySet[DueItem]) -> int:
    return qs.order_by()[: COUNT_CAP + 1].count()


def work_queue(*, user: Any, today: date, limit: int | None = 50) -> WorkQueue:
    """What is overdue or due soon on the cases this user works, soonest first: the CME team
    sees every open case, a key worker or PAEWS officer the cases that name them. `limit`
    items of each (None: all, for the daily reminder), with their capped counts."""
    base = _due_items(user)
    buckets = {}
    for bucket in Bucket:
        qs = (
            _bucket(base, bucket, today)
            .select_related("case__child")
            .order_by("due_on", "case_id", "id")
        )
        buckets[bucket] = _pairs(qs if limit is None else qs[:limit], today)
    unknown = _pairs(base.filter(due_on__isnull=True).select_related("case__child")[:limit], today)
    return WorkQueue(
        overdue=buckets[Bucket.OVERDUE],
        due_soon=buckets[Bucket.DUE_SOON],
        unknown=unknown,
        overdue_count=_capped_count(_bucket(base, Bucket.OVERDUE, today)),
        due_soon_count=_capped_count(_bucket(base, Bucket.DUE_SOON, today)),
    )


def flag_get(*, user: Any, case_id: int, flag_id: int) -> Flag:
    """A flag on a case the user may see, if they may read safeguarding flags; 404 otherwise
    (as for a missing flag). The read is audited."""
    case = Case.objects.filter(case_scope(user), pk=case_id).select_related("school").first()
    flag = Flag.objects.filter(pk=flag_id, case_id=case_id).first() if case else None
    if case is None or flag is None or not case_access(user, case).reads(Part.SAFEGUARDING):
        raise Http404
    audit_record(actor=user, verb=Verb.VIEW, subject=flag, child_id=case.child_id)
    return flag
