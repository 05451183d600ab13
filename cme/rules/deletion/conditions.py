"""Each limb of each ground, tested against the facts; a failed limb gives a plain reason."""

from __future__ import annotations

from collections.abc import Callable

from cme.rules.deletion.model import Condition, DeletionFacts
from cme.rules.regulations import RuleSet

# SI 2024/208 reg 9(1)(i): every session in the 20 days coded G, N or O (Table 3, reg 10).
UNAUTHORISED_2024 = frozenset({"G", "N", "O"})
# SI 2006/1751 reg 8(1)(h)(i): at no time authorised; U (late after registers closed) was
# unauthorised too under the 2006 guidance.
UNAUTHORISED_2006 = frozenset({"G", "N", "O", "U"})
LEAVE_SCHOOL_DAYS = 10
ABSENCE_SCHOOL_DAYS = 20
DETENTION_MONTHS = 4

Check = Callable[[DeletionFacts, RuleSet], str | None]


def _absence(facts: DeletionFacts, rules: RuleSet) -> str | None:
    if facts.continuous_absence_school_days < ABSENCE_SCHOOL_DAYS:
        return (
            f"The pupil has been continuously absent for {facts.continuous_absence_school_days} "
            f"school days; the ground needs at least {ABSENCE_SCHOOL_DAYS}."
        )
    if not facts.absence_codes:
        return "No attendance codes were given for the period of absence."
    allowed = UNAUTHORISED_2024 if rules is RuleSet.REGS_2024 else UNAUTHORISED_2006
    others = sorted({code.strip().upper() for code in facts.absence_codes} - allowed)
    if others:
        return (
            f"Sessions in the absence were coded {', '.join(others)}; every session must be "
            f"coded {', '.join(sorted(allowed))} (unauthorised absence)."
        )
    return None


def _leave(facts: DeletionFacts, _: RuleSet) -> str | None:
    if facts.leave_ended_on is None:
        return "No leave of absence end date was given."
    if facts.school_days_since_leave_ended < LEAVE_SCHOOL_DAYS:
        return (
            f"Only {facts.school_days_since_leave_ended} school days have passed since leave "
            f"ended on {facts.leave_ended_on}; the pupil has 10 school days to return."
        )
    return None


def _enquiries(facts: DeletionFacts, rules: RuleSet) -> str | None:
    missing = [
        who
        for who, made in (
            ("the school", facts.school_enquiries_made),
            ("the LA", facts.la_enquiries_made),
        )
        if not made
    ]
    if missing:
        return f"No record of enquiries by {' or '.join(missing)}; the enquiries must be joint."
    if facts.whereabouts_known:
        # 2024 limb (bb): found, and both agree the pupil will not attend again.
        if rules is RuleSet.REGS_2024 and facts.agreed_will_not_return:
            return None
        return "The pupil's whereabouts are known, so the enquiries did not fail to find them."
    return None


def _detained(facts: DeletionFacts, _: RuleSet) -> str | None:
    if facts.detention_order_months < DETENTION_MONTHS:
        return "The pupil is not detained under an order of at least four months."
    if facts.expected_back_after_detention:
        return "The school expects the pupil back at the end of the detention."
    return None


def _moved(facts: DeletionFacts, _: RuleSet) -> str | None:
    if facts.boarder:
        return "The pupil is a boarder; distance from home is not a ground for a boarder."
    if not facts.lives_beyond_reasonable_distance:
        return "The pupil has not been shown to live beyond a reasonable distance of the school."
    return None


def _flag(attribute: str, reason: str, *, negate: bool = False) -> Check:
    def check(facts: DeletionFacts, _: RuleSet) -> str | None:
        return reason if bool(getattr(facts, attribute)) == negate else None

    return check


CHECKS: dict[Condition, Check] = {
    Condition.SAO_CHANGED: _flag(
        "sao_amended_or_revoked", "No LA decision amending or revoking the attendance order."
    ),
    Condition.REGISTERED_ELSEWHERE: _flag(
        "registered_at_another_school", "The pupil is not known to be registered at another school."
    ),
    Condition.OTHER_SCHOOLS_CONSENTED: _flag(
        "other_schools_consented",
        "Not every other school where the pupil is registered has consented.",
    ),
    Condition.CEASED_TO_ATTEND: _flag("ceased_to_attend", "The pupil has not ceased to attend."),
    Condition.NOT_EXPECTED_BACK: _flag(
        "expected_to_attend_again",
        "The school has reasonable grounds to expect the pupil to attend again.",
        negate=True,
    ),
    Condition.PARENT_NOTICE_HOME_EDUCATION: _flag(
        "parent_written_notice_home_education",
        "There is no written notice from the parent that the pupil is to be educated otherwise.",
    ),
    Condition.MOVED_AWAY: _moved,
    Condition.LEAVE_NOT_RETURNED: _leave,
    Condition.CONTINUOUS_ABSENCE: _absence,
    Condition.NO_SICKNESS_GROUNDS: _flag(
        "sickness_or_unavoidable_cause_believed",
        "The school believes the pupil may be ill or unavoidably prevented from attending.",
        negate=True,
    ),
    Condition.JOINT_ENQUIRIES_FAILED: _enquiries,
    Condition.MEDICALLY_UNFIT: _flag(
        "medically_unfit", "The pupil has not been certified medically unfit to attend."
    ),
    Condition.DETAINED: _detained,
    Condition.DIED: _flag("died", "The pupil's death has not been recorded."),
    Condition.CEASES_CSA: _flag(
        "ceases_csa_before_school_next_meets",
        "The pupil does not cease to be of compulsory school age before the school next meets.",
    ),
    Condition.CEASED_PUPIL_NON_MAINTAINED: _flag(
        "ceased_to_be_pupil", "The pupil has not ceased to be a pupil of the school."
    ),
    Condition.PERMANENTLY_EXCLUDED: _flag(
        "permanently_excluded", "The pupil has not been permanently excluded."
    ),
    Condition.NURSERY_NOT_TRANSFERRING: _flag(
        "nursery_completed_not_transferring",
        "The pupil is not a nursery pupil who has finished without transferring to reception.",
    ),
    Condition.BOARDING_UNPAID: _flag(
        "boarding_charges_unpaid_at_term_end",
        "Boarding charges are not shown as unpaid at the end of the term.",
    ),
}


def _ceases_csa_extra(facts: DeletionFacts, _: RuleSet) -> str | None:
    if (
        facts.ceases_csa_before_school_next_meets
        and not facts.leaving_indicated_or_no_sixth_form_place
    ):
        return "The parent has not said the pupil is leaving, and the pupil has a sixth-form place."
    return None


EXTRA_CHECKS: dict[Condition, Check] = {Condition.CEASES_CSA: _ceases_csa_extra}


def failed_conditions(
    conditions: tuple[Condition, ...], facts: DeletionFacts, rules: RuleSet
) -> list[str]:
    reasons = []
    for condition in conditions:
        for check in (CHECKS[condition], EXTRA_CHECKS.get(condition)):
            reason = check(facts, rules) if check else None
            if reason:
                reasons.append(reason)
    return reasons
