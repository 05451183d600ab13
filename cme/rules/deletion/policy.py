"""Liverpool City Council's local rules for taking a missing child off roll.

Source: Liverpool CME policy (seed document 000), "Identification processes" and FAQs 4 and 7:
* "Schools cannot remove pupil from roll until reasonable enquiries have been made over a
  period of no less than four weeks."
* "If the new address of a family is known and in another part of the city, a child must not
  be removed from roll until taken onto the roll of another school."
* A child believed missing is not removed without the CME1 checklist, signed by the PAEWS
  officer (FAQ 4).
* Travellers stay on roll for the notified travelling period; away more than four weeks with
  no return date, the CME1 checklist is followed before removal (FAQ 7).
"""

from __future__ import annotations

import datetime as dt

from cme.rules.cme1 import MINIMUM_SCHOOL_DAYS
from cme.rules.deletion.model import DeletionFacts, DeletionGround

FOUR_WEEKS = dt.timedelta(weeks=4)


def _enquiry_reasons(facts: DeletionFacts, deleted_on: dt.date) -> list[str]:
    reasons = []
    if facts.enquiry_school_days is not None:
        # The register holds the CME1: its enquiries counted in school days on the school's
        # calendar (cme.rules.cme1), four school weeks.
        if facts.enquiry_school_days < MINIMUM_SCHOOL_DAYS:
            reasons.append(
                f"Local policy: the CME1 enquiries ran {facts.enquiry_school_days} school days "
                f"before the deletion; they must run {MINIMUM_SCHOOL_DAYS} (four weeks)."
            )
    elif facts.enquiries_started_on is None:
        reasons.append("Local policy: no start date for enquiries; they must run four weeks.")
    elif deleted_on < facts.enquiries_started_on + FOUR_WEEKS:
        reasons.append(
            "Local policy: enquiries began on "
            f"{facts.enquiries_started_on}; they must run four weeks, until "
            f"{facts.enquiries_started_on + FOUR_WEEKS}."
        )
    if not facts.cme1_signed_off:
        reasons.append("Local policy: the CME1 checklist has not been completed and signed off.")
    return reasons


def _traveller_reasons(facts: DeletionFacts, deleted_on: dt.date) -> list[str]:
    if facts.traveller_return_date is not None:
        if deleted_on <= facts.traveller_return_date:
            return [
                "Local policy: a traveller child stays on roll until the notified return date "
                f"({facts.traveller_return_date})."
            ]
        return []
    if facts.traveller_left_on is None:
        return ["Local policy: the date the traveller family left is not recorded."]
    if deleted_on <= facts.traveller_left_on + FOUR_WEEKS:
        return ["Local policy: a traveller child with no return date stays on roll for four weeks."]
    if not facts.cme1_signed_off:
        return [
            "Local policy: a traveller child away over four weeks with no return date needs "
            "the CME1 checklist completed before removal."
        ]
    return []


def policy_reasons(ground: DeletionGround, facts: DeletionFacts, deleted_on: dt.date) -> list[str]:
    """Every local rule the proposed deletion breaks."""
    if not ground.missing_or_moved:
        return []
    reasons = []
    if facts.new_address_in_same_la and not facts.on_another_roll_in_la:
        reasons.append(
            "Local policy: the family has moved within the city, so the pupil stays on roll "
            "until on another school's roll."
        )
    if ground.joint_enquiries or not facts.whereabouts_known:
        reasons.extend(_enquiry_reasons(facts, deleted_on))
    if facts.traveller:
        reasons.extend(r for r in _traveller_reasons(facts, deleted_on) if r not in reasons)
    return reasons
