"""Flags: a safeguarding concern is escalated and recorded, never deleted, raised by whom may."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import ValidationError
from django.db.models.deletion import ProtectedError

from cme.cases.models import Case, CaseEvent, Flag, FlagKind
from cme.cases.services import case_close, flag_raise, flag_resolve
from cme.core.errors import NotAllowed

if TYPE_CHECKING:
    from conftest import World


def test_a_safeguarding_concern_needs_its_escalation_and_blocks_closure(world: World) -> None:
    officer, case = world.users["officer"], world.case_at_a
    with pytest.raises(ValidationError) as error:
        flag_raise(case=case, kind=FlagKind.SAFEGUARDING, description="Bruising seen", by=officer)
    assert set(error.value.message_dict) == {"escalated_to", "escalated_on"}
    flag = flag_raise(
        case=case,
        kind=FlagKind.SAFEGUARDING,
        description="Bruising seen",
        by=officer,
        escalated_to="Children's social care duty team",
        escalated_on=date(2025, 1, 6),
    )
    with pytest.raises(ValidationError, match="unresolved safeguarding concern"):
        case_close(case=case, outcome="on_roll", note="On roll", by=officer, school=world.school_a)
    flag_resolve(flag=flag, by=officer, resolution="Social care assessment complete")
    closed = case_close(
        case=case, outcome="on_roll", note="On roll", by=officer, school=world.school_a
    )
    assert closed.status == "closed"
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert {"flag", "flag_resolved", "closed"} <= set(kinds)


def test_flags_are_never_deleted(world: World) -> None:
    flag = flag_raise(
        case=world.case_at_a,
        kind=FlagKind.DO_NOT_CONTACT,
        description="Father must not be told the address",
        by=world.users["officer"],
    )
    with pytest.raises(ProtectedError):
        Case.objects.filter(pk=world.case_at_a.pk).delete()
    assert Flag.objects.filter(pk=flag.pk).exists()


def test_who_may_raise_a_flag(world: World) -> None:
    # Flags are the safeguarding part: a key worker outside social care neither reads nor
    # raises them (docs/access.md); they tell the officer in a note.
    for role in ("school_a", "agency", "admin", "keyworker_other", "keyworker"):
        with pytest.raises(NotAllowed):
            flag_raise(
                case=world.case_at_a, kind=FlagKind.RISK, description="x", by=world.users[role]
            )
    flag_raise(
        case=world.case_at_a,
        kind=FlagKind.RISK,
        description="Seen at night",
        by=world.users["paews"],
    )
    keyworker = world.users["keyworker"]
    assert keyworker.organisation is not None
    keyworker.organisation.safeguarding_role = True
    keyworker.organisation.save()
    flag_raise(
        case=world.case_at_a, kind=FlagKind.RISK, description="Family may move", by=keyworker
    )
