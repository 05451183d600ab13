"""Emails about a case go on commit and name no child."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core import mail

from cme.cases.models import FlagKind
from cme.cases.services import case_assign, flag_raise

if TYPE_CHECKING:
    from conftest import World


def test_safeguarding_email_goes_on_commit_and_names_no_one(
    world: World, django_capture_on_commit_callbacks
) -> None:
    world.users["officer"].email = "officer@example.org"
    world.users["officer"].save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        flag_raise(
            case=world.case_at_a,
            kind=FlagKind.SAFEGUARDING,
            description="Concern",
            by=world.users["officer"],
            escalated_to="Duty team",
            escalated_on=date(2025, 1, 6),
        )
    assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["officer@example.org"]
    child = world.case_at_a.child
    assert child.surname not in message.body and child.forename not in message.body
    assert f"case {world.case_at_a.pk}" in message.body


def test_naming_a_key_worker_tells_them(world: World, django_capture_on_commit_callbacks) -> None:
    other = world.users["keyworker_other"]
    other.email = "other@example.org"
    other.save()
    with django_capture_on_commit_callbacks(execute=True):
        case_assign(case=world.case_at_b, key_worker=other, by=world.users["officer"])
    assert [m.to for m in mail.outbox] == [["other@example.org"]]
