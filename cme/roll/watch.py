"""Writing the watch list: the attendance and sickness returns put pupils on it; the officer
takes them off (docs/roll.md, "The watch list"). The clocks are `cme.rules.watch`'s.

Called by the return services inside their transaction, so a return and its watch entry are
kept together or not at all.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from cme.accounts.permissions import Action, can
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.calendars.selectors import school_calendar
from cme.core.errors import NotAllowed
from cme.rules import RulesError
from cme.rules.watch import SCHOOL_ENQUIRIES_DAY, is_pattern_over_returns

from .models import AttendancePupil, AttendanceReason, SicknessReturn
from .watch_models import WatchedPupil, WatchReason, WatchStatus

PUPIL_FIELDS = ("forename", "middle_names", "surname", "date_of_birth", "sex", "upn")


def same_pupil(record: Any) -> Q:
    """The rows that are this return's pupil: the same child, UPN, or surname and birth date."""
    same = Q(pk__in=[])
    if record.child_id:
        same |= Q(child_id=record.child_id)
    if record.upn:
        same |= Q(upn=record.upn)
    if record.date_of_birth and record.surname:
        same |= Q(surname__iexact=record.surname, date_of_birth=record.date_of_birth)
    return same


def _watching(school: Any, record: Any, reason: str) -> QuerySet[WatchedPupil]:
    return WatchedPupil.objects.select_for_update().filter(
        same_pupil(record), school=school, reason=reason, status=WatchStatus.WATCHING
    )


def _first_day(row: AttendancePupil) -> tuple[date | None, bool]:
    """The first day missed as the school gave it, or counted back on the school's calendar
    from the end of the return's period by the days it gave (at least ten)."""
    if row.first_day_absent is not None:
        return row.first_day_absent, False
    days = max(row.school_days_absent or 0, SCHOOL_ENQUIRIES_DAY)
    end = row.attendance_return.period_to
    try:
        calendar = school_calendar(row.school_id)
        last = end if calendar.is_school_day(end) else calendar.add_school_days(end, -1)
        return calendar.add_school_days(last, -(days - 1)), True
    except RulesError:
        return None, True


def _watch(
    *, record: Any, reason: str, first_day: date | None, estimated: bool, **source: Any
) -> WatchedPupil:
    now = timezone.now()
    existing = _watching(record.school, record, reason).order_by("pk").first()
    if existing is not None:
        existing.last_seen_at = now
        existing.returns_named_in += 1
        if first_day is not None and (
            existing.first_day_absent is None or first_day < existing.first_day_absent
        ):
            existing.first_day_absent, existing.first_day_estimated = first_day, estimated
        if existing.child_id is None and record.child_id is not None:
            existing.child_id = record.child_id
        for name, value in source.items():
            setattr(existing, name, value)
        existing.save()
        return existing
    watched = WatchedPupil.objects.create(
        **{name: getattr(record, name) for name in PUPIL_FIELDS},
        address_line_1=record.address_line_1,
        town=record.town,
        postcode=record.postcode,
        school=record.school,
        child_id=record.child_id,
        reason=reason,
        first_day_absent=first_day,
        first_day_estimated=estimated,
        started_at=now,
        last_seen_at=now,
        **source,
    )
    audit_record(
        actor=record.sent_by,
        verb=Verb.CREATE,
        subject=watched,
        child_id=watched.child_id,
        details={"reason": reason, "watch_list": True},
    )
    return watched


def watch_from_attendance(row: AttendancePupil) -> WatchedPupil | None:
    """A pupil on an attendance return: ten days of G/N/O/U puts them on the watch list; not
    attending regularly does when it has become a pattern over this school year's returns."""
    if row.reason == AttendanceReason.TEN_DAYS:
        first_day, estimated = _first_day(row)
        return _watch(
            record=row,
            reason=WatchReason.TEN_DAYS,
            first_day=first_day,
            estimated=estimated,
            attendance_pupil=row,
        )
    named_in = list(
        AttendancePupil.objects.filter(same_pupil(row), school=row.school)
        .values_list("attendance_return__period_to", flat=True)
        .distinct()
    )
    if not is_pattern_over_returns(named_in, on=row.attendance_return.period_to):
        return None
    watched = _watch(
        record=row,
        reason=WatchReason.PATTERN,
        first_day=None,
        estimated=False,
        attendance_pupil=row,
    )
    if watched.returns_named_in != len(named_in):
        watched.returns_named_in = len(named_in)
        watched.save(update_fields=["returns_named_in"])
    return watched


def watch_from_sickness(record: SicknessReturn) -> WatchedPupil:
    """A sickness return: the pupil is watched for the council's s.19 decision."""
    return _watch(
        record=record,
        reason=WatchReason.SICKNESS,
        first_day=record.absent_from,
        estimated=False,
        sickness_return=record,
    )


def watch_from_direction(record: Any, *, first_day: date | None) -> WatchedPupil:
    """A deletion assessed unlawful: the pupil is watched, at risk, until the school confirms
    they are back on its roll (the direction's confirmation ends the watch)."""
    return _watch(
        record=record, reason=WatchReason.REINSTATEMENT, first_day=first_day, estimated=False
    )


@transaction.atomic
def traveller_absence_record(
    *,
    school: Any,
    by: Any,
    channel: str,
    pupil: dict[str, Any],
    left_on: date,
    return_date: date | None = None,
) -> WatchedPupil:
    """A school records that a traveller pupil is away with their family: the pupil stays on
    roll (policy FAQ 7) and is watched until back; with no return date, the CME1 clock starts
    after four weeks (cme.rules.traveller). A later record for the same pupil updates it."""
    from .services._pupils import child_for, clean_pupil, not_after, pupil_problems

    today = timezone.localdate()
    pupil = clean_pupil(pupil)
    problems = pupil_problems(pupil, today=today)
    problems |= not_after(left_on, today, "left_on", "The day the family left")
    if return_date is not None and return_date < left_on:
        problems["return_date"] = ["The return date must be on or after the day the family left"]
    if problems:
        raise ValidationError(problems)
    record = TravellerRecord(
        school=school, sent_by=by, child_id=getattr(child_for(pupil), "pk", None), **pupil
    )
    watched = _watch(
        record=record,
        reason=WatchReason.TRAVELLER,
        first_day=left_on,
        estimated=False,
        return_date=return_date,
    )
    audit_record(
        actor=by,
        verb=Verb.RETURN_RECEIVED,
        subject=watched,
        child_id=watched.child_id,
        details={"kind": "traveller", "channel": channel, "return_date": bool(return_date)},
    )
    return watched


class TravellerRecord:
    """The pupil as a school gives them when it records a traveller's absence (no return of
    reg 13 is made for it, so no table holds it but the watch list)."""

    def __init__(self, *, school: Any, sent_by: Any, child_id: int | None, **pupil: Any) -> None:
        self.school, self.sent_by, self.child_id = school, sent_by, child_id
        self.address_line_1 = self.town = self.postcode = ""
        for name, value in pupil.items():
            setattr(self, name, value)


@transaction.atomic
def watch_end(*, watched: WatchedPupil, by: Any, reason: str) -> WatchedPupil:
    """The officer takes a pupil off the watch list, saying why (back at school, on another
    roll, deleted lawfully, a case opened)."""
    if not can(by, Action.TRIAGE):
        raise NotAllowed
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": ["Say why the pupil is no longer watched"]})
    locked = WatchedPupil.objects.select_for_update().get(pk=watched.pk)
    if locked.status == WatchStatus.ENDED:
        raise ValidationError("This pupil is no longer on the watch list.")
    watch_stopped(locked, by=by, reason=reason)
    return locked


def watch_stopped(watched: WatchedPupil, *, by: Any, reason: str) -> None:
    watched.status = WatchStatus.ENDED
    watched.ended_at = timezone.now()
    watched.ended_by = by if getattr(by, "is_authenticated", False) else None
    watched.end_reason = reason
    watched.save(update_fields=["status", "ended_at", "ended_by", "end_reason"])
    audit_record(
        actor=by,
        verb=Verb.UPDATE,
        subject=watched,
        child_id=watched.child_id,
        details={"watch_list": "ended"},
    )
