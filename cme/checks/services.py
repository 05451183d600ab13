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
from cme.cases.services import case_event_add, case_name_school, case_refer_to_paews
from cme.core.errors import NotAllowed
from cme.schools.models import Establishment

from .home_education import home_education_link
from .models import (
    CandidateDecision,
    Check,
    CheckCandidate,
    Decision,
    HomeEducatedChild,
    HomeEducationStatus,
    PupilOnRoll,
)
from .selectors import ems_productive
from .sources import Source, all_sources, child_record

CANDIDATES_PER_SOURCE = 5
DECISION_VERB = {
    Decision.CONFIRMED: Verb.CANDIDATE_CONFIRMED,
    Decision.REJECTED: Verb.CANDIDATE_REJECTED,
    Decision.PENDING: Verb.CANDIDATE_REOPENED,
}
HOME_EDUCATION_SOURCE = "home_education"
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
    """Confirm a record as the child. A record on a school roll names that school on the case
    (the officer is then offered to close the case as on roll, or to keep monitoring); an
    entry on the home education register is linked to the child."""
    candidate = _decide(
        candidate=candidate,
        by=by,
        to=Decision.CONFIRMED,
        reason=reason.strip(),
        allowed_from={Decision.PENDING},
    )
    case = candidate.check_run.case
    if (school := roll_school(candidate)) is not None:
        where = "on roll" if candidate.details.get("on_roll") else "last on roll"
        case_name_school(
            case=case,
            school=school,
            by=by,
            why=f"Confirmed {where} there by the check of {candidate.check_run.source_label}.",
        )
    elif candidate.source == HOME_EDUCATION_SOURCE:
        entry = HomeEducatedChild.objects.filter(pk=int(candidate.source_record_id)).first()
        if entry is not None:
            home_education_link(entry=entry, child=case.child, by=by)
    return candidate


def roll_school(candidate: CheckCandidate) -> Establishment | None:
    """The school whose roll a candidate was found on, or None for a source that is not a
    school roll. The URN kept with the candidate survives a reload of the roll; older
    candidates without one fall back to the pupil row, if it is still there."""
    if candidate.source not in {s.name for s in all_sources() if s.on_roll}:
        return None
    urn = candidate.details.get("urn")
    if urn:
        return Establishment.objects.filter(urn=urn).first()
    pupil = (
        PupilOnRoll.objects.filter(pk=int(candidate.source_record_id))
        .select_related("establishment")
        .first()
        if candidate.source_record_id.isdigit()
        else None
    )
    return pupil.establishment if pupil is not None else None


def offers_close_on_roll(candidate: CheckCandidate) -> bool:
    """After confirming: is the child on this school's roll now, on an open case?"""
    return (
        candidate.decision == Decision.CONFIRMED
        and bool(candidate.details.get("on_roll"))
        and candidate.check_run.case.is_open
        and roll_school(candidate) is not None
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
def home_education_end(
    *,
    child: HomeEducatedChild,
    ended_on: date,
    reason: str,
    by: Any,
    to_school: bool | str = False,
) -> None:
    """End an entry. `to_school`: the child started at, or went back to, a school (DfE's
    "returns to education"); the form's "yes"/"no" or a bool."""
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
    child.returned_to_school = to_school in (True, "yes")
    child.notes = f"{child.notes}\nEnded {ended_on.day} {ended_on:%B %Y}: {reason.strip()}".strip()
    child.save(update_fields=["status", "ended_on", "returned_to_school", "notes", "updated_at"])
    audit_record(
        actor=by,
        verb=Verb.UPDATE,
        subject=child,
        details={"ended": True, "returned_to_school": child.returned_to_school},
    )


@transaction.atomic
def case_keep_monitoring(*, candidate: CheckCandidate, by: Any, note: str = "") -> Case:
    """The officer chose not to close on a confirmed roll match: the case stays open to
    watch the child's attendance, and the timeline says so."""
    candidate = CheckCandidate.objects.select_related("check_run__case").get(pk=candidate.pk)
    case = candidate.check_run.case
    _allowed(by, case)
    if not offers_close_on_roll(candidate):
        raise ValidationError("This record is not a confirmed match on a school roll.")
    school = roll_school(candidate)
    text = f"On roll at {school.name if school else 'the school'}; case kept open to monitor."
    _event(case, by=by, text=f"{text} {note.strip()}".strip())
    audit_record(
        actor=by,
        verb=Verb.UPDATE,
        subject=case,
        child_id=case.child_id,
        details={"kept_open": True, "candidate": candidate.pk},
    )
    return case
