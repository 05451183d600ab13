"""A closed case takes no new notes or flags: the services refuse, and the pages say why."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from factories import ClosedCaseFactory

from cme.audit.models import AuditEvent
from cme.cases.models import CaseEvent, Flag
from cme.cases.services import case_add_note, flag_raise

if TYPE_CHECKING:
    from conftest import World

REFUSAL = "This case is closed. Reopen it before"


def _nothing_written(case) -> bool:
    return (
        not CaseEvent.objects.filter(case=case).exists()
        and not Flag.objects.filter(case=case).exists()
        and not AuditEvent.objects.filter(child_id=case.child_id, subject_type="flag").exists()
    )


def test_the_services_refuse_a_note_or_a_flag_on_a_closed_case(world: World) -> None:
    case = ClosedCaseFactory.create()
    officer = world.users["officer"]
    with pytest.raises(ValidationError, match=REFUSAL):
        case_add_note(case=case, by=officer, text="Seen in town")
    with pytest.raises(ValidationError, match=REFUSAL):
        flag_raise(case=case, kind="risk", description="Dog at the address", by=officer)
    assert _nothing_written(case)


def test_the_pages_show_the_refusal_and_keep_what_was_typed(world: World) -> None:
    case = ClosedCaseFactory.create()
    client = Client()
    client.force_login(world.users["officer"])
    note = client.post(
        reverse("cases:add-note", args=[case.pk]),
        {"text": "Seen in town", "shared_with": "cme_team"},
    )
    assert note.status_code == 400
    page = note.content.decode()
    assert REFUSAL in page and "Seen in town" in page
    flag = client.post(
        reverse("cases:raise-flag", args=[case.pk]),
        {"kind": "risk", "description": "Dog at the address"},
    )
    assert flag.status_code == 400
    assert REFUSAL in flag.content.decode() and "Dog at the address" in flag.content.decode()
    assert _nothing_written(case)
