"""A subject access export holds the child's whole record, and leaves an audit event."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.core.management import CommandError, call_command
from factories import ReferralFactory

from cme.audit.models import AuditEvent, Verb
from cme.cases.models import FlagKind
from cme.cases.services import flag_raise
from cme.plans.models import ActionPlan, PlanAction

if TYPE_CHECKING:
    from conftest import World


def test_export_holds_the_record_and_is_audited(world: World, tmp_path: Path) -> None:
    case = world.case_at_a
    flag_raise(
        case=case, kind=FlagKind.RISK, description="Family may move", by=world.users["officer"]
    )
    out = tmp_path / "sar.json"
    call_command("export_child", str(case.child_id), "--out", str(out), "--by", "manager")
    data = json.loads(out.read_text())
    assert data["child"]["surname"] == case.child.surname
    assert data["cases"][0]["flags"][0]["description"] == "Family may move"
    assert AuditEvent.objects.filter(
        verb=Verb.EXPORT, child_id=case.child_id, actor=world.users["manager"]
    ).exists()


def test_only_a_manager_may_export(world: World, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="CME manager"):
        call_command(
            "export_child",
            str(world.case_at_a.child_id),
            "--out",
            str(tmp_path / "x.json"),
            "--by",
            "officer",
        )
    assert not (tmp_path / "x.json").exists()


def test_export_gathers_every_apps_part(world: World, tmp_path: Path) -> None:
    case = world.case_at_a
    ReferralFactory.create(child=case.child, case=case, status="accepted")
    plan = ActionPlan.objects.create(
        case=case, started_on=date(2026, 1, 5), started_by=world.users["officer"]
    )
    PlanAction.objects.create(plan=plan, title="Visit the family", due_on=date(2026, 1, 9))
    out = tmp_path / "sar.json"
    call_command("export_child", str(case.child_id), "--out", str(out), "--by", "manager")
    data = json.loads(out.read_text())
    assert list(data) == [
        "child",
        "risk_factors",
        "former_names",
        "former_dates_of_birth",
        "addresses",
        "carers",
        "siblings",
        "changes",
        "transfers",
        "referrals",
        "school_returns",
        "cme1_checklists",
        "home_education",
        "cases",
    ]
    (exported,) = data["cases"]
    assert set(exported) == {
        "status",
        "outcome",
        "opened_on",
        "closed_on",
        "first_day_absent",
        "left_roll_on",
        "school",
        "key_worker",
        "timeline",
        "flags",
        "status_history",
        "checks",
        "action_plan",
        "enquiries",
        "provision",
    }
    assert exported["action_plan"][0]["title"] == "Visit the family"
    assert len(data["referrals"]) == 1
