"""New pupil returns close the loop: matched with the matching engine against open cases
and the watch list; the officer confirms; a confirmed case closes as on roll."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from factories import ChildFactory, OpenCaseFactory

from cme.audit.models import AuditEvent, Verb
from cme.cases.models import CaseStatus, Outcome
from cme.roll.loop import new_pupil_match_confirm, new_pupil_match_reject
from cme.roll.models import (
    ActionStatus,
    Channel,
    MatchDecision,
    NewPupilMatch,
    WatchedPupil,
    WatchStatus,
)
from cme.roll.services import attendance_return_record, new_pupil_return_record

if TYPE_CHECKING:
    from conftest import World

UPN = "P207000016049"


@pytest.fixture
def spring(term_dates: None) -> Iterator[None]:
    with time_machine.travel(datetime(2026, 3, 16, 10, 0).astimezone(), tick=False):
        yield


def _new_pupil(world: World, **pupil: Any) -> Any:
    return new_pupil_return_record(
        school=world.school_b,
        by=world.users["school_b"],
        channel=Channel.WEB,
        pupil={
            "forename": "Evie",
            "surname": "Fictional",
            "date_of_birth": date(2015, 3, 31),
            "sex": "F",
            **pupil,
        },
        admitted_on=date(2026, 3, 12),
    )


def _client(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


def test_a_matched_open_case_closes_as_on_roll_when_the_officer_confirms(
    world: World, spring: None
) -> None:
    child = ChildFactory.create(
        forename="Evie", surname="Fictional", date_of_birth=date(2015, 3, 31), sex="F"
    )
    case = OpenCaseFactory.create(child=child, opened_on=date(2026, 1, 5))
    record = _new_pupil(world, upn="")  # no UPN: found by the engine, not by the UPN lookup
    match = NewPupilMatch.objects.get(new_pupil_return=record)
    assert match.case == case and match.band in {"likely", "possible"}
    assert f"open case {case.pk}" in record.action

    client = _client(world, "officer")
    page = client.get("/watch-list/new-pupil-matches/").content.decode()
    assert "Evie Fictional, on roll at" in page and f"Open case {case.pk}" in page
    response = client.post(
        f"/watch-list/new-pupil-matches/{match.pk}/", {f"m{match.pk}-action": "confirm"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.outcome == Outcome.ON_ROLL
    assert case.school == world.school_b
    match.refresh_from_db()
    record.refresh_from_db()
    assert match.decision == MatchDecision.CONFIRMED
    assert record.action_status == ActionStatus.DONE and record.child == child
    assert AuditEvent.objects.filter(
        verb=Verb.CANDIDATE_CONFIRMED, subject_type="newpupilmatch", subject_id=match.pk
    ).exists()


def test_a_pupil_watched_at_another_school_is_no_longer_watched_once_confirmed(
    world: World, spring: None
) -> None:
    attendance_return_record(
        school=world.school_a,
        by=world.users["school_a"],
        channel=Channel.API,
        period_from=date(2026, 2, 9),
        period_to=date(2026, 3, 13),
        pupils=[
            {
                "pupil": {
                    "forename": "Evie",
                    "surname": "Fictional",
                    "date_of_birth": date(2015, 3, 31),
                    "upn": UPN,
                },
                "reason": "ten_days",
                "first_day_absent": date(2026, 2, 23),
            }
        ],
    )
    watched = WatchedPupil.objects.get()
    record = _new_pupil(world, upn=UPN)
    match = NewPupilMatch.objects.get(new_pupil_return=record)
    assert match.watched == watched and match.band == "likely"
    assert "watched at" in record.action
    new_pupil_match_confirm(match=match, by=world.users["officer"])
    watched.refresh_from_db()
    assert watched.status == WatchStatus.ENDED
    assert world.school_b.name in watched.end_reason


def test_rejecting_needs_a_reason_and_only_the_cme_team_decides(world: World, spring: None) -> None:
    child = ChildFactory.create(
        forename="Evie", surname="Fictional", date_of_birth=date(2015, 3, 31), sex="F"
    )
    case = OpenCaseFactory.create(child=child, opened_on=date(2026, 1, 5))
    match = NewPupilMatch.objects.get(new_pupil_return=_new_pupil(world))
    with pytest.raises(PermissionDenied):
        new_pupil_match_confirm(match=match, by=world.users["paews"])
    client = _client(world, "officer")
    refused = client.post(
        f"/watch-list/new-pupil-matches/{match.pk}/", {f"m{match.pk}-action": "reject"}
    )
    assert refused.status_code == 400
    assert "Say why this is not the same child" in refused.content.decode()
    new_pupil_match_reject(match=match, by=world.users["officer"], reason="A different Evie")
    case.refresh_from_db()
    assert case.status == CaseStatus.CHECKING
    with pytest.raises(ValidationError):
        new_pupil_match_confirm(match=match, by=world.users["officer"])


def test_a_new_pupil_like_no_one_makes_no_match(world: World, spring: None) -> None:
    OpenCaseFactory.create()
    record = _new_pupil(world, forename="Zed", surname="Unlike", upn="")
    assert not NewPupilMatch.objects.filter(new_pupil_return=record).exists()
    assert "No open case" in record.action


@pytest.mark.parametrize("name", ["paews", "school_a", "keyworker", "agency", "otherla", "admin"])
def test_only_the_cme_team_reaches_the_matches(world: World, name: str) -> None:
    client = _client(world, name)
    assert client.get("/watch-list/new-pupil-matches/").status_code == 403
    assert client.post("/watch-list/new-pupil-matches/1/", {}).status_code == 403
