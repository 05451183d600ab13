"""Is a proposed deletion from the admission register lawful? Every reason if not.

Applies the rule set in force on the deletion date (SI 2006/1751 reg 8 up to 18 Aug 2024,
SI 2024/208 reg 9 from 19 Aug 2024), the ground's own limbs, and Liverpool's local rules.
"""

from __future__ import annotations

import datetime as dt

from cme.rules._dates import require_date
from cme.rules.deletion.conditions import failed_conditions
from cme.rules.deletion.model import (
    AgeStatus,
    DeletionAssessment,
    DeletionFacts,
    DeletionGround,
    Wording,
)
from cme.rules.deletion.policy import policy_reasons
from cme.rules.deletion.registry import get_ground, la_notified
from cme.rules.errors import InvalidArgument
from cme.rules.regulations import RuleSet, rule_set_for

_SET_ENDS = {
    RuleSet.REGS_2006: "the 2006 Regulations ended on 18 August 2024",
    RuleSet.REGS_2024: "the 2024 Regulations apply only from 19 August 2024",
}


def _framework_reasons(
    ground: DeletionGround, rules: RuleSet, age_status: AgeStatus, deleted_on: dt.date
) -> list[str]:
    reasons = []
    if ground.rule_set is not rules:
        counterparts = " or ".join(ground.counterparts) or "none (this ground was not carried over)"
        reasons.append(
            f"Ground {ground.key} cannot be used for a deletion on {deleted_on}: "
            f"{_SET_ENDS[ground.rule_set]}. Its counterpart is {counterparts}."
        )
    if ground.in_force_from is not None and deleted_on < ground.in_force_from:
        reasons.append(f"Ground {ground.key} was not in force until {ground.in_force_from}.")
    if ground.age is not age_status:
        reasons.append(
            f"Ground {ground.key} is for pupils {ground.age.value}; "
            f"this pupil is {age_status.value}."
        )
    return reasons


def _notes(ground: DeletionGround, notify: bool, deleted_on: dt.date) -> tuple[str, ...]:
    notes = []
    if notify:
        notes.append(f"Make the deletion return to the LA no later than {deleted_on}.")
    if ground.missing_or_moved:
        notes.append(
            "Send the CTF within 15 school days; if the new school is unknown use XXXXXXX."
        )
    if ground.wording is not Wording.VERBATIM:
        notes.append(f"Statutory wording of {ground.key}: {ground.wording.value}.")
    return tuple(notes)


def assess_deletion(
    *,
    ground: str | DeletionGround,
    deleted_on: dt.date,
    age_status: AgeStatus,
    facts: DeletionFacts | None = None,
) -> DeletionAssessment:
    """Decide whether deleting the pupil on ``deleted_on`` under ``ground`` is lawful.

    Raises UnknownGround for a ground in neither rule set and InvalidDate for a bad date; a
    ground from the wrong rule set, a wrong age status or an unmet limb makes the deletion
    unlawful with the reason given in plain words.
    """
    chosen = get_ground(ground)
    deleted_on = require_date(deleted_on, "date of deletion")
    if not isinstance(age_status, AgeStatus):
        raise InvalidArgument(f"age_status must be an AgeStatus, not {age_status!r}")
    facts = facts if facts is not None else DeletionFacts()
    rules = rule_set_for(deleted_on)
    reasons = _framework_reasons(chosen, rules, age_status, deleted_on)
    reasons += failed_conditions(chosen.conditions, facts, rules)
    reasons += policy_reasons(chosen, facts, deleted_on)
    notify = la_notified(chosen, deleted_on) and not facts.completed_final_year
    return DeletionAssessment(
        lawful=not reasons,
        ground=chosen,
        rule_set=rules,
        reasons=tuple(reasons),
        la_notification_required=notify,
        notes=_notes(chosen, notify, deleted_on),
    )
