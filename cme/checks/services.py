"""The Check step: run every source on a case, and the officer's decisions on what it found.

Nothing here moves the case on: a check records what was searched, by whom and when, and
what was found; the officer decides, and closes or moves the case with the case services.
Every write adds to the case's timeline and the audit trail in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cme.accounts.models import Role
from cme.accounts.permissions import Action, can
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.cases.models import Case, CaseEventKind
from cme.cases.scopes import case_in_scope
from cme.cases.services import case_event_add, case_refer_to_paews
from cme.core.errors import NotAllowed

from .models import (
    CandidateDecision,
    Check,
    CheckCandidate,
    Decision,
    HomeEducatedChild,
    HomeEducationStatus,
)
from .selectors import ems_productive
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
    if not can(user, Action.TRIAGE) or not case_in_scope(user, case):
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


# The elective home education register, kept in the app: one of the four sources a check
# searches (the policy's "Home Educated Database"). The CME team adds children and ends their
# entries; nothing is deleted, and each change is audited.


@dataclass(frozen=True)
class NewEntry:
    forename: str
    surname: str
    started_on: date
    middle_names: str = ""
    date_of_birth: date | None = None
    sex: str = "U"
    address: str = ""
    postcode: str = ""
    notes: str = ""


def _require(user: Any) -> None:
    if not can(user, Action.TRIAGE):
        raise NotAllowed


@transaction.atomic
def home_education_add(*, entry: NewEntry, by: Any) -> HomeEducatedChild:
    _require(by)
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if entry.started_on > today:
        errors["started_on"] = ["The start date must be today or earlier"]
    if entry.date_of_birth and entry.date_of_birth > today:
        errors["date_of_birth"] = ["Date of birth must be in the past"]
    if errors:
        raise ValidationError(errors)
    child = HomeEducatedChild(**entry.__dict__)
    child.full_clean()
    child.save()
    audit_record(actor=by, verb=Verb.CREATE, subject=child)
    return child


@transaction.atomic
def home_education_end(*, child: HomeEducatedChild, ended_on: date, reason: str, by: Any) -> None:
    _require(by)
    child = HomeEducatedChild.objects.select_for_update().get(pk=child.pk)
    if child.status == HomeEducationStatus.ENDED:
        raise ValidationError("This child's home education has already ended.")
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = ["Say why home education ended (for example, started at a school)"]
    if ended_on < child.started_on or ended_on > timezone.localdate():
        errors["ended_on"] = ["The end date must be between the start date and today"]
    if errors:
        raise ValidationError(errors)
    child.status, child.ended_on = HomeEducationStatus.ENDED, ended_on
    child.notes = f"{child.notes}\nEnded {ended_on:%d %b %Y}: {reason.strip()}".strip()
    child.save(update_fields=["status", "ended_on", "notes", "updated_at"])
    audit_record(actor=by, verb=Verb.UPDATE, subject=child, details={"ended": True})
