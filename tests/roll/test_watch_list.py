"""Attendance and sickness returns put pupils on the watch list with their clocks; the
officer sees them, and the schools whose attendance return is late."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, override_settings

from cme.audit.models import AuditEvent, Verb
from cme.roll.models import Channel, WatchedPupil, WatchReason, WatchStatus
from cme.roll.services import attendance_return_record, sickness_return_record
from cme.roll.watch import watch_end

if TYPE_CHECKING:
    from conftest import World

UPN = "P207000016049"


@pytest.fixture
def spring(term_dates: None) -> Iterator[None]:
    with time_machine.travel(datetime(2026, 3, 16, 10, 0).astimezone(), tick=False):
        yield


def _attendance(
    world: World, *, school: Any = None, period_to: date = date(2026, 3, 13), **pupil: Any
) -> Any:
    entry = {
        "pupil": {"forename": "Evie", "surname": "Fictional", "upn": UPN},
        "reason": "ten_days",
        "first_day_absent": date(2026, 2, 23),
        "codes": "GGNNOO",
        **pupil,
    }
    return attendance_return_record(
        school=school or world.school_a,
        by=world.users["school_a"],
        channel=Channel.API,
        period_from=period_to - timedelta(days=27),
        period_to=period_to,
        pupils=[entry],
    )


def _page(world: World, name: str) -> tuple[int, str]:
    client = Client()
    client.force_login(world.users[name])
    response = client.get("/watch-list/")
    return response.status_code, response.content.decode()


def test_ten_days_on_an_attendance_return_puts_the_pupil_on_the_list_with_clocks(
    world: World, spring: None
) -> None:
    _attendance(world)
    watched = WatchedPupil.objects.get()
    assert watched.reason == WatchReason.TEN_DAYS
    assert watched.first_day_absent == date(2026, 2, 23) and not watched.first_day_estimated
    status, page = _page(world, "officer")
    assert status == 200
    assert "Evie Fictional" in page
    # 23 Feb is day 1: day 10 is Friday 6 March (reached), day 20 Friday 20 March (due).
    assert "School day 16 of the absence" in page
    assert "Day 10: the school&#x27;s enquiries: 6 March 2026" in page
    assert "Day 20: ground 9(1)(i) only with joint enquiries: 20 March 2026" in page
    assert "SI 2024/208 reg 9(1)(i)(iii)" in page
    assert "Reached" in page and "Due" in page
    assert AuditEvent.objects.filter(
        verb=Verb.LIST, subject_type="watchedpupil", subject_id=watched.pk
    ).exists()


def test_a_later_return_for_the_same_pupil_updates_the_entry(world: World, spring: None) -> None:
    _attendance(world)
    _attendance(world, first_day_absent=date(2026, 2, 25))
    watched = WatchedPupil.objects.get()
    assert watched.returns_named_in == 2
    assert watched.first_day_absent == date(2026, 2, 23)  # the earliest first day is kept


def test_without_a_first_day_it_is_counted_back_from_the_period(world: World, spring: None) -> None:
    _attendance(world, first_day_absent=None, school_days_absent=12)
    watched = WatchedPupil.objects.get()
    # 12 school days ending Friday 13 March: from Thursday 26 February.
    assert watched.first_day_absent == date(2026, 2, 26) and watched.first_day_estimated


def test_not_attending_regularly_is_watched_once_it_is_a_pattern(
    world: World, spring: None
) -> None:
    for period_to in (date(2026, 1, 16), date(2026, 2, 13)):
        _attendance(world, reason="not_regular", first_day_absent=None, period_to=period_to)
    assert not WatchedPupil.objects.exists()
    _attendance(world, reason="not_regular", first_day_absent=None)
    watched = WatchedPupil.objects.get()
    assert watched.reason == WatchReason.PATTERN and watched.returns_named_in == 3
    assert "named in 3 returns" in _page(world, "officer")[1]


def test_a_sickness_return_is_watched_to_day_15(world: World, spring: None) -> None:
    sickness_return_record(
        school=world.school_a,
        by=world.users["school_a"],
        channel=Channel.WEB,
        pupil={"forename": "Nia", "surname": "Fictional"},
        absent_from=date(2026, 2, 23),
        basis="consecutive",
    )
    assert WatchedPupil.objects.get().reason == WatchReason.SICKNESS
    page = _page(world, "officer")[1]
    assert "Day 15: education otherwise than at school: 13 March 2026" in page
    assert "Education Act 1996 s.19(1)" in page


def test_a_paews_officer_sees_their_schools_pupils_only(world: World, spring: None) -> None:
    world.school_b.paews_officer = world.users["paews"]
    world.school_b.save()
    _attendance(world)  # school A
    _attendance(world, school=world.school_b, pupil={"forename": "Ola", "surname": "Fictional"})
    status, page = _page(world, "paews")
    assert status == 200 and "Ola Fictional" in page and "Evie Fictional" not in page
    assert "Stop watching" not in page  # only the CME team takes a pupil off
    assert "Ola Fictional" not in _page(world, "paews_other")[1]
    manager = _page(world, "manager")[1]
    assert "Ola Fictional" in manager and "Evie Fictional" in manager


@pytest.mark.parametrize("name", ["school_a", "keyworker", "agency", "otherla", "admin"])
def test_nobody_else_reads_the_watch_list(world: World, name: str) -> None:
    assert _page(world, name)[0] == 403
    client = Client()
    client.force_login(world.users[name])
    assert client.post("/watch-list/1/end/", {"w1-reason": "x"}).status_code == 403


def test_the_officer_stops_watching_with_a_reason(world: World, spring: None) -> None:
    _attendance(world)
    watched = WatchedPupil.objects.get()
    client = Client()
    client.force_login(world.users["officer"])
    refused = client.post(f"/watch-list/{watched.pk}/end/", {f"w{watched.pk}-reason": ""})
    assert refused.status_code == 400
    assert "Say why the pupil is no longer watched" in refused.content.decode()
    done = client.post(
        f"/watch-list/{watched.pk}/end/", {f"w{watched.pk}-reason": "Back at school daily"}
    )
    assert done.status_code == 302
    watched.refresh_from_db()
    assert watched.status == WatchStatus.ENDED and watched.ended_by == world.users["officer"]
    assert "Evie Fictional" not in _page(world, "officer")[1]
    assert AuditEvent.objects.filter(
        verb=Verb.UPDATE, subject_type="watchedpupil", subject_id=watched.pk
    ).exists()
    with pytest.raises(ValidationError):
        watch_end(watched=watched, by=world.users["officer"], reason="again")
    with pytest.raises(PermissionDenied):
        watch_end(watched=watched, by=world.users["paews"], reason="x")


def test_schools_late_with_their_attendance_return_are_listed(world: World, spring: None) -> None:
    _attendance(world)  # school A made one today
    page = _page(world, "officer")[1]
    late = page[page.index("Schools whose attendance return is late") :]
    assert world.school_b.name in late and "None made" in late
    assert world.school_a.name not in late
    assert "every 31 days" in late
    with (
        override_settings(CME_ATTENDANCE_RETURN_INTERVAL_DAYS=7),
        time_machine.travel(datetime(2026, 3, 24, 10, 0).astimezone(), tick=False),
    ):
        later = _page(world, "officer")[1]
    later = later[later.index("Schools whose attendance return is late") :]
    assert world.school_a.name in later and "16 March 2026" in later
