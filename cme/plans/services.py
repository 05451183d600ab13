"""Starting a child's action plan from a template and keeping its actions up to date."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cme.accounts.permissions import Part
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.calendars.selectors import school_calendar
from cme.cases import due
from cme.cases.models import Case, CaseEventKind
from cme.cases.record_view import case_access
from cme.cases.scopes import case_in_scope
from cme.cases.services import case_event_add
from cme.core.errors import NotAllowed
from cme.rules import RulesError

from .models import ActionPlan, PlanAction, PlanTemplate


def may_manage_plan(user: Any, case: Case) -> bool:
    """The key worker owns the child's action plan (policy FAQ 2); the CME team may help:
    both write the plan part (cme.accounts.record_access), on an open case."""
    return case.is_open and case_in_scope(user, case) and case_access(user, case).writes(Part.PLAN)


def _event(case: Case, by: Any, text: str) -> None:
    """Work on the plan by the key worker counts as their update on the case."""
    case_event_add(
        case=case, kind=CaseEventKind.ACTION_PLAN, by=by, text=text, key_worker_update=True
    )
    due.refresh(case)  # every plan service ends here, after its change to the actions


@transaction.atomic
def plan_start(*, case: Case, template: PlanTemplate, by: Any) -> ActionPlan:
    """Each template item becomes an action due that many school days from today."""
    if not may_manage_plan(by, case):
        raise NotAllowed
    if ActionPlan.objects.filter(case=case).exists():
        raise ValidationError("This case already has an action plan.")
    today = timezone.localdate()
    try:
        calendar = school_calendar(case.school_id)
        dues = [
            calendar.add_school_days(today, item.due_in_school_days)
            for item in template.items.all()
        ]
    except RulesError as error:
        raise ValidationError(f"The due dates cannot be worked out: {error}") from error
    plan = ActionPlan.objects.create(
        case=case, started_on=today, started_by=by, template_name=template.name
    )
    PlanAction.objects.bulk_create(
        PlanAction(plan=plan, title=item.title, due_on=due, owner=case.key_worker, order=n)
        for n, (item, due) in enumerate(zip(template.items.all(), dues, strict=True))
    )
    _event(case, by, f"Action plan started from the template “{template.name}”")
    audit_record(actor=by, verb=Verb.PLAN_STARTED, subject=plan, child_id=case.child_id)
    return plan


@transaction.atomic
def action_add(
    *, plan: ActionPlan, title: str, due_on: date | None, owner: Any, by: Any
) -> PlanAction:
    if not may_manage_plan(by, plan.case):
        raise NotAllowed
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = ["Enter what needs doing"]
    if due_on is None:
        errors["due_on"] = ["Enter the date it is due"]
    elif due_on < plan.started_on:
        errors["due_on"] = ["The due date must be on or after the day the plan started"]
    if errors or due_on is None:
        raise ValidationError(errors)
    action = PlanAction.objects.create(
        plan=plan,
        title=title.strip(),
        due_on=due_on,
        owner=owner,
        order=plan.actions.count(),
    )
    _event(plan.case, by, f"Action added: {action.title}, due {due_on.day} {due_on:%B %Y}")
    audit_record(actor=by, verb=Verb.ACTION_ADDED, subject=action, child_id=plan.case.child_id)
    return action


@transaction.atomic
def action_complete(*, action: PlanAction, by: Any, note: str = "") -> PlanAction:
    action = PlanAction.objects.select_for_update().select_related("plan__case").get(pk=action.pk)
    case = action.plan.case
    if not (may_manage_plan(by, case) or (action.owner_id == by.pk and case.is_open)):
        raise NotAllowed
    if action.done_on is not None:
        raise ValidationError("This action is already done.")
    action.done_on, action.done_by, action.note = timezone.localdate(), by, note.strip()
    action.save(update_fields=["done_on", "done_by", "note"])
    _event(case, by, f"Action done: {action.title}" + (f". {action.note}" if action.note else ""))
    audit_record(
        actor=by,
        verb=Verb.ACTION_DONE,
        subject=action,
        child_id=case.child_id,
        details={"done": True},
    )
    return action
