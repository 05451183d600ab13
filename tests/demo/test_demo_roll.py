"""The demo holds school returns of every kind from its schools (issue 11)."""

from __future__ import annotations

from datetime import date

import pytest

from cme.demo.builder import build_demo
from cme.people.models import Child
from cme.roll.models import (
    AttendancePupil,
    DeletionReturn,
    DirectionStatus,
    NewPupilReturn,
    ReinstatementDirection,
    SicknessReturn,
    WatchedPupil,
    WatchReason,
)

AS_OF = date(2026, 3, 2)


@pytest.mark.django_db
def test_the_demo_has_every_kind_of_return_and_adds_no_child() -> None:
    build_demo(seed=7, as_of=AS_OF)
    assert Child.objects.count() == 300  # the returns name the demo's own children
    assert DeletionReturn.objects.filter(lawfulness="lawful").count() == 1
    unlawful = DeletionReturn.objects.get(lawfulness="unlawful")
    assert ReinstatementDirection.objects.get().deletion_return == unlawful
    assert ReinstatementDirection.objects.get().status == DirectionStatus.AWAITING
    assert NewPupilReturn.objects.count() == 1
    assert AttendancePupil.objects.get().reason == "ten_days"
    assert SicknessReturn.objects.count() == 1
    assert set(WatchedPupil.objects.values_list("reason", flat=True)) == {
        WatchReason.TEN_DAYS,
        WatchReason.SICKNESS,
        WatchReason.REINSTATEMENT,
        WatchReason.TRAVELLER,
    }
    received = sorted(
        d.date() for d in DeletionReturn.objects.values_list("received_at", flat=True)
    )
    assert received == [date(2026, 2, 10), date(2026, 2, 27)]  # counted from the as-of date
