"""The action plan on each of a child's cases."""

from __future__ import annotations

from typing import Any

from django.forms.models import model_to_dict

from cme.core.child_records import ChildRecords

from .models import ActionPlan, PlanAction


def _export_case(case: Any) -> dict[str, Any]:
    actions = PlanAction.objects.filter(plan__case=case)
    return {
        "action_plan": [
            model_to_dict(action, fields=["title", "due_on", "done_on", "note"])
            for action in actions
        ]
    }


def _remove(child: Any) -> None:
    PlanAction.objects.filter(plan__case__child=child).delete()
    ActionPlan.objects.filter(case__child=child).delete()


CHILD_RECORDS = ChildRecords(
    models=(ActionPlan, PlanAction), remove=_remove, export_case=_export_case
)
