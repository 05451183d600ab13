"""When a case may close, and when closing needs a reason: the rules `case_close` applies.

Issue 10: a case could close as "Found on a school roll" without naming the school, as lost
before anyone had looked, and with its action plan's actions still open. These rules say, for
each way a case can end, which states it can end from, and which closings must be explained:

* An outcome is refused from a state where it makes no sense (`ALLOWED_FROM`): a child is
  "whereabouts unknown after all enquiries" never straight from a referral (and only once the
  enquiries are made, below); "back in education" only from In provision, once the provision
  has been watched.
* "Found on a school roll" names the school.
* Closing while the action plan has open actions, or with no action plan once the case is past
  engagement (Engaging or In provision, where the policy's key worker owns a plan), needs a
  reason, which is kept on the timeline and in the audit trail.

And what a step above the register may require before a case closes with a given outcome.
The register cannot import the steps (docs/architecture.md), yet some outcomes need their
evidence: a case closes as "whereabouts unknown after all enquiries" only once the enquiries
have been made (Liverpool CME policy, "Checking process" and the CME1 checklist; SI 2024/208
reg 9(1)(h)(iii) and (i)(iii) require the school and the LA to have tried to locate the
child). So a step registers a requirement here when Django starts (its AppConfig.ready), and
`case_close` asks every registered requirement before it closes anything.

Nothing here writes; `cme.cases.services.case_close` asks, then writes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
    # "Whereabouts unknown after all enquiries": never straight from a referral; the
    # enquiries themselves are the enquiries step's requirement (close_requirement_register).
    Outcome.LOST: _ENQUIRED,
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
        "Check the child and make the enquiries first."
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


# Given the case (locked for the close) and the outcome asked for, a requirement returns the
# sentences that say what is still missing, or none when the case may close so.
CloseRequirement = Callable[[Any, str], list[str]]

_REQUIREMENTS: dict[str, CloseRequirement] = {}


def close_requirement_register(name: str, requirement: CloseRequirement) -> None:
    """Register (or replace, so a reload is harmless) a step's requirement under its name."""
    _REQUIREMENTS[name] = requirement


def close_refusals(case: Any, outcome: str) -> list[str]:
    """Every registered requirement's objections to closing `case` with `outcome`."""
    return [reason for _, check in sorted(_REQUIREMENTS.items()) for reason in check(case, outcome)]
