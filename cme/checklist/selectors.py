"""Reading CME1 checklists: scoped to the user and audited in one step.

Who may do what with a checklist is decided in `cme.accounts.record_access.cme1_rights`; this
module only works out how the user stands to each one (their school's, sent to them, the CME
team) and asks. A checklist the user may not read is Http404, exactly as a missing one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.http import Http404

from cme.accounts.models import Role
from cme.accounts.permissions import WHOLE_REGISTER, is_staff_user
from cme.accounts.record_access import Cme1Right, cme1_rights
from cme.audit.models import Verb
from cme.audit.services import audit_record, audit_record_many
from cme.calendars.selectors import school_calendar
from cme.core.errors import NotAllowed
from cme.rules import RulesError
from cme.rules.cme1 import EnquiryPeriod, enquiry_period
from cme.schools.models import Establishment

from .models import Checklist, PartyChoice, Status


def own_school(user: Any) -> Establishment | None:
    """The school whose staff this user is, or None."""
    if not is_staff_user(user) or user.role != Role.SCHOOL_STAFF or user.organisation is None:
        return None
    return user.organisation.establishment


def rights_for(user: Any, checklist: Checklist) -> frozenset[Cme1Right]:
    if not is_staff_user(user):
        return frozenset()
    school = own_school(user)
    return cme1_rights(
        user.role,
        own_school=school is not None and school.pk == checklist.school_id,
        sent_to_them=checklist.submitted_to_id == user.pk,
    )


def checklist_scope(user: Any) -> QuerySet[Checklist]:
    """The checklists a user reaches: the same decision as `rights_for`, as a query."""
    qs = Checklist.objects.select_related("school", "submitted_to", "decided_by", "referral")
    if not is_staff_user(user):
        return qs.none()
    if user.role in WHOLE_REGISTER:
        return qs
    if user.role == Role.PAEWS_OFFICER:
        return qs.filter(submitted_to=user)
    school = own_school(user)
    if school is not None:
        return qs.filter(school=school)
    return qs.none()


def may_use_checklists(user: Any) -> bool:
    return is_staff_user(user) and (
        user.role in WHOLE_REGISTER
        or user.role == Role.PAEWS_OFFICER
        or own_school(user) is not None
    )


def checklists_page(*, user: Any, limit: int = 100) -> list[Checklist]:
    """The checklists the user reaches, waiting ones first; each pupil shown is audited."""
    if not may_use_checklists(user):
        raise NotAllowed
    waiting_first = {
        Role.PAEWS_OFFICER: [Status.SUBMITTED],
        Role.SCHOOL_STAFF: [Status.OPEN, Status.RETURNED],
    }.get(user.role, [Status.SUBMITTED])
    rows = list(_ordered(checklist_scope(user), waiting_first)[:limit])
    audit_record_many(
        actor=user,
        verb=Verb.LIST,
        subject_type="checklist",
        rows=[(c.pk, c.child_id) for c in rows],
    )
    return rows


def _ordered(qs: QuerySet[Checklist], waiting: Sequence[str]) -> QuerySet[Checklist]:
    return qs.annotate(
        waiting=Case(When(status__in=waiting, then=Value(True)), default=Value(False),
                     output_field=BooleanField())
    ).order_by("-waiting", "-opened_at", "-id")  # fmt: skip


def checklist_get(*, user: Any, pk: int, audit: bool = True) -> Checklist:
    """One checklist with its steps, if the user may read it; the read is audited."""
    checklist = checklist_scope(user).prefetch_related("steps").filter(pk=pk).first()
    if checklist is None or Cme1Right.READ not in rights_for(user, checklist):
        raise Http404
    if audit:
        audit_record(actor=user, verb=Verb.VIEW, subject=checklist, child_id=checklist.child_id)
    return checklist


def period_of(checklist: Checklist, *, on: date) -> tuple[EnquiryPeriod | None, str]:
    """The enquiries' period so far on the school's calendar, from the first step recorded;
    or why it cannot be counted, in words."""
    first = min((s.done_on for s in checklist.steps.all()), default=None)
    if first is None:
        return None, ""
    try:
        return enquiry_period(
            calendar=school_calendar(checklist.school_id), started_on=first, on=on
        ), ""
    except RulesError as error:
        return None, f"The enquiries could not be counted in school days: {error}."


@dataclass(frozen=True)
class Cme1Held:
    """What a signed-off CME1 tells the deletion assessment (cme.roll.services.assessment)."""

    checklist_id: int
    school_enquiries_made: bool
    la_enquiries_made: bool
    whereabouts_known: bool
    agreed_will_not_return: bool
    enquiries_started_on: date | None
    enquiry_school_days: int | None
    referral_id: int | None


def _same_pupil(*, upn: str, forename: str, surname: str, date_of_birth: date | None) -> Q:
    same = Q(pk__in=[])
    if upn:
        same |= Q(upn=upn)
    if forename and surname and date_of_birth:
        same |= Q(forename__iexact=forename, surname__iexact=surname, date_of_birth=date_of_birth)
    return same


def signed_off_cme1(
    *,
    school: Establishment,
    upn: str,
    forename: str,
    surname: str,
    date_of_birth: date | None,
    deleted_on: date,
) -> Cme1Held | None:
    """The latest signed-off CME1 of this school for this pupil (same UPN, or the same names
    and date of birth), signed off on or before the deletion; None when there is none.

    The council's part is what the council did: a step recorded as the council's or as
    joint. The school's part is the school's or joint. Steps after the deletion do not count.
    """
    found = (
        Checklist.objects.filter(
            _same_pupil(upn=upn, forename=forename, surname=surname, date_of_birth=date_of_birth),
            school=school,
            status=Status.SIGNED_OFF,
            decided_at__date__lte=deleted_on,
        )
        .order_by("-decided_at", "-id")
        .first()
    )
    if found is None:
        return None
    steps = [s for s in found.steps.all() if s.done_on <= deleted_on and not s.could_not_be_done]
    parties = {s.party for s in steps}
    period, _ = period_of(found, on=deleted_on)
    return Cme1Held(
        checklist_id=found.pk,
        school_enquiries_made=bool(parties & {PartyChoice.SCHOOL, PartyChoice.JOINT}),
        la_enquiries_made=PartyChoice.JOINT in parties,
        whereabouts_known=found.whereabouts_known,
        agreed_will_not_return=found.whereabouts_known,
        enquiries_started_on=period.started_on if period else None,
        enquiry_school_days=period.school_days if period else 0,
        referral_id=found.referral_id,
    )
