"""Demo school returns (SI 2024/208 reg 13) from the demo schools with a sign-in: one of
every kind, through the same services a school's pages call, so the officer's queue, the
watch list, the reinstatement directions and a school's returns page all have something on
them. Deterministic: the pupils are the demo's own children of those schools' open cases, in
id order, and every date is counted back from the as-of date (the time each return was
received is set from it too)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from cme.accounts.models import Role
from cme.cases.models import OPEN_STATUSES, Case
from cme.people.models import Child
from cme.roll.models import (
    AttendancePupil,
    AttendanceReturn,
    Channel,
    DeletionReturn,
    NewPupilReturn,
    ReinstatementDirection,
    SicknessReturn,
    WatchedPupil,
)
from cme.roll.services import (
    attendance_return_record,
    deletion_return_record,
    new_pupil_return_record,
    sickness_return_record,
)
from cme.roll.watch import traveller_absence_record

from .accounts import Staff


def _pupil(child: Child) -> dict[str, Any]:
    return {
        "forename": child.forename,
        "surname": child.surname,
        "date_of_birth": child.date_of_birth,
        "sex": child.sex,
        "upn": child.upn,
    }


def _received(as_of: date, days_ago: int) -> datetime:
    return timezone.make_aware(datetime.combine(as_of - timedelta(days=days_ago), time(10)))


def load_demo_returns(*, as_of: date, staff: Staff) -> int:
    """Returns of every kind from the first demo school with a sign-in and open cases."""
    for school in staff.staffed_schools:
        user = next(
            (
                u
                for u in staff.by_role(Role.SCHOOL_STAFF)
                if u.organisation and u.organisation.establishment_id == school.pk
            ),
            None,
        )
        children = [
            c.child
            for c in Case.objects.filter(school=school, status__in=OPEN_STATUSES)
            .select_related("child")
            .order_by("pk")
            if c.child.date_of_birth and c.child.upn
        ]
        if user is not None and len(children) >= 5:
            return _returns(as_of=as_of, school=school, user=user, children=children)
    return 0


def _returns(*, as_of: date, school: Any, user: Any, children: list[Child]) -> int:
    web = {"school": school, "by": user, "channel": Channel.WEB}
    made: list[tuple[Any, int]] = []
    lawful = deletion_return_record(
        **web,
        pupil=_pupil(children[0]),
        parents=[{"name": "A Fictional Parent", "telephone": "0151 000 0000", "lives_with": True}],
        ground="9(1)(a)",
        deleted_on=as_of - timedelta(days=20),
        future_school={"name": "A school in another city"},
        facts={"registered_at_another_school": True},
    )
    made.append((lawful, 20))
    unlawful = deletion_return_record(
        **web,
        pupil=_pupil(children[1]),
        parents=[{"name": "B Fictional Parent", "lives_with": True}],
        ground="9(1)(i)",
        deleted_on=as_of - timedelta(days=3),
        facts={
            "first_day_absent": as_of - timedelta(days=45),
            "absence_codes": ["N", "O"],
            "ceased_to_attend": True,
        },
    )
    made.append((unlawful, 3))
    made.append(
        (
            new_pupil_return_record(
                **web,
                pupil={**_pupil(children[2]), "upn": ""},
                admitted_on=as_of - timedelta(days=4),
            ),
            4,
        )
    )
    attendance = attendance_return_record(
        **web,
        period_from=as_of - timedelta(days=30),
        period_to=as_of - timedelta(days=2),
        pupils=[
            {
                "pupil": _pupil(children[3]),
                "reason": "ten_days",
                "first_day_absent": as_of - timedelta(days=16),
                "codes": "NO",
            }
        ],
    )
    made.append((attendance, 2))
    made.append(
        (
            sickness_return_record(
                **web,
                pupil=_pupil(children[4]),
                absent_from=as_of - timedelta(days=12),
                basis="consecutive",
            ),
            1,
        )
    )
    traveller_absence_record(
        **web,
        pupil={"forename": "Mercy", "surname": "Demo-Traveller", "date_of_birth": date(2016, 5, 4)},
        left_on=as_of - timedelta(days=35),
    )
    for record, days_ago in made:
        type(record).objects.filter(pk=record.pk).update(received_at=_received(as_of, days_ago))
    AttendancePupil.objects.filter(attendance_return=attendance).update(
        received_at=_received(as_of, 2)
    )
    ReinstatementDirection.objects.filter(deletion_return=unlawful).update(
        issued_at=_received(as_of, 3)
    )
    at = _received(as_of, 0)
    WatchedPupil.objects.update(started_at=at, last_seen_at=at)
    return (
        DeletionReturn.objects.count()
        + NewPupilReturn.objects.count()
        + AttendanceReturn.objects.count()
        + SicknessReturn.objects.count()
        + 1
    )
