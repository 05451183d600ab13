"""A child's part in the schools' returns: each return that names them."""

from __future__ import annotations

from typing import Any

from django.forms.models import model_to_dict

from cme.core.child_records import ChildRecords

from .models import (
    AttendancePupil,
    DeletionReturn,
    NewPupilMatch,
    NewPupilReturn,
    ReinstatementDirection,
    RollNotice,
    SicknessReturn,
    WatchedPupil,
)

# A part whose rows point at another's goes first: a direction points at its deletion return
# and its watch.
_MODELS = (
    RollNotice,
    ReinstatementDirection,
    NewPupilMatch,
    WatchedPupil,
    DeletionReturn,
    NewPupilReturn,
    AttendancePupil,
    SicknessReturn,
)
_FIELDS = {
    DeletionReturn: ["school", "deleted_on", "ground", "lawfulness", "received_at"],
    NewPupilReturn: ["school", "admitted_on", "received_at"],
    AttendancePupil: ["school", "reason", "first_day_absent", "school_days_absent", "received_at"],
    SicknessReturn: ["school", "absent_from", "basis", "received_at"],
    NewPupilMatch: ["new_pupil_return", "case", "band", "decision", "decided_at"],
    WatchedPupil: ["school", "reason", "first_day_absent", "status", "started_at", "ended_at"],
    ReinstatementDirection: ["school", "issued_at", "regulation", "status", "reinstated_on"],
    RollNotice: ["school", "new_pupil_return", "text", "issued_at"],
}


def _export(child: Any) -> dict[str, Any]:
    return {
        "school_returns": {
            str(model._meta.model_name): [
                model_to_dict(row, fields=_FIELDS[model])
                for row in model.objects.filter(child=child)
            ]
            for model in _MODELS
        }
    }


def _remove(child: Any) -> None:
    for model in _MODELS:
        model.objects.filter(child=child).delete()


CHILD_RECORDS = ChildRecords(models=_MODELS, remove=_remove, export=_export)
