"""Every change to a case. One module per part of casework; all re-exported here."""

from .flags import flag_raise, flag_resolve
from .lifecycle import (
    TRANSITIONS,
    case_close,
    case_open,
    case_reopen,
    case_transition,
    next_statuses,
)
from .on_roll import case_close_on_roll, case_name_school
from .timeline import case_event_add
from .updates import case_add_note, case_assign, case_refer_to_paews, case_set_clock_starts

__all__ = [
    "TRANSITIONS",
    "case_add_note",
    "case_assign",
    "case_close",
    "case_close_on_roll",
    "case_event_add",
    "case_name_school",
    "case_open",
    "case_refer_to_paews",
    "case_reopen",
    "case_set_clock_starts",
    "case_transition",
    "flag_raise",
    "flag_resolve",
    "next_statuses",
]
