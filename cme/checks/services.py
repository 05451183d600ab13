"""The Check step: run every source on a case, and the officer's decisions on what it found.

Nothing here moves the case on: a check records what was searched, by whom and when, and
what was found; the officer decides, and closes or moves the case with the case services.
Every write adds to the case's timeline and the audit trail in the same transaction.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cme.accounts.models import Role
from cme.accounts.permissions import Action, can, case_scope
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.cases.models import Case, CaseEventKind
from cme.cases.services import case_event_add, case_refer_to_paews
from cme.core.errors import NotAllowed

from .models import CandidateDecision, Check, CheckCandidate, Decision
from .sources import Source, all_sources, child_record

CANDIDATES_PER_SOURCE = 5
DECISION_VERB = {
    Decision.CONFIRMED: Verb.CANDIDATE_CONFIRMED,
    Decision.REJECTED: Verb.CANDIDATE_REJECTED,
    Decision.PENDING: Verb.CANDIDATE_REOPENED,
}
PAEWS_PROMPT = (
    "No likely match on a school roll in the EMS search. The policy requires a referral to "
    "PAEWS when an EMS search is not productive."
)


def _allowed(user: Any, case: Case) -> None:
    """CME team (triage) and the case in the user's scope; NotAllowed otherwise."""
    if (
        not can(user, Action.TRIAGE)
        or not Case.objects.filter(case_scope(user), pk=case.pk).exists()
    ):
        raise NotAllowed


def _event(case: Case, *, by: Any, text: str) -> None:
    case_event_add(case=case, kind=CaseEventKind.CHECK, by=by, text=text)


def _run_one(case: Case, source: Source, record: dict[str, Any], by: Any, at: Any) -> Check:
    found = source.candidates(record, limit=CANDIDATES_PER_SOURCE)
    check = Check.objects.create(
        case=case,
        source=source.name,
        source_label=source.label,
        records_searched=source.size(),
        run_by=by,
        run_at=at,
        candidate_count=len(found),
    )
    CheckCandidate.objects.bulk_create(
        CheckCandidate(
            check_run=check,
            source=c.source,
            source_record_id=c.record_id,
            rank=rank,
            probability=min(max(c.probability, 0.0), 1.0),
            band=c.band,
            reasons=c.reasons,
            details=c.details,
        )
        for rank, c in enumerate(found, start=1)
    )
    return check


def ems_productive(checks: list[Check]) -> bool | None:
    """Did the on-roll search find the child? None if no on-roll source was searched."""
    on_roll = {s.name for s in all_sources() if s.on_roll}
    searched = [c for c in checks if c.source in on_roll]
    if not searched:
        return None
    candidates = CheckCandidate.objects.filter(check_run__in=searched)
    return candidates.filter(band="likely").exclude(decision=Decision.REJECTED).exists() or (
        candidates.filter(decision=Decision.CONFIRMED).exists()
    )


@transaction.atomic
def check_run(*, case: Case, by: Any, sources: list[Source] | None = None) -> list[Check]:
    """Search every source (or those given) for the case's child and record what was found."""
    _allowed(by, case)
    case = Case.objects.select_for_update().select_related("child").get(pk=case.pk)
    if not case.is_open:
        raise ValidationError("This case is closed. Reopen it before checking again.")
    record = child_record(case.child)
    at = timezone.now()
    checks = [_run_one(case, s, record, by, at) for s in sources or all_sources()]
    found = ", ".join(f"{c.source_label}: {c.candidate_count} found" for c in checks)
    _event(case, by=by, text=f"Checked {len(checks)} sources. {found}.")
    if ems_productive(checks) is False:
        _event(case, by=by, text=PAEWS_PROMPT)
    audit_record(
        actor=by,
        verb=Verb.SEARCH,
        subject=case,
        child_id=case.child_id,
        details={"checks": {c.source: c.candidate_count for c in checks}},
    )
    return checks


def _decide(
    *, candidate: CheckCandidate, by: Any, to: str, reason: str, allowed_from: set[str]
) -> CheckCandidate:
    candidate = (
        CheckCandidate.objects.select_for_update()
        .select_related("check_run__case")
        .get(pk=candidate.pk)
    )
    case = candidate.check_run.case
    _allowed(by, case)
    if candidate.decision not in allowed_from:
        raise ValidationError(
            f"This record is already {candidate.get_decision_display().lower()}; "
            "reopen it first to change the decision."
            if to != Decision.PENDING
            else "This record has not been decided yet."
        )
    now = timezone.now()
    CandidateDecision.objects.create(
        candidate=candidate, decision=to, previous=candidate.decision, by=by, at=now, reason=reason
    )
    before = candidate.get_decision_display()
    candidate.decision = to
    decided = to != Decision.PENDING
    candidate.decided_by = by if decided else None
    candidate.decided_at = now if decided else None
    candidate.decision_reason = reason if decided else ""
    candidate.full_clean()
    candidate.save()
    name = candidate.details.get("name", candidate.source_record_id)
    verb = {
        Decision.CONFIRMED: "Confirmed as this child",
        Decision.REJECTED: "Rejected as not this child",
        Decision.PENDING: f"Decision reopened (was: {before.lower()})",
    }[Decision(to)]
    text = f"{verb}: {name} in {candidate.check_run.source_label}."
    _event(case, by=by, text=f"{text} {reason}".strip())
    audit_record(
        actor=by,
        verb=DECISION_VERB[Decision(to)],
        subject=candidate,
        child_id=case.child_id,
        details={"decision": to, "previous": before, "reason": reason},
    )
    return candidate


@transaction.atomic
def candidate_confirm(*, candidate: CheckCandidate, by: Any, reason: str = "") -> CheckCandidate:
    return _decide(
        candidate=candidate,
        by=by,
        to=Decision.CONFIRMED,
        reason=reason.strip(),
        allowed_from={Decision.PENDING},
    )


@transaction.atomic
def candidate_reject(*, candidate: CheckCandidate, by: Any, reason: str) -> CheckCandidate:
    if not reason.strip():
        raise ValidationError({"reason": ["Say why this is not the child"]})
    return _decide(
        candidate=candidate,
        by=by,
        to=Decision.REJECTED,
        reason=reason.strip(),
        allowed_from={Decision.PENDING},
    )


@transaction.atomic
def candidate_reopen(*, candidate: CheckCandidate, by: Any, reason: str) -> CheckCandidate:
    """Undo a confirmation or rejection; the earlier decision stays in the history."""
    if not reason.strip():
        raise ValidationError({"reason": ["Say why the decision is being reopened"]})
    return _decide(
        candidate=candidate,
        by=by,
        to=Decision.PENDING,
        reason=reason.strip(),
        allowed_from={Decision.CONFIRMED, Decision.REJECTED},
    )


@transaction.atomic
def paews_refer(*, case: Case, by: Any, paews_officer: Any, note: str = "") -> Case:
    """The referral to PAEWS that the policy requires when the EMS search finds nothing."""
    _allowed(by, case)
    if paews_officer is None or paews_officer.role != Role.PAEWS_OFFICER:
        raise ValidationError({"paews_officer": ["Choose someone from the PAEWS team"]})
    text = f"Referred to PAEWS ({paews_officer}): the EMS search was not productive."
    return case_refer_to_paews(
        case=case, by=by, paews_officer=paews_officer, why=f"{text} {note.strip()}".strip()
    )
