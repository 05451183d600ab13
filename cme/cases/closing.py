"""When a case may close, and when closing needs a reason: the rules `case_close` applies.

Issue 10: a case could close as "Found on a school roll" without naming the school, as lost
before anyone had looked, and with its action plan's actions still open. These rules say, for
each way a case can end, which states it can end from, and which closings must be explained:

* An outcome is refused from a state where it makes no sense (`ALLOWED_FROM`): a child is
  "whereabouts unknown after all enquiries" only once enquiries to locate them have been made
  (Locating); "back in education" only from In provision, once the provision has been watched.
* "Found on a school roll" names the school.
* Closing while the action plan has open actions, or with no action plan once the case is past
  engagement (Engaging or In provision, where the policy's key worker owns a plan), needs a
  reason, which is kept on the timeline and in the audit trail.

Nothing here writes; `cme.cases.services.case_close` asks, then writes.
"""

from __future__ import annotations

from .models import Case, CaseStatus, Outcome

_ENQUIRED = frozenset(
    {CaseStatus.CHECKING, CaseStatus.LOCATING, CaseStatus.ENGAGING, CaseStatus.IN_PROVISION}
)
_ANY_OPEN = _ENQUIRED | {CaseStatus.REFERRED}
PAST_ENGAGEMENT = frozenset({CaseStatus.ENGAGING, CaseStatus.IN_PROVISION})

ALLOWED_FROM: dict[str, frozenset[str]] = {
    # A school's return or an EMS match can show the child on roll at any point.
    Outcome.ON_ROLL: _ANY_OPEN,
    # Back in education: the provision recorded, started and watched (cme.cases.provision).
    Outcome.IN_PROVISION: frozenset({CaseStatus.IN_PROVISION}),
    # Suitable home education is a finding of the checks or of engagement, not of a referral.
    Outcome.HOME_EDUCATED: _ENQUIRED,
    Outcome.TRANSFERRED: _ENQUIRED,
    Outcome.LEFT_COUNTRY: _ENQUIRED,
    # "Whereabouts unknown after all enquiries": only once the enquiries to locate are made.
    Outcome.LOST: frozenset({CaseStatus.LOCATING}),
    Outcome.NOT_COMPULSORY_AGE: _ANY_OPEN,
    Outcome.DECEASED: _ANY_OPEN,
    Outcome.DUPLICATE: _ANY_OPEN,
}

_WHY_NOT: dict[str, str] = {
    Outcome.IN_PROVISION: (
        "A case closes as back in education only once the provision has started and its "
        "attendance has been watched (the case is then In provision). Record the provision first."
    ),
    Outcome.LOST: (
        "A case closes as whereabouts unknown only after the enquiries to locate the child. "
        "Move the case to Locating and make the enquiries first."
    ),
}


def outcome_refusal(case: Case, outcome: str) -> str:
    """Why this case cannot close with this outcome from its state, or "" when it can."""
    if outcome not in ALLOWED_FROM or case.status in ALLOWED_FROM[outcome]:
        return ""
    status = CaseStatus(case.status).label.lower()
    return _WHY_NOT.get(
        outcome,
        f"A case that is {status} cannot close as "
        f"“{Outcome(outcome).label.lower()}”. Check the child first.",
    )


def open_action_count(case: Case) -> int:
    """Open actions on the case's action plan (0 with no plan). Plans sit above cases, so the
    plan is reached by its relation, never imported."""
    plan = getattr(case, "plan", None)
    return plan.actions.filter(done_on__isnull=True).count() if plan is not None else 0


def reason_needed(case: Case) -> str:
    """What a closing of this case must explain (the prompt shown to the officer), or ""."""
    open_actions = open_action_count(case)
    if open_actions:
        return (
            f"The action plan has {open_actions} open action{'s' if open_actions != 1 else ''}. "
            "Say why the case can close before they are done"
        )
    if case.status in PAST_ENGAGEMENT and getattr(case, "plan", None) is None:
        return (
            "The case is past engagement but has no action plan. Say why it can close without one"
        )
    return ""
