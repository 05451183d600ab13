"""A child's part in the CME1 checklists: each checklist that names them, with its steps."""

from __future__ import annotations

from typing import Any

from django.forms.models import model_to_dict

from cme.core.child_records import ChildRecords

from .models import Checklist, Step

_FIELDS = ["school", "first_day_absent", "status", "outcome", "opened_at", "decided_at"]
_STEP_FIELDS = ["kind", "done_on", "party", "done_by", "outcome", "could_not_be_done"]


def _export(child: Any) -> dict[str, Any]:
    return {
        "cme1_checklists": [
            {
                **model_to_dict(c, fields=_FIELDS),
                "steps": [model_to_dict(s, fields=_STEP_FIELDS) for s in c.steps.all()],
            }
            for c in Checklist.objects.filter(child=child).prefetch_related("steps")
        ]
    }


def _remove(child: Any) -> None:
    Step.objects.filter(checklist__child=child).delete()
    Checklist.objects.filter(child=child).delete()


CHILD_RECORDS = ChildRecords(models=(Step, Checklist), remove=_remove, export=_export)
