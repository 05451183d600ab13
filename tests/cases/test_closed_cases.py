"""A closed case offers only Reopen: the services refuse every other change, the case page
offers no other action, and each action's address says to reopen it first."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from factories import ClosedCaseFactory

from cme.audit.models import AuditEvent
from cme.cases.models import CaseEvent, Flag
from cme.cases.services import (
    case_add_note,
    case_assign,
    case_close,
    case_set_clock_starts,
    case_transition,
    flag_raise,
)

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
    assert flag.status_code == 409
    assert REFUSAL in flag.content.decode() and "Dog at the address" in flag.content.decode()
    assert _nothing_written(case)


def test_the_services_refuse_moving_naming_workers_and_dates_on_a_closed_case(
    world: World,
) -> None:
    case = ClosedCaseFactory.create()
    officer = world.users["officer"]
    with pytest.raises(ValidationError, match=f"{REFUSAL} moving it on"):
        case_transition(case=case, to="checking", by=officer)
    with pytest.raises(ValidationError, match=f"{REFUSAL} naming its workers"):
        case_assign(case=case, by=officer, paews_officer=world.users["paews"])
    with pytest.raises(ValidationError, match=REFUSAL):
        case_set_clock_starts(
            case=case, by=officer, first_day_absent=timezone.localdate(), left_roll_on=None
        )
    with pytest.raises(ValidationError, match="already closed"):
        case_close(case=case, outcome="left_area", note="Moved", by=officer)
    case.refresh_from_db()
    assert case.status == "closed" and case.paews_officer_id is None
    assert case.first_day_absent is None and case.outcome == "on_roll"
    assert _nothing_written(case)


def test_a_closed_case_page_offers_only_reopen(world: World) -> None:
    case = ClosedCaseFactory.create()
    client = Client()
    client.force_login(world.users["officer"])
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert re.findall(r'class="govuk-button[^"]*" href="([^"]*)"', page) == [
        reverse("cases:reopen", args=[case.pk])
    ]
    for name in ("transition", "assign", "close", "raise-flag", "clock-starts"):
        assert reverse(f"cases:{name}", args=[case.pk]) not in page


ACTIONS = {
    "transition": ("moving it on", {"to": "checking", "note": "Back to checks"}),
    "assign": ("naming its workers", {"key_worker": "", "paews_officer": ""}),
    "close": ("closing it", {"outcome": "left_area", "note": "Moved to Leeds"}),
    "raise-flag": ("raising a flag", {"kind": "risk", "description": "Dog at the address"}),
    "clock-starts": ("recording its absence and leaving dates", {}),
}


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_each_action_address_on_a_closed_case_says_to_reopen_it_and_changes_nothing(
    world: World, name: str
) -> None:
    case = ClosedCaseFactory.create()
    client = Client()
    client.force_login(world.users["officer"])
    url = reverse(f"cases:{name}", args=[case.pk])
    doing, data = ACTIONS[name]
    version = case.version
    shown = client.get(url)
    sent = client.post(url, {"version": case.version, **data})
    for response in (shown, sent):
        assert response.status_code == 409
        page = response.content.decode()
        assert f"{REFUSAL} {doing}." in page
        assert "<form" not in page.split('id="main-content"')[-1].split("</main>")[0]
        assert reverse("cases:reopen", args=[case.pk]) in page
    for text in data.values():
        if len(text) > 12:  # what was written in a box is shown back, not lost
            assert text in sent.content.decode()
    case.refresh_from_db()
    assert (case.status, case.version) == ("closed", version)
    assert _nothing_written(case)


def test_reopen_brings_the_case_back_to_checking_audited(world: World) -> None:
    case = ClosedCaseFactory.create()
    version = case.version
    client = Client()
    client.force_login(world.users["officer"])
    url = reverse("cases:reopen", args=[case.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"version": version, "reason": ""})
    assert refused.status_code == 400 and "Say why the case is being reopened" in (
        refused.content.decode()
    )
    done = client.post(url, {"version": version, "reason": "Seen in town by the school nurse"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == "checking" and case.outcome == "" and case.closed_on is None
    assert CaseEvent.objects.filter(
        case=case, kind="reopened", text="Seen in town by the school nurse"
    ).exists()
    assert AuditEvent.objects.filter(
        verb="reopen", subject_type="case", subject_id=case.pk, actor=world.users["officer"]
    ).exists()
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:close", args=[case.pk]) in page
    assert reverse("cases:reopen", args=[case.pk]) not in page
