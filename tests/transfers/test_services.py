"""Transfer duty services: the 15-school-day clock, each transition, uploads and bad files."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from factories import EstablishmentFactory
from transfer_files import BEFORE_HALF_TERM, ctf_for

from cme.audit.models import AuditEvent, Verb
from cme.cases.models import CaseEvent
from cme.core.errors import NotAllowed
from cme.people.models import StoredCtf
from cme.transfers.models import DestinationKind, Transfer, TransferSource, TransferStatus
from cme.transfers.services import (
    transfer_cancel,
    transfer_confirm,
    transfer_mark_sent,
    transfer_open,
    transfer_return,
    transfer_upload_file,
)

if TYPE_CHECKING:
    from conftest import World

pytestmark = pytest.mark.django_db


def _open(world: World, **kwargs: Any) -> Transfer:
    case = world.case_at_a
    # Values of several types, passed on (with the test's changes) as transfer_open's keywords.
    values: dict[str, Any] = {
        "child": case.child,
        "case": case,
        "from_school": world.school_a,
        "left_on": BEFORE_HALF_TERM,
        "destination_kind": DestinationKind.UNKNOWN,
        "by": world.users["officer"],
    }
    return transfer_open(**(values | kwargs))


def test_due_fifteen_school_days_later_across_half_term(world: World, term_dates) -> None:
    transfer = _open(world)
    # 20-24 Oct (5), half term 27-31 Oct not counted, 3-7 Nov (10), 10-14 Nov (15).
    assert transfer.due_on == date(2025, 11, 14)
    assert transfer.destination == "XXXXXXX"
    assert transfer.status == TransferStatus.DUE
    assert "SI 2005/1437 reg 9(3)" in transfer.due_rule
    assert transfer.is_overdue(date(2025, 11, 17))
    assert not transfer.is_overdue(date(2025, 11, 14))
    event = AuditEvent.objects.get(subject_type="transfer", verb=Verb.CREATE)
    assert event.child_id == world.case_at_a.child_id
    assert CaseEvent.objects.filter(case=world.case_at_a, text__contains="XXXXXXX").exists()


def test_a_school_closure_moves_the_due_date(world: World, term_dates) -> None:
    from cme.calendars.models import Closure

    Closure.objects.create(
        establishment=world.school_a, first_day=date(2025, 11, 3), last_day=date(2025, 11, 3)
    )
    assert _open(world).due_on == date(2025, 11, 17)


def test_due_from_the_new_schools_request(world: World, term_dates) -> None:
    new_school = EstablishmentFactory.create()
    transfer = _open(
        world,
        destination_kind=DestinationKind.SCHOOL_IN_ENGLAND,
        destination_laestab=new_school.laestab,
        requested_on=date(2026, 1, 5),
    )
    assert transfer.destination == new_school.laestab
    assert transfer.due_on == date(2026, 1, 26)


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        (DestinationKind.INDEPENDENT, "MMMMMMM"),
        (DestinationKind.SCOTLAND, "MMMMMMM"),
        (DestinationKind.ABROAD, "MMMMMMM"),
        (DestinationKind.UNKNOWN, "XXXXXXX"),
    ],
)
def test_destination_codes_come_from_the_rules(world: World, term_dates, kind, code) -> None:
    assert _open(world, destination_kind=kind).destination == code


def test_an_unknown_laestab_is_refused_by_field(world: World, term_dates) -> None:
    with pytest.raises(ValidationError) as error:
        _open(
            world, destination_kind=DestinationKind.SCHOOL_IN_ENGLAND, destination_laestab="3419999"
        )
    assert (
        "not a school in the establishments list"
        in error.value.message_dict["destination_laestab"][0]
    )
    with pytest.raises(ValidationError) as error:
        _open(world, destination_kind=DestinationKind.SCHOOL_IN_ENGLAND, destination_laestab="999")
    assert "destination_laestab" in error.value.message_dict
    assert not Transfer.objects.exists()


def test_without_term_dates_the_duty_is_refused_saying_what_to_do(world: World) -> None:
    from cme.calendars.selectors import forget_calendars

    forget_calendars()
    with pytest.raises(ValidationError, match="import-term-dates"):
        _open(world)


def test_the_same_leaving_twice_is_refused(world: World, term_dates) -> None:
    _open(world)
    with pytest.raises(ValidationError, match="already recorded"):
        _open(world)


def test_only_the_cme_team_opens_a_duty_and_a_job_may(world: World, term_dates) -> None:
    with pytest.raises(NotAllowed):
        _open(world, by=world.users["school_a"])
    transfer = _open(world, by=None, source=TransferSource.DELETION_RETURN, case=None)
    assert transfer.source == TransferSource.DELETION_RETURN


def test_school_marks_sent_then_officer_confirms(world: World, term_dates) -> None:
    transfer = _open(world)
    with pytest.raises(NotAllowed):
        transfer_mark_sent(transfer=transfer, sent_on=date(2025, 11, 1), by=world.users["school_b"])
    with pytest.raises(ValidationError):
        transfer_mark_sent(transfer=transfer, sent_on=date(2025, 10, 1), by=world.users["school_a"])
    transfer = transfer_mark_sent(
        transfer=transfer, sent_on=date(2025, 11, 3), by=world.users["school_a"]
    )
    assert transfer.status == TransferStatus.SENT
    with pytest.raises(NotAllowed):
        transfer_confirm(transfer=transfer, by=world.users["school_a"])
    transfer = transfer_confirm(transfer=transfer, by=world.users["officer"])
    assert transfer.status == TransferStatus.CONFIRMED
    assert not transfer.is_open
    with pytest.raises(ValidationError, match="confirmed"):
        transfer_confirm(transfer=transfer, by=world.users["officer"])
    transitions = AuditEvent.objects.filter(subject_type="transfer", verb=Verb.TRANSITION)
    assert [e.details["to"] for e in transitions.order_by("id")] == ["sent", "confirmed"]


def test_sent_back_and_cancelled_need_a_reason(world: World, term_dates) -> None:
    officer = world.users["officer"]
    transfer = transfer_mark_sent(
        transfer=_open(world), sent_on=date(2025, 11, 3), by=world.users["school_a"]
    )
    with pytest.raises(ValidationError):
        transfer_return(transfer=transfer, by=officer, reason=" ")
    transfer = transfer_return(transfer=transfer, by=officer, reason="S2S shows nothing")
    assert transfer.status == TransferStatus.DUE and transfer.sent_on is None
    with pytest.raises(ValidationError):
        transfer_cancel(transfer=transfer, by=officer, reason="")
    transfer = transfer_cancel(transfer=transfer, by=officer, reason="Recorded in error")
    assert transfer.status == TransferStatus.CANCELLED


def test_upload_checks_the_file_and_keeps_it(world: World, term_dates) -> None:
    transfer = _open(world)
    child, school = transfer.child, world.school_a
    good = ctf_for(child, source=school.laestab, to="XXXXXXX")
    bad_cases = {
        "two pupils": (ctf_for(child, source=school.laestab, to="XXXXXXX", pupils=2), "2 pupils"),
        "wrong destination": (
            ctf_for(child, source=school.laestab, to="MMMMMMM"),
            "addressed to MMMMMMM",
        ),
        "wrong school": (ctf_for(child, source="3410001", to="XXXXXXX"), "not by"),
        "truncated": (good[: len(good) // 2], "truncated"),
        "newer version": (
            ctf_for(child, source=school.laestab, to="XXXXXXX", version="27.0"),
            "newer than this year's",
        ),
        "dated in the future": (
            ctf_for(child, source=school.laestab, to="XXXXXXX", at=datetime(2027, 1, 4, 9, 0)),
            "in the future",
        ),
        "another child": (
            ctf_for(child, source=school.laestab, to="XXXXXXX", dob=date(2012, 1, 1)),
            "not this child's",
        ),
    }
    for label, (data, message) in bad_cases.items():
        with pytest.raises(ValidationError) as error:
            transfer_upload_file(
                transfer=transfer, data=data, name="x.xml", by=world.users["school_a"]
            )
        assert message in " ".join(error.value.messages), label
    assert not StoredCtf.objects.exists()
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.DUE

    with time_machine.travel(datetime(2025, 11, 4, 10, 0).astimezone(), tick=False):
        transfer = transfer_upload_file(
            transfer=transfer,
            data=good,
            name="3412001_CTF_XXXXXXX_001.xml",
            by=world.users["school_a"],
        )
    assert transfer.status == TransferStatus.SENT
    assert transfer.sent_on == date(2025, 11, 4)
    assert transfer.file is not None and bytes(transfer.file.data) == good
    assert transfer.file.child == child


def test_a_file_loaded_twice_says_when(world: World, term_dates) -> None:
    first = _open(world)
    second = _open(world, left_on=date(2025, 10, 20))
    data = ctf_for(first.child, source=world.school_a.laestab, to="XXXXXXX")
    transfer_upload_file(transfer=first, data=data, name="a.xml", by=world.users["school_a"])
    with pytest.raises(ValidationError, match="already loaded on"):
        transfer_upload_file(transfer=second, data=data, name="a.xml", by=world.users["school_a"])
