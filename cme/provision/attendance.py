"""What the register knows of a placed child's attendance: the EMS roll of the provider
school (its year-to-date sessions), and the school's own attendance returns (reg 13(7)-(8))
received since the start. The officer reads these at the end of the watch; they are kept
with the review as they were then."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from cme.checks.models import PupilOnRoll
from cme.roll.models import AttendancePupil, AttendanceReturn

from .models import Placement


@dataclass(frozen=True)
class Evidence:
    source: str  # "ems" or "returns"
    says: str  # in words, for the page and the kept review
    concern: bool  # does it suggest the child is not attending?

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _ems(placement: Placement) -> list[Evidence]:
    child = placement.case.child
    pupils = PupilOnRoll.objects.filter(establishment=placement.school)
    if child.upn:
        pupils = pupils.filter(upn=child.upn)
    else:
        pupils = pupils.filter(
            surname__iexact=child.surname,
            forename__iexact=child.forename,
            date_of_birth=child.date_of_birth,
        )
    found = []
    for pupil in pupils[:3]:
        words = "On the school's EMS roll"
        if pupil.admission_date:
            words += f" from {pupil.admission_date:%-d %B %Y}"
        left = pupil.leaving_date is not None
        if left:
            words += f"; left {pupil.leaving_date:%-d %B %Y}"
        percent = pupil.attendance_percent
        if percent is not None:
            words += f"; attendance this year {percent}%"
            words += f" ({pupil.sessions_attended} of {pupil.sessions_possible} sessions)"
        found.append(
            Evidence("ems", words + ".", concern=left or (percent is not None and percent < 90))
        )
    if not found:
        found.append(
            Evidence("ems", "Not on the school's roll in the EMS extract loaded.", concern=True)
        )
    return found


def _returns(placement: Placement) -> list[Evidence]:
    start = placement.start_on
    if start is None:
        return []
    listed = AttendancePupil.objects.filter(
        child_id=placement.case.child_id,
        school_id=placement.school_id,
        attendance_return__period_to__gte=start,
    ).select_related("attendance_return")
    found = [
        Evidence(
            "returns",
            f"Named on the school's attendance return for "
            f"{row.attendance_return.period_from:%-d %B} to "
            f"{row.attendance_return.period_to:%-d %B %Y}: {row.get_reason_display()}"
            + (f", {row.school_days_absent} school days absent" if row.school_days_absent else "")
            + ".",
            concern=True,
        )
        for row in listed
    ]
    listed_in = {row.attendance_return_id for row in listed}
    clear = AttendanceReturn.objects.filter(
        school_id=placement.school_id, period_to__gte=start
    ).exclude(pk__in=listed_in)
    found += [
        Evidence(
            "returns",
            f"Not named on the school's attendance return for {r.period_from:%-d %B} to "
            f"{r.period_to:%-d %B %Y} (no irregular attendance reported).",
            concern=False,
        )
        for r in clear.order_by("period_from")
    ]
    return found


def attendance_evidence(placement: Placement) -> list[Evidence]:
    """Everything the register holds about the child's attendance at the provider: only for a
    school (alternative provision or tuition without a URN reports to the officer directly)."""
    if placement.school_id is None or placement.start_on is None:
        return []
    return _ems(placement) + _returns(placement)
