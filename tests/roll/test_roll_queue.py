"""Every return lands in the CME team's queue with what the council must do, until done."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from cme.audit.models import AuditEvent, Verb
from cme.roll.models import ActionStatus, Channel, SicknessReturn
from cme.roll.services import roll_action_done, sickness_return_record

if TYPE_CHECKING:
    from conftest import World


def _sickness(world: World) -> SicknessReturn:
    with time_machine.travel(datetime(2026, 3, 16, 10, 0).astimezone(), tick=False):
        return sickness_return_record(
            school=world.school_a,
            by=world.users["school_a"],
            channel=Channel.WEB,
            pupil={"forename": "Nia", "surname": "Fictional", "upn": ""},
            absent_from=date(2026, 2, 23),
            basis="consecutive",
        )


def _home(world: World, name: str) -> str:
    client = Client()
    client.force_login(world.users[name])
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_officer_sees_the_return_and_what_to_do_until_it_is_done(world: World) -> None:
    record = _sickness(world)
    page = _home(world, "officer")
    assert "School returns to act on" in page and "Nia Fictional" in page
    assert "Education Act 1996 s.19" in page
    assert AuditEvent.objects.filter(
        verb=Verb.LIST, subject_type="sicknessreturn", subject_id=record.pk
    ).exists()
    for name in ("school_a", "keyworker", "paews", "agency"):
        assert "Nia Fictional" not in _home(world, name), name

    with pytest.raises(PermissionDenied):
        roll_action_done(record=record, by=world.users["school_a"])
    done = roll_action_done(record=record, by=world.users["officer"], note="s.19 provision agreed")
    assert done.action_status == ActionStatus.DONE
    assert "Nia Fictional" not in _home(world, "officer")
    with pytest.raises(ValidationError):
        roll_action_done(record=record, by=world.users["officer"])
