"""The deletion return (SI 2024/208 reg 13(4)): recorded, assessed, and acted on.

A lawful deletion is recorded and its transfer duty opened; one with the whereabouts unknown
becomes a referral on the school route (or joins the child's open case). An unlawful one is
recorded as such, and the school is sent a reinstatement direction with the reasons
(`services/directions.py`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.cases.models import OPEN_STATUSES, Case, CaseEventKind
from cme.cases.services import case_event_add
from cme.people.models import Child
from cme.people.services import ChildDetails, child_create
from cme.referrals.models import Reason, Referral, Route
from cme.referrals.services import referral_record
from cme.rules import DeletionGround, UnknownGround, ground_for_reference
from cme.schools.models import Establishment
from cme.transfers.models import DestinationKind, Transfer, TransferSource
from cme.transfers.services import transfer_open

from ..models import AttendancePupil, DeletionReturn, Lawfulness, NewPupilReturn, SicknessReturn
from ._pupils import NEVER_HAD, child_for, clean_pupil, not_after, pupil_problems, school_had_pupil
from .assessment import Assessed, deletion_assess, facts_as_json, register_held
from .directions import direction_issue

PARENT_ITEMS = {
    "name": "name",
    "address_line_1": "address",
    "postcode": "postcode",
    "telephone": "telephone number",
}


def parents_marked(parents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each parent as sent, with `missing` naming what the school could not give."""
    marked = []
    for parent in parents:
        kept: dict[str, Any] = {k: str(parent.get(k) or "").strip() for k in PARENT_ITEMS}
        kept["lives_with"] = bool(parent.get("lives_with"))
        kept["missing"] = [k for k in PARENT_ITEMS if not kept[k]]
        marked.append(kept)
    return marked


def _ground(reference: str) -> tuple[DeletionGround | None, dict[str, list[str]]]:
    try:
        return ground_for_reference(reference), {}
    except UnknownGround as error:
        return None, {"ground": [str(error)]}


def _problems(
    *, pupil: dict[str, Any], deleted_on: date, admitted_on: date | None, facts: dict[str, Any]
) -> dict[str, list[str]]:
    today = timezone.localdate()
    problems = pupil_problems(pupil, today=today)
    problems |= not_after(deleted_on, today, "deleted_on", "The date of deletion")
    problems |= not_after(admitted_on, today, "admitted_on", "The date of admission")
    if admitted_on is not None and admitted_on > deleted_on:
        problems.setdefault("deleted_on", []).append(
            f"The pupil cannot be deleted before they were admitted ({admitted_on:%-d %B %Y})"
        )
    born = pupil["date_of_birth"]
    if born is not None and deleted_on <= born:
        problems.setdefault("deleted_on", []).append(
            "The date of deletion is before the pupil was born"
        )
    for name in ("first_day_absent", "leave_ended_on", "traveller_left_on"):
        day = facts.get(name)
        if day is not None and day > deleted_on:
            problems[f"facts.{name}"] = ["This date must be on or before the date of deletion"]
    return problems


def _destination(future_school: dict[str, Any]) -> tuple[str, str]:
    laestab = "".join(str(future_school.get("laestab") or "").split())
    urn = future_school.get("urn")
    if not laestab and urn:
        found = Establishment.objects.filter(urn=urn).first()
        laestab = found.laestab if found else ""
    if laestab and Establishment.objects.filter(laestab=laestab).exists():
        return DestinationKind.SCHOOL_IN_ENGLAND, laestab
    kind = future_school.get("kind") or ""
    if kind in {
        DestinationKind.INDEPENDENT,
        DestinationKind.SCOTLAND,
        DestinationKind.NORTHERN_IRELAND,
        DestinationKind.ABROAD,
    }:
        return kind, ""
    return DestinationKind.UNKNOWN, ""


def _child(pupil: dict[str, Any], parents: list[dict[str, Any]], *, by: Any, today: date) -> Child:
    found = child_for(pupil)
    if found is not None:
        return found
    details = ChildDetails.from_description(
        {
            **{k: v for k, v in pupil.items() if k != "date_of_birth"},
            "date_of_birth": pupil["date_of_birth"].isoformat() if pupil["date_of_birth"] else "",
            "forename": pupil["forename"] or "(not given)",
            "surname": pupil["surname"] or "(not given)",
            "carers": [
                {"name": p["name"], "relationship": "parent", "phone": p["telephone"]}
                for p in parents
                if p["name"]
            ],
        }
    )
    return child_create(details=details, by=by, received_on=today)


def _open_transfer(
    *,
    child: Child,
    school: Establishment,
    deleted_on: date,
    future_school: dict[str, Any],
    case: Case | None,
) -> tuple[Transfer | None, str]:
    existing = Transfer.objects.filter(child=child, from_school=school, left_on=deleted_on).first()
    if existing is not None:
        return existing, ""
    kind, laestab = _destination(future_school)
    try:
        with transaction.atomic():
            return (
                transfer_open(
                    child=child,
                    from_school=school,
                    left_on=deleted_on,
                    destination_kind=kind,
                    destination_laestab=laestab,
                    case=case,
                    source=TransferSource.DELETION_RETURN,
                    by=None,
                    note="Opened by the school's deletion return.",
                ),
                "",
            )
    except ValidationError as error:
        return None, f"The transfer duty could not be opened: {' '.join(error.messages)}"


def _refer(
    *,
    by: Any,
    school: Establishment,
    child: Child,
    pupil: dict[str, Any],
    ground: DeletionGround,
    deleted_on: date,
) -> tuple[Referral | None, Case | None]:
    """A lawful deletion with the whereabouts unknown: the child joins their open case, or
    becomes a referral on the school route for the CME team's triage."""
    case = Case.objects.filter(child=child, status__in=OPEN_STATUSES).first()
    text = (
        f"{school.name} deleted the pupil from its roll on {deleted_on:%-d %B %Y} under "
        f"{ground.citation} with the whereabouts unknown (deletion return)."
    )
    if case is not None:
        case_event_add(case=case, kind=CaseEventKind.NOTE, by=None, text=text)
        return None, case
    described = {
        **{k: v for k, v in pupil.items() if k != "date_of_birth"},
        "date_of_birth": pupil["date_of_birth"].isoformat() if pupil["date_of_birth"] else "",
    }
    referral = referral_record(
        by=by if by is not None and getattr(by, "is_authenticated", False) else None,
        route=Route.SCHOOL,
        reason=Reason.REMOVED_FROM_ROLL,
        received_on=timezone.localdate(),
        described=described,
        details=text,
        referrer={"name": school.name, "role": "School (deletion return)"},
        referring_organisation=getattr(school, "organisation", None),
        school=school,
    )
    return referral, None


def _action(
    *,
    assessed: Assessed,
    referral: Referral | None,
    case: Case | None,
    transfer: Transfer | None,
    school: Establishment,
) -> str:
    ground = assessed.assessment.ground
    if not assessed.assessment.lawful:
        return (
            f"Unlawful deletion under {ground.provision}: a reinstatement direction with the "
            f"reasons has been sent to {school.name}. Check the school confirms the pupil is "
            "back on roll; the pupil is on the watch list until it does."
        )
    parts = [f"Lawful deletion under {ground.provision}."]
    if referral is not None:
        parts.append(f"Triage referral {referral.reference}: whereabouts unknown.")
    elif case is not None:
        parts.append(f"Added to open case {case.pk}: whereabouts unknown.")
    if transfer is not None:
        parts.append(
            f"Check the CTF to {transfer.destination} is sent by {transfer.due_on:%-d %B %Y}."
        )
    else:
        parts.append("Open the transfer duty by hand once the term dates are loaded.")
    return " ".join(parts)


@transaction.atomic
def deletion_return_record(
    *,
    school: Establishment,
    by: Any,
    channel: str,
    pupil: dict[str, Any],
    parents: list[dict[str, Any]],
    ground: str,
    deleted_on: date,
    admitted_on: date | None = None,
    future_address: dict[str, Any] | None = None,
    future_school: dict[str, Any] | None = None,
    facts: dict[str, Any] | None = None,
    safeguarding_context: str = "",
) -> DeletionReturn:
    """Record a school's deletion return, assess it, and open what it calls for.

    ValidationError by dotted field (`pupil.upn`, `ground`, `deleted_on`) for input a school
    can correct; nothing is kept then.
    """
    today = timezone.localdate()
    pupil = clean_pupil(pupil)
    facts = dict(facts or {})
    future_address = {k: v for k, v in (future_address or {}).items() if v not in ("", None)}
    future_school = {k: v for k, v in (future_school or {}).items() if v not in ("", None)}
    chosen, problems = _ground(ground)
    problems |= _problems(pupil=pupil, deleted_on=deleted_on, admitted_on=admitted_on, facts=facts)
    if problems or chosen is None:
        raise ValidationError(problems)
    marked = parents_marked(parents)
    flags: list[str] = []
    if not marked:
        flags.append(
            "No parent was named (reg 13(4)(c) and (d)): ask the school who the pupil lives with."
        )
    elif any(p["missing"] for p in marked):
        flags.append("Some parent details are missing; the school says it could not obtain them.")
    earlier_child = child_for(pupil)
    if not school_had_pupil(
        school=school,
        pupil=pupil,
        child=earlier_child,
        earlier=[NewPupilReturn, AttendancePupil, SicknessReturn],
    ):
        flags.append(NEVER_HAD)
    child = _child(pupil, marked, by=by, today=today)
    destination_known = bool(future_school) or bool(future_address)
    held = register_held(school=school, pupil=pupil, deleted_on=deleted_on)
    assessed = deletion_assess(
        school=school,
        child=child,
        pupil=pupil,
        ground=chosen,
        deleted_on=deleted_on,
        facts=facts,
        destination_known=destination_known,
        held=held,
    )
    flags.extend(assessed.notes)
    referral: Referral | None = None
    case: Case | None = None
    lawful = assessed.assessment.lawful
    if lawful and chosen.missing_or_moved and not assessed.facts.whereabouts_known:
        # The signed-off CME1 already referred the child (cme.checklist): not a second time.
        cme1 = (
            Referral.objects.filter(pk=held.cme1_referral_id).first()
            if held.cme1_referral_id is not None
            else None
        )
        if cme1 is not None and cme1.case_id is None:
            referral = cme1
        else:
            referral, case = _refer(
                by=by, school=school, child=child, pupil=pupil, ground=chosen,
                deleted_on=deleted_on,
            )  # fmt: skip
    transfer, problem = _open_transfer(
        child=child, school=school, deleted_on=deleted_on, future_school=future_school, case=case
    )
    if problem:
        flags.append(problem)
    record = DeletionReturn(
        **pupil,
        school=school,
        channel=channel,
        sent_by=by,
        received_at=timezone.now(),
        child=child,
        flags=flags,
        deleted_on=deleted_on,
        admitted_on=admitted_on,
        parents=marked,
        future_address=_jsonable(future_address),
        future_school=_jsonable(future_school),
        ground="".join(ground.split()).lower(),
        facts=_jsonable(facts),
        safeguarding_context=safeguarding_context.strip(),
        lawfulness=Lawfulness.LAWFUL if lawful else Lawfulness.UNLAWFUL,
        reasons=assessed.reasons(),
        facts_held=facts_as_json(assessed.facts),
        referral=referral,
        case=case,
        transfer=transfer,
        action=_action(
            assessed=assessed, referral=referral, case=case, transfer=transfer, school=school
        ),
    )
    record.full_clean()
    record.save()
    audit_record(
        actor=by,
        verb=Verb.RETURN_RECEIVED,
        subject=record,
        child_id=child.pk,
        details={"kind": "deletion", "ground": record.ground, "lawful": lawful, "channel": channel},
    )
    if not lawful:
        direction_issue(record=record, first_day_absent=facts.get("first_day_absent"))
    return record


def _jsonable(value: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in value.items()}
