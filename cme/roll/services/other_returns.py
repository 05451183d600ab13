"""New pupil (13(1)), attendance (13(7)) and sickness (13(9)) returns: recorded, the child
found where the register knows them, and what the council must do put in the officer's queue."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.cases.models import OPEN_STATUSES, Case
from cme.rules.calendar import academic_year_of
from cme.schools.models import Establishment

from ..loop import new_pupil_matches_find
from ..models import (
    AttendancePupil,
    AttendanceReason,
    AttendanceReturn,
    DeletionReturn,
    NewPupilReturn,
    SicknessBasis,
    SicknessReturn,
)
from ..watch import watch_from_attendance, watch_from_sickness
from ._pupils import NEVER_HAD, child_for, clean_pupil, not_after, pupil_problems, school_had_pupil
from .deletions import parents_marked

GNOU = frozenset("GNOU")


def _audit(record: Any, *, by: Any, kind: str, channel: str, child_id: int | None) -> None:
    audit_record(
        actor=by,
        verb=Verb.RETURN_RECEIVED,
        subject=record,
        child_id=child_id,
        details={"kind": kind, "channel": channel},
    )


def _new_pupil_action(*, case: Case | None, school: Establishment, admitted_on: date) -> str:
    if case is not None:
        return (
            f"This pupil matches open case {case.pk}: confirm the match and close the case as on "
            f"roll at {school.name} from {admitted_on:%-d %B %Y}."
        )
    return "No open case or watched pupil matches: check and mark done."


@transaction.atomic
def new_pupil_return_record(
    *,
    school: Establishment,
    by: Any,
    channel: str,
    pupil: dict[str, Any],
    admitted_on: date,
    parents: list[dict[str, Any]] | None = None,
    name_used: str = "",
    last_school: str = "",
    boarder: bool = False,
) -> NewPupilReturn:
    """Record a new pupil return; a pupil matching an open case is put to the officer."""
    today = timezone.localdate()
    pupil = clean_pupil(pupil)
    problems = pupil_problems(pupil, today=today)
    problems |= not_after(admitted_on, today, "admitted_on", "The starting day")
    born = pupil["date_of_birth"]
    if born is not None and admitted_on <= born:
        problems.setdefault("admitted_on", []).append(
            "The starting day must be after the date of birth"
        )
    if problems:
        raise ValidationError(problems)
    child = child_for(pupil)
    case = (
        Case.objects.filter(child=child, status__in=OPEN_STATUSES).order_by("-opened_on").first()
        if child is not None
        else None
    )
    record = NewPupilReturn(
        **pupil,
        school=school,
        channel=channel,
        sent_by=by,
        received_at=timezone.now(),
        child=child,
        flags=[],
        admitted_on=admitted_on,
        parents=parents_marked(parents or []),
        name_used=name_used.strip(),
        last_school=last_school.strip(),
        boarder=boarder,
        action=_new_pupil_action(case=case, school=school, admitted_on=admitted_on),
    )
    record.full_clean()
    record.save()
    _audit(record, by=by, kind="new_pupil", channel=channel, child_id=child.pk if child else None)
    matches = new_pupil_matches_find(record)
    if matches:
        record.action = _matched_action(matches, school=school, admitted_on=admitted_on)
        record.save(update_fields=["action"])
    return record


def _matched_action(matches: list[Any], *, school: Establishment, admitted_on: date) -> str:
    found = [
        f"open case {m.case_id}" if m.case_id else f"a pupil watched at {m.watched.school.name}"
        for m in matches
    ]
    return (
        f"The matching engine finds this pupil like {', '.join(found)}: confirm the one that is "
        f"the child (a case closes as on roll at {school.name} from {admitted_on:%-d %B %Y}), "
        "or reject each."
    )


def _flags(school: Establishment, pupil: dict[str, Any], child: Any) -> list[str]:
    had = school_had_pupil(
        school=school,
        pupil=pupil,
        child=child,
        earlier=[NewPupilReturn, AttendancePupil, SicknessReturn, DeletionReturn],
    )
    return [] if had else [NEVER_HAD]


def _attendance_problems(
    index: int, entry: dict[str, Any], *, today: date, period_to: date
) -> dict[str, list[str]]:
    prefix = f"pupils.{index}."
    problems = pupil_problems(entry["pupil"], today=today, prefix=f"{prefix}pupil.")
    first = entry.get("first_day_absent")
    if first is not None and first > period_to:
        problems[f"{prefix}first_day_absent"] = [
            "The first day absent must be within the return's period or before it"
        ]
    codes = "".join(str(entry.get("codes") or "").split()).upper()
    if entry["reason"] == AttendanceReason.TEN_DAYS:
        if codes and set(codes) - GNOU:
            problems[f"{prefix}codes"] = [
                "A 10-day attendance return counts only sessions coded G, N, O or U "
                f"(reg 13(7)(b)); these codes are not: {', '.join(sorted(set(codes) - GNOU))}"
            ]
        days = entry.get("school_days_absent")
        if days is not None and days < 10:
            problems[f"{prefix}school_days_absent"] = [
                "A 10-day attendance return is for at least 10 continuous school days "
                "(reg 13(7)(b))"
            ]
    return problems


def _attendance_action(entry: AttendancePupil) -> str:
    if entry.reason == AttendanceReason.TEN_DAYS:
        return (
            "10 continuous school days unauthorised absence: check the school's enquiries have "
            "begun, and at day 20 that the council is making them jointly (reg 9(1)(i)(iii))."
        )
    return "Not attending regularly: decide with PAEWS whether to act (Education Act 1996 s.444)."


@transaction.atomic
def attendance_return_record(
    *,
    school: Establishment,
    by: Any,
    channel: str,
    period_from: date,
    period_to: date,
    pupils: list[dict[str, Any]],
) -> AttendanceReturn:
    """Record an attendance return, with every pupil it names (none is a return too)."""
    today = timezone.localdate()
    problems = not_after(period_to, today, "period_to", "The end of the period")
    if period_to < period_from:
        problems["period_to"] = ["The end of the period must be on or after its start"]
    entries = []
    for index, raw in enumerate(pupils):
        entry = {**raw, "pupil": clean_pupil(raw.get("pupil") or {})}
        entry["reason"] = raw.get("reason") or ""
        if entry["reason"] not in AttendanceReason.values:
            problems[f"pupils.{index}.reason"] = [
                f"Choose a reason: one of {', '.join(AttendanceReason.values)}"
            ]
        problems |= _attendance_problems(index, entry, today=today, period_to=period_to)
        entries.append(entry)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    record = AttendanceReturn(
        school=school,
        channel=channel,
        sent_by=by,
        received_at=now,
        period_from=period_from,
        period_to=period_to,
    )
    record.full_clean()
    record.save()
    for entry in entries:
        pupil = entry["pupil"]
        child = child_for(pupil)
        row = AttendancePupil(
            **pupil,
            attendance_return=record,
            school=school,
            channel=channel,
            sent_by=by,
            received_at=now,
            child=child,
            flags=_flags(school, pupil, child),
            reason=entry["reason"],
            first_day_absent=entry.get("first_day_absent"),
            school_days_absent=entry.get("school_days_absent"),
            codes="".join(str(entry.get("codes") or "").split()).upper(),
            action="",
        )
        row.action = _attendance_action(row)
        row.full_clean()
        row.save()
        _audit(row, by=by, kind="attendance", channel=channel, child_id=child.pk if child else None)
        watch_from_attendance(row)
    audit_record(
        actor=by,
        verb=Verb.RETURN_RECEIVED,
        subject=record,
        details={"kind": "attendance", "channel": channel, "pupils": len(entries)},
    )
    return record


@transaction.atomic
def sickness_return_record(
    *,
    school: Establishment,
    by: Any,
    channel: str,
    pupil: dict[str, Any],
    absent_from: date,
    basis: str,
    expected_back_on: date | None = None,
) -> SicknessReturn:
    """Record a sickness return; a second one for the same absence is kept and flagged
    (reg 13(11): the school need not make it)."""
    today = timezone.localdate()
    pupil = clean_pupil(pupil)
    problems = pupil_problems(pupil, today=today)
    problems |= not_after(absent_from, today, "absent_from", "The first day of absence")
    if basis not in SicknessBasis.values:
        problems["basis"] = [f"Choose the basis: one of {', '.join(SicknessBasis.values)}"]
    if expected_back_on is not None and expected_back_on < absent_from:
        problems["expected_back_on"] = [
            "The expected return must be after the first day of absence"
        ]
    if problems:
        raise ValidationError(problems)
    child = child_for(pupil)
    flags = _flags(school, pupil, child)
    same = SicknessReturn.objects.filter(school=school, absent_from=absent_from)
    if pupil["upn"] and same.filter(upn=pupil["upn"]).exists():
        flags.append(
            "A sickness return for this pupil and this absence was made already this school year "
            f"({academic_year_of(absent_from)}); reg 13(11) does not require another."
        )
    record = SicknessReturn(
        **pupil,
        school=school,
        channel=channel,
        sent_by=by,
        received_at=timezone.now(),
        child=child,
        flags=flags,
        absent_from=absent_from,
        basis=basis,
        expected_back_on=expected_back_on,
        action=(
            "Long absence through sickness: decide whether the council must arrange suitable "
            "education (Education Act 1996 s.19) and agree it with the school."
        ),
    )
    record.full_clean()
    record.save()
    _audit(record, by=by, kind="sickness", channel=channel, child_id=child.pk if child else None)
    watch_from_sickness(record)
    return record
