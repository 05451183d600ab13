"""The provision a child was placed in, as part of their case's record."""

from __future__ import annotations

from typing import Any

from django.forms.models import model_to_dict

from cme.core.child_records import ChildRecords

from .models import Placement

EXPORTED = [
    "provider_kind",
    "provider_name",
    "offered_on",
    "start_on",
    "watch_until",
    "state",
    "reviewed_on",
    "review_note",
    "attendance_seen",
    "withdrawn_reason",
]


def _export_case(case: Any) -> dict[str, Any]:
    return {
        "provision": [
            model_to_dict(p, fields=EXPORTED)
            for p in Placement.objects.filter(case=case).order_by("offered_on", "id")
        ]
    }


def _remove(child: Any) -> None:
    Placement.objects.filter(case__child=child).delete()


CHILD_RECORDS = ChildRecords(models=(Placement,), remove=_remove, export_case=_export_case)
