"""A pupil whose family moved within the city stays on roll (the deletion is refused and
reinstatement directed); when the new school's new pupil return is matched and the officer
confirms, the old school is told it may now delete on ground 9(1)(a)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from cme.audit.models import AuditEvent, Verb
from cme.roll.loop import new_pupil_match_confirm
from cme.roll.models import (
    Channel,
    DirectionStatus,
    NewPupilMatch,
    ReinstatementDirection,
    RollNotice,
    WatchedPupil,
)
from cme.roll.services import deletion_return_record, new_pupil_return_record
from cme.roll.watch import traveller_absence_record

if TYPE_CHECKING:
    from conftest import World

PUPIL = {"forename": "Evie", "surname": "Fictional", "date_of_birth": date(2015, 3, 31), "sex": "F"}


@pytest.fixture
def spring(term_dates: None) -> Iterator[None]:
    with time_machine.travel(datetime(2026, 3, 16, 10, 0).astimezone(), tick=False):
        yield


def _new_pupil_at_b(world: World) -> NewPupilMatch:
    record = new_pupil_return_record(
        school=world.school_b,
        by=world.users["school_b"],
        channel=Channel.WEB,
        pupil=PUPIL,
        admitted_on=date(2026, 3, 12),
    )
    return NewPupilMatch.objects.get(new_pupil_return=record)


def test_the_old_school_is_told_it_may_delete_once_the_new_roll_is_confirmed(
    spring: None, world: World, django_capture_on_commit_callbacks
) -> None:
    world.users["school_a"].email = "office@school-a.example.org"
    world.users["school_a"].save(update_fields=["email"])
    record = deletion_return_record(
        school=world.school_a,
        by=world.users["school_a"],
        channel=Channel.WEB,
        pupil=PUPIL,
        parents=[],
        ground="9(1)(g)",
        deleted_on=date(2026, 3, 13),
        future_address={"address_line_1": "2 Other Street", "postcode": "L8 1AA"},
        facts={
            "ceased_to_attend": True,
            "lives_beyond_reasonable_distance": True,
            "moved_within_city": True,
        },
    )
    assert not record.lawful
    assert any("moved within the city" in r["text"] for r in record.reasons)
    direction = ReinstatementDirection.objects.get()
    match = _new_pupil_at_b(world)
    assert match.watched == direction.watched and not RollNotice.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        new_pupil_match_confirm(match=match, by=world.users["officer"])
    notice = RollNotice.objects.get()
    assert notice.school == world.school_a
    assert "may now delete" in notice.text and "9(1)(a)" in notice.text
    assert world.school_b.name in notice.text and "12 March 2026" in notice.text
    direction.refresh_from_db()
    assert direction.status == DirectionStatus.SUPERSEDED
    assert AuditEvent.objects.filter(
        verb=Verb.CREATE, subject_type="rollnotice", subject_id=notice.pk
    ).exists()
    (email,) = mail.outbox
    assert email.to == [world.users["school_a"].email] and "Evie" not in email.body

    client = Client()
    client.force_login(world.users["school_a"])
    page = client.get(reverse("school-returns:list")).content.decode()
    assert "Notices from the council" in page and "may now delete" in page
    assert AuditEvent.objects.filter(
        verb=Verb.LIST, subject_type="rollnotice", subject_id=notice.pk
    ).exists()
    client.force_login(world.users["school_b"])
    assert "may now delete" not in client.get(reverse("school-returns:list")).content.decode()


def test_a_traveller_found_on_another_roll_is_not_to_be_deleted(spring: None, world: World) -> None:
    """Reg 9(1)(a)(ii): a mobile child stays on the roll of their main school."""
    traveller_absence_record(
        school=world.school_a,
        by=world.users["school_a"],
        channel=Channel.WEB,
        pupil=PUPIL,
        left_on=date(2026, 2, 2),
    )
    match = _new_pupil_at_b(world)
    assert match.watched == WatchedPupil.objects.get()
    new_pupil_match_confirm(match=match, by=world.users["officer"])
    assert not RollNotice.objects.exists()
