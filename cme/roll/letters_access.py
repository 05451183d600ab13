"""Who reads and answers the council's letters to a school (reinstatement directions, and
later the notices), asked of the one access decision, `school_letter_access`
(cme/accounts/record_access.py, docs/access.md)."""

from __future__ import annotations

from typing import Any

from cme.accounts.permissions import is_staff_user
from cme.accounts.record_access import SchoolLetterAct, school_letter_access
from cme.schools.models import Establishment

from .selectors import own_school


def letter_acts(user: Any, school: Establishment) -> frozenset[SchoolLetterAct]:
    """What `user` may do with a letter to `school`."""
    if not is_staff_user(user):
        return frozenset()
    mine = own_school(user)
    return school_letter_access(
        user.role,
        staff_of_school=mine is not None and mine.pk == school.pk,
        paews_of_school=school.paews_officer_id is not None and school.paews_officer_id == user.pk,
    )


def may_work_letters(user: Any) -> bool:
    """The council's side of the letters (the queue): the CME team's."""
    return is_staff_user(user) and SchoolLetterAct.WORK in school_letter_access(
        user.role, staff_of_school=False, paews_of_school=False
    )
