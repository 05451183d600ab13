"""A child's cases: each case's state, timeline and flags."""

from __future__ import annotations

from typing import Any

from django.forms.models import model_to_dict

from cme.core.child_records import ChildRecords

from .models import Case, CaseEvent, CaseStatusChange, DueItem, Flag

CASE_FIELDS = ["status", "outcome", "opened_on", "closed_on", "first_day_absent", "left_roll_on"]
FLAG_FIELDS = [
    "kind",
    "description",
    "raised_at",
    "escalated_to",
    "escalated_on",
    "resolved_at",
    "resolution",
]


def _export_case(case: Case) -> dict[str, Any]:
    return {
        **model_to_dict(case, fields=CASE_FIELDS),
        "school": case.school.name if case.school else "",
        "key_worker": str(case.key_worker or ""),
        "timeline": [
            {"at": e.at.isoformat(), "what": e.get_kind_display(), "text": e.text}
            for e in case.events.order_by("at", "id")
        ],
        "flags": [model_to_dict(flag, fields=FLAG_FIELDS) for flag in case.flags.all()],
        "status_history": [
            {"status": c.status, "outcome": c.outcome, "from": c.effective_on.isoformat()}
            for c in case.status_changes.all()
        ],
    }


def _remove(child: Any) -> None:
    cases = Case.objects.filter(child=child)
    Flag.objects.filter(case__in=cases).delete()
    DueItem.objects.filter(case__in=cases).delete()
    CaseEvent.objects.filter(case__in=cases).delete()
    CaseStatusChange.objects.filter(case__in=cases).delete()
    cases.delete()


CHILD_RECORDS = ChildRecords(
    models=(Case, CaseEvent, CaseStatusChange, DueItem, Flag),
    remove=_remove,
    export_case=_export_case,
)
