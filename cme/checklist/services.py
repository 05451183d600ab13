"""Writing CME1 checklists: open, record a step, send to the PAEWS officer, sign off or return.

Each is one transaction with its audit event; each checks who may (cme1_rights) and the state
it moves from; each can be sent twice (a double click, Back and send again, a reload) and
does the thing once. On sign-off with the whereabouts unknown the child is referred to the
register on the school route, with the checklist as the evidence, and the school is told its
CTF duty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cme.accounts.record_access import Cme1Right
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.calendars.selectors import school_calendar
from cme.cases.models import OPEN_STATUSES, Case, CaseEventKind
from cme.cases.services import case_event_add
from cme.checks.models import PupilOnRoll
from cme.core.errors import NotAllowed
from cme.core.notify import absolute, email_on_commit
from cme.people.models import Child
from cme.referrals.models import Reason, Referral, Route
from cme.referrals.services import referral_record
from cme.rules import RulesError, ctf_due_after_leaving, validate_upn
from cme.rules.cme1 import (
    JOINT_CITATION,
    EnquiryPeriod,
    Party,
    RecordedStep,
    party_problem,
    step,
    submission_problems,
)
from cme.rules.ctf import UNKNOWN_CODE

from .models import Checklist, OutcomeChoice, Status, Step
from .selectors import own_school, period_of, rights_for

REASONS_REQUIRED = "Say why you are returning the checklist, so the school knows what to do next"


def _require(user: Any, checklist: Checklist, right: Cme1Right) -> None:
    if right not in rights_for(user, checklist):
        raise NotAllowed


def _locked(checklist: Checklist) -> Checklist:
    return Checklist.objects.select_for_update().select_related("school").get(pk=checklist.pk)


def _bump(checklist: Checklist, *fields: str) -> None:
    checklist.version += 1
    checklist.full_clean()
    checklist.save(update_fields=[*fields, "version"])


def _pupil_problems(pupil: dict[str, Any], first_day_absent: date | None) -> dict[str, list[str]]:
    today = timezone.localdate()
    problems: dict[str, list[str]] = {}
    if not pupil.get("forename"):
        problems["forename"] = ["Enter the pupil's first name"]
    if not pupil.get("surname"):
        problems["surname"] = ["Enter the pupil's last name"]
    born = pupil.get("date_of_birth")
    if born is None:
        problems["date_of_birth"] = ["Enter the pupil's date of birth"]
    elif born >= today:
        problems["date_of_birth"] = ["The date of birth must be in the past"]
    if pupil.get("upn"):
        errors = validate_upn(pupil["upn"])
        if errors:
            problems["upn"] = list(errors)
    if first_day_absent is None:
        problems["first_day_absent"] = ["Enter the first day the pupil was absent"]
    elif first_day_absent > today:
        problems["first_day_absent"] = ["The first day of absence must be today or earlier"]
    elif born is not None and first_day_absent <= born:
        problems["first_day_absent"] = ["The first day of absence must be after the date of birth"]
    return problems


def _same_pupil(pupil: dict[str, Any]) -> Q:
    same = Q(forename__iexact=pupil["forename"], surname__iexact=pupil["surname"],
             date_of_birth=pupil["date_of_birth"])  # fmt: skip
    if pupil.get("upn"):
        same |= Q(upn=pupil["upn"])
    return same


@transaction.atomic
def checklist_open(
    *, by: Any, pupil: dict[str, Any], first_day_absent: date | None, submission_key: str = ""
) -> Checklist:
    """A school's staff open a CME1 for a pupil on their roll whose whereabouts are unknown.

    A pupil the EMS extract does not show on the school's roll is accepted (the extract may be
    older than the school's own register) and the page says so."""
    school = own_school(by)
    if school is None:
        raise NotAllowed
    if submission_key:
        already = Checklist.objects.filter(opened_by=by, submission_key=submission_key).first()
        if already is not None:
            return already
    pupil = {k: (v.strip() if isinstance(v, str) else v) for k, v in pupil.items()}
    pupil["upn"] = "".join(str(pupil.get("upn") or "").split()).upper()
    problems = _pupil_problems(pupil, first_day_absent)
    if problems or first_day_absent is None:
        raise ValidationError(problems)
    in_progress = (
        Checklist.objects.filter(_same_pupil(pupil), school=school)
        .exclude(status=Status.SIGNED_OFF)
        .first()
    )
    if in_progress is not None:
        raise ValidationError(
            "Your school already has a CME1 checklist in progress for this pupil (checklist "
            f"{in_progress.pk}): carry on with that one from your list of checklists"
        )
    child = Child.objects.filter(upn=pupil["upn"]).order_by("pk").first() if pupil["upn"] else None
    on_roll = PupilOnRoll.objects.filter(
        _same_pupil(pupil), establishment=school, leaving_date__isnull=True
    ).exists()
    checklist = Checklist(
        school=school,
        forename=pupil["forename"],
        surname=pupil["surname"],
        date_of_birth=pupil["date_of_birth"],
        sex=pupil.get("sex") or "U",
        upn=pupil["upn"],
        address_line_1=pupil.get("address_line_1") or "",
        postcode=pupil.get("postcode") or "",
        first_day_absent=first_day_absent,
        child=child,
        on_ems_roll=on_roll,
        opened_by=by,
        opened_at=timezone.now(),
        submission_key=submission_key,
    )
    checklist.full_clean(validate_constraints=False)
    checklist.save()
    audit_record(actor=by, verb=Verb.CREATE, subject=checklist, child_id=checklist.child_id)
    return checklist


def _step_problems(
    *, checklist: Checklist, by: Any, kind: str, party: str, done_on: date | None, done_by: str,
    outcome: str,
) -> dict[str, list[str]]:  # fmt: skip
    problems: dict[str, list[str]] = {}
    wrong_party = party_problem(key=kind, party=party)
    if wrong_party:
        problems["kind" if "Choose a step" in wrong_party else "party"] = [wrong_party]
    school_user = own_school(by) is not None
    if school_user and party == Party.COUNCIL:
        problems.setdefault("party", []).append(
            "A school cannot record the council's enquiries as the council's: the PAEWS officer "
            "or the CME team records them, or record the step as made jointly"
        )
    if not school_user and party == Party.SCHOOL:
        problems.setdefault("party", []).append(
            "The school records its own steps: choose the council, or jointly with the school"
        )
    if done_on is None:
        problems["done_on"] = ["Enter the date the step was made"]
    elif done_on > timezone.localdate():
        problems["done_on"] = ["The date of the step must be today or earlier"]
    elif done_on < checklist.first_day_absent:
        problems["done_on"] = [
            "The date of the step must be on or after the first day of absence "
            f"({checklist.first_day_absent:%-d %B %Y})"
        ]
    if not done_by.strip():
        problems["done_by"] = ["Enter who made the step (a name and role)"]
    if not outcome.strip():
        problems["outcome"] = ["Enter what came of the step, or why it could not be done"]
    return problems


@transaction.atomic
def checklist_step_add(
    *,
    checklist: Checklist,
    by: Any,
    kind: str,
    done_on: date | None,
    party: str,
    done_by: str,
    outcome: str,
    could_not_be_done: bool = False,
    submission_key: str = "",
) -> Step:
    """Record one step of the checklist. The school records its own and joint steps while
    the checklist is with it; the council (the PAEWS officer it was sent to, the CME team)
    records its own and joint steps until it is signed off."""
    checklist = _locked(checklist)
    _require(by, checklist, Cme1Right.ADD_STEPS)
    if submission_key:
        already = checklist.steps.filter(submission_key=submission_key).first()
        if already is not None:
            return already
    if checklist.status == Status.SIGNED_OFF:
        raise ValidationError("This checklist has been signed off: no more steps can be added")
    if own_school(by) is not None and not checklist.editable:
        raise ValidationError(
            "The checklist is with the PAEWS officer: you can add steps again if it is returned"
        )
    problems = _step_problems(
        checklist=checklist, by=by, kind=kind, party=party, done_on=done_on, done_by=done_by,
        outcome=outcome,
    )  # fmt: skip
    if problems or done_on is None:
        raise ValidationError(problems)
    made = Step(
        checklist=checklist,
        kind=kind,
        done_on=done_on,
        party=party,
        done_by=done_by.strip(),
        outcome=outcome.strip(),
        could_not_be_done=could_not_be_done,
        recorded_by=by,
        recorded_at=timezone.now(),
        submission_key=submission_key,
    )
    made.full_clean(validate_constraints=False)
    made.save()
    _bump(checklist)
    audit_record(
        actor=by,
        verb=Verb.UPDATE,
        subject=checklist,
        child_id=checklist.child_id,
        details={"step": kind, "party": party, "could_not_be_done": could_not_be_done},
    )
    return made


def readiness(
    checklist: Checklist,
    *,
    on: date,
    outcome: str,
    counted: tuple[EnquiryPeriod | None, str] | None = None,
) -> list[str]:
    """What stops the checklist going to (or being signed off by) the PAEWS officer.
    `counted` is the period already counted on `on` (the page counts it once)."""
    steps = list(checklist.steps.all())
    period, problem = counted if counted is not None else period_of(checklist, on=on)
    problems = submission_problems(
        steps=[RecordedStep(s.kind, Party(s.party), s.done_on) for s in steps],
        period=period,
        outcome=outcome,
    )
    if problem:
        problems = [p for p in problems if "minimum period" not in p] + [problem]
    return problems


@transaction.atomic
def checklist_submit(
    *, checklist: Checklist, by: Any, outcome: str, found_details: str = ""
) -> Checklist:
    """Send the checklist to the school's PAEWS officer, once every step is recorded, one at
    least made jointly, and the minimum period run. Sent again: nothing changes."""
    checklist = _locked(checklist)
    _require(by, checklist, Cme1Right.OPEN_AND_SEND)
    if checklist.status in {Status.SUBMITTED, Status.SIGNED_OFF}:
        return checklist
    officer = checklist.school.paews_officer
    problems = readiness(checklist, on=timezone.localdate(), outcome=outcome)
    if outcome == OutcomeChoice.FOUND_NOT_RETURNING and not found_details.strip():
        problems.append(
            "Say where the pupil was found and why the school and the council agree the pupil "
            "will not return"
        )
    if officer is None or not officer.is_active:
        problems.append(
            "Your school has no PAEWS officer named on the register: ask the CME team to name "
            "one, then send the checklist"
        )
    if problems or officer is None:
        raise ValidationError(problems)
    checklist.status = Status.SUBMITTED
    checklist.outcome = outcome
    checklist.found_details = found_details.strip() if outcome != OutcomeChoice.NOT_FOUND else ""
    checklist.submitted_to = officer
    checklist.submitted_at = timezone.now()
    _bump(checklist, "status", "outcome", "found_details", "submitted_to", "submitted_at")
    audit_record(
        actor=by,
        verb=Verb.TRANSITION,
        subject=checklist,
        child_id=checklist.child_id,
        details={"to": Status.SUBMITTED, "outcome": outcome},
    )
    email_on_commit(
        to=[officer.email],
        subject="A CME1 checklist is waiting for your sign-off",
        body=(
            f"{checklist.school.name} has sent you CME1 checklist {checklist.pk} to sign off "
            f"or return: {absolute(reverse('checklist:detail', args=[checklist.pk]))}"
        ),
    )
    return checklist


@transaction.atomic
def checklist_return(*, checklist: Checklist, by: Any, reasons: str) -> Checklist:
    """The PAEWS officer returns the checklist to the school with reasons (required)."""
    checklist = _locked(checklist)
    _require(by, checklist, Cme1Right.SIGN_OFF_OR_RETURN)
    if not reasons.strip():
        raise ValidationError({"reasons": [REASONS_REQUIRED]})
    if checklist.status == Status.RETURNED and checklist.returned_reasons == reasons.strip():
        return checklist
    if checklist.status != Status.SUBMITTED:
        raise ValidationError(_not_waiting(checklist))
    checklist.status = Status.RETURNED
    checklist.returned_reasons = reasons.strip()
    checklist.decided_by = by
    checklist.decided_at = timezone.now()
    _bump(checklist, "status", "returned_reasons", "decided_by", "decided_at")
    audit_record(
        actor=by,
        verb=Verb.TRANSITION,
        subject=checklist,
        child_id=checklist.child_id,
        details={"to": Status.RETURNED},
    )
    email_on_commit(
        to=[checklist.opened_by.email],
        subject="Your CME1 checklist was returned by the PAEWS officer",
        body=(
            f"CME1 checklist {checklist.pk} was returned with reasons: "
            f"{absolute(reverse('checklist:detail', args=[checklist.pk]))}"
        ),
    )
    return checklist


def _not_waiting(checklist: Checklist) -> str:
    if checklist.status == Status.SIGNED_OFF:
        return "This checklist has already been signed off"
    return "This checklist is with the school: it can be signed off once the school sends it"


@dataclass(frozen=True)
class CtfDuty:
    """What the school must send when it deletes the pupil (told on sign-off)."""

    destination: str
    due_if_deleted_today: date | None
    citation: str
    problem: str = ""


def ctf_duty(checklist: Checklist, *, on: date) -> CtfDuty:
    """A one-pupil CTF to XXXXXXX (destination unknown), 15 school days after the deletion."""
    try:
        due = ctf_due_after_leaving(calendar=school_calendar(checklist.school_id), ceased_on=on)
    except RulesError as error:
        return CtfDuty(UNKNOWN_CODE, None, "SI 2005/1437 reg 9(3)", f"{error}")
    return CtfDuty(UNKNOWN_CODE, due.due, due.citation)


def evidence(checklist: Checklist) -> str:
    """The checklist as the referral's evidence: each step, who made it, what came of it."""
    lines = [
        f"CME1 checklist {checklist.pk} from {checklist.school.name}, signed off by the PAEWS "
        f"officer on {timezone.localdate():%-d %B %Y}: the school and the council have "
        f"jointly made reasonable efforts to find the pupil and have not succeeded "
        f"({JOINT_CITATION}). First day of absence {checklist.first_day_absent:%-d %B %Y}.",
        "Steps:",
    ]
    for s in checklist.steps.all():
        party = {"school": "school", "council": "council", "joint": "jointly"}[s.party]
        lines.append(
            f"- {s.done_on:%-d %B %Y}, {step(s.kind).title} ({party}, {s.done_by})"
            f"{' could not be done' if s.could_not_be_done else ''}: {s.outcome}"
        )
    return "\n".join(lines)


def _refer(checklist: Checklist, *, by: Any) -> Referral | None:
    """Whereabouts unknown: the child's open case hears of it, or a school-route referral."""
    if checklist.child_id is not None:
        case = Case.objects.filter(child_id=checklist.child_id, status__in=OPEN_STATUSES).first()
        if case is not None:
            case_event_add(case=case, kind=CaseEventKind.NOTE, by=by, text=evidence(checklist))
            return None
    return referral_record(
        by=by,
        route=Route.SCHOOL,
        reason=Reason.WHEREABOUTS_UNKNOWN,
        received_on=timezone.localdate(),
        described={
            "forename": checklist.forename,
            "middle_names": "",
            "surname": checklist.surname,
            "date_of_birth": checklist.date_of_birth.isoformat(),
            "sex": checklist.sex,
            "upn": checklist.upn,
            "address_line_1": checklist.address_line_1,
            "town": "",
            "postcode": checklist.postcode,
        },
        details=evidence(checklist),
        referrer={"name": checklist.school.name, "role": "School (CME1 checklist)"},
        referring_organisation=getattr(checklist.school, "organisation", None),
        school=checklist.school,
        submission_key=f"cme1-{checklist.pk}",
    )


@transaction.atomic
def checklist_sign_off(*, checklist: Checklist, by: Any) -> Checklist:
    """The PAEWS officer signs the checklist off (policy FAQ 4). Whereabouts unknown: the
    child is referred to the register (school route, the checklist as evidence) and the
    school is told its CTF duty. Signed off again: nothing changes."""
    checklist = _locked(checklist)
    _require(by, checklist, Cme1Right.SIGN_OFF_OR_RETURN)
    if checklist.status == Status.SIGNED_OFF:
        return checklist
    if checklist.status != Status.SUBMITTED:
        raise ValidationError(_not_waiting(checklist))
    today = timezone.localdate()
    problems = readiness(checklist, on=today, outcome=checklist.outcome)
    if problems:
        raise ValidationError(problems)
    checklist.status = Status.SIGNED_OFF
    checklist.decided_by = by
    checklist.decided_at = timezone.now()
    fields = ["status", "decided_by", "decided_at"]
    if checklist.outcome == OutcomeChoice.NOT_FOUND:
        checklist.referral = _refer(checklist, by=by)
        fields.append("referral")
    _bump(checklist, *fields)
    audit_record(
        actor=by,
        verb=Verb.CME1_SIGNED_OFF,
        subject=checklist,
        child_id=checklist.child_id,
        details={"outcome": checklist.outcome, "referral": checklist.referral_id},
    )
    duty = ctf_duty(checklist, on=today)
    due = (
        f" (by {duty.due_if_deleted_today:%-d %B %Y} if you delete today)"
        if (duty.due_if_deleted_today)
        else ""
    )
    email_on_commit(
        to=[checklist.opened_by.email],
        subject="Your CME1 checklist was signed off",
        body=(
            f"CME1 checklist {checklist.pk} was signed off by your PAEWS officer. When you "
            "delete the pupil from your roll, make a deletion return to the council and send "
            f"a one-pupil Common Transfer File to {duty.destination} on S2S within 15 school "
            f"days of the deletion{due}: "
            f"{absolute(reverse('checklist:detail', args=[checklist.pk]))}"
        ),
    )
    return checklist
