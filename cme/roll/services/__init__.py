"""The only writers of the roll app's tables."""

from .actions import roll_action_done
from .deletions import deletion_return_record
from .directions import reinstatement_confirm
from .other_returns import (
    attendance_return_record,
    new_pupil_return_record,
    sickness_return_record,
)

__all__ = [
    "attendance_return_record",
    "deletion_return_record",
    "new_pupil_return_record",
    "reinstatement_confirm",
    "roll_action_done",
    "sickness_return_record",
]
