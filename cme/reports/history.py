"""What the register held on any past date: each child's state answered as at a day.

A case's status on a day is the latest change in its status history (cme.cases.models
.CaseStatusChange) effective on or before that day; a case with none by then had not opened.
Elective home education is the home education register's span (started, ended); a roll is the
EMS extract's admission and leaving dates. Reads only: the selectors audit and scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from cme.cases.models import Case, CaseStatus, CaseStatusChange
from cme.checks.models import HomeEducatedChild, PupilOnRoll
from cme.people.models import Child

# Missing education: on the register and not yet back in education. A case in provision is
# monitored on the register, but the child is in education, so is not CME (DfE counts "children
# missing education", s.436A); a closed case is off the register.
CME_STATUSES = (
    CaseStatus.REFERRED,
    CaseStatus.CHECKING,
    CaseStatus.LOCATING,
    CaseStatus.ENGAGING,
)
REGISTER_STATUSES = (*CME_STATUSES, CaseStatus.IN_PROVISION)


def status_on(day: date) -> Subquery:
    """The case's status at the end of `day` (None before it opened), for `.annotate`."""
    return Subquery(
        CaseStatusChange.objects.filter(case=OuterRef("pk"), effective_on__lte=day)
        .order_by("-effective_on", "-id")
        .values("status")[:1]
    )


def cases_with_status_on(day: date, statuses: tuple[str, ...]) -> QuerySet[Case]:
    """Cases whose status at the end of `day` is one of `statuses`."""
    return (
        Case.objects.filter(opened_on__lte=day)
        .annotate(status_then=status_on(day))
        .filter(status_then__in=statuses)
    )


def cme_cases_on(day: date) -> QuerySet[Case]:
    return cases_with_status_on(day, CME_STATUSES)


def register_cases_on(day: date) -> QuerySet[Case]:
    return cases_with_status_on(day, REGISTER_STATUSES)


def cme_cases_during(first: date, last: date) -> QuerySet[Case]:
    """Cases that were missing education on at least one day from `first` to `last`: CME at
    the start, or moved into a CME status on a day inside."""
    moved_in = CaseStatusChange.objects.filter(
        case=OuterRef("pk"),
        effective_on__gt=first,
        effective_on__lte=last,
        status__in=CME_STATUSES,
    )
    return (
        Case.objects.filter(opened_on__lte=last)
        .annotate(status_then=status_on(first), moved_in=Exists(moved_in))
        .filter(Q(status_then__in=CME_STATUSES) | Q(moved_in=True))
    )


def home_educated_on(day: date) -> QuerySet[HomeEducatedChild]:
    """Entries on the home education register on `day`: started, not yet ended."""
    return HomeEducatedChild.objects.filter(started_on__lte=day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=day)
    )


def on_roll_on(day: date) -> QuerySet[PupilOnRoll]:
    """Pupils on a school's roll on `day`, as the EMS extract records admission and leaving."""
    return PupilOnRoll.objects.filter(
        Q(admission_date__isnull=True) | Q(admission_date__lte=day),
        Q(leaving_date__isnull=True) | Q(leaving_date__gt=day),
    )


@dataclass(frozen=True)
class ChildState:
    """One child's state on a day."""

    day: date
    on_register: bool
    missing_education: bool
    case_status: str  # the status of their case that day, "" if none was open
    home_educated: bool
    on_roll: bool


def child_state_on(child: Child, day: date) -> ChildState:
    """Where `child` stood on `day`. On a roll is found by UPN (the EMS extract has no link to
    the register's children); home education by an entry with the child's name and date of
    birth."""
    status = (
        Case.objects.filter(child=child, opened_on__lte=day)
        .annotate(status_then=status_on(day))
        .filter(status_then__in=REGISTER_STATUSES)
        .values_list("status_then", flat=True)
        .first()
    ) or ""
    ehe = (
        child.date_of_birth is not None
        and home_educated_on(day)
        .filter(
            forename__iexact=child.forename,
            surname__iexact=child.surname,
            date_of_birth=child.date_of_birth,
        )
        .exists()
    )
    roll = bool(child.upn) and on_roll_on(day).filter(upn=child.upn).exists()
    return ChildState(
        day=day,
        on_register=bool(status),
        missing_education=status in CME_STATUSES,
        case_status=status,
        home_educated=ehe,
        on_roll=roll,
    )


def first_record_on() -> date | None:
    """The earliest day the register holds anything about: no census can come before it."""
    days = [
        d
        for d in (
            CaseStatusChange.objects.order_by("effective_on")
            .values_list("effective_on", flat=True)
            .first(),
            HomeEducatedChild.objects.order_by("started_on")
            .values_list("started_on", flat=True)
            .first(),
        )
        if d is not None
    ]
    return min(days) if days else None
