"""The home education register's details for DfE's termly return and the 2024 guidance.

Each entry records when home education started, DfE's primary reason, the previous school,
the council's judgement of whether the education is suitable, and the s.437(1) notices and
school attendance orders served (Education Act 1996 ss.437-443). An entry found to be this
child by a check is linked to them. Education judged unsuitable makes the child missing
education (DfE: "should be classified as CME"), so a case opens, through `case_open`.

Every change is the CME team's, audited in its transaction, refused on a stale form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cme.accounts.permissions import Action, can
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.cases.models import OPEN_STATUSES, Case, CaseEventKind
from cme.cases.services import case_event_add, case_open
from cme.core.errors import NotAllowed, StaleEdit
from cme.people.models import Child
from cme.people.services import ChildDetails, child_create
from cme.rules import dfe_categories
from cme.schools.models import Establishment

from .models import HomeEducatedChild, HomeEducationNotice, NoticeKind, Suitability


def _require(user: Any) -> None:
    if not can(user, Action.TRIAGE):
        raise NotAllowed


def _locked(entry: HomeEducatedChild, expected_version: int | None) -> HomeEducatedChild:
    current = HomeEducatedChild.objects.select_for_update().get(pk=entry.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(
            "Someone else changed this entry while you were working on it. The page now "
            "shows their change; make yours again if it is still needed.",
            code="stale",
        )
    return current


def _save(entry: HomeEducatedChild, *fields: str) -> None:
    entry.version = F("version") + 1
    entry.save(update_fields=[*fields, "version", "updated_at"])
    entry.refresh_from_db(fields=["version"])


@transaction.atomic
def home_education_link(*, entry: HomeEducatedChild, child: Child, by: Any) -> HomeEducatedChild:
    """Tie a register entry to the register's child it is (a check confirmed it)."""
    _require(by)
    entry = _locked(entry, None)
    if entry.child_id == child.pk:
        return entry
    if entry.child_id is not None:
        raise ValidationError(
            "This home education entry is already linked to another child on the register. "
            "Check which child it is before confirming it."
        )
    entry.child = child
    _save(entry, "child")
    audit_record(
        actor=by, verb=Verb.UPDATE, subject=entry, child_id=child.pk, details={"linked": True}
    )
    return entry


@dataclass(frozen=True)
class EntryDetails:
    """What DfE's return and the guidance need of an entry, as the officer records them."""

    started_on: date
    reason: str = ""
    previous_school: Establishment | None = None
    previous_school_name: str = ""


@transaction.atomic
def home_education_update(
    *, entry: HomeEducatedChild, details: EntryDetails, by: Any, expected_version: int | None
) -> HomeEducatedChild:
    _require(by)
    entry = _locked(entry, expected_version)
    errors: dict[str, list[str]] = {}
    if details.started_on > timezone.localdate():
        errors["started_on"] = ["The start date must be today or earlier"]
    elif entry.ended_on and details.started_on > entry.ended_on:
        errors["started_on"] = ["The start date must be on or before the day it ended"]
    if details.reason and details.reason not in dfe_categories.EHE_REASONS:
        errors["reason"] = ["Choose a reason from DfE's list"]
    if details.previous_school is not None and details.previous_school_name.strip():
        errors["previous_school_name"] = [
            "Give either a school from the list or the name of one that is not, not both"
        ]
    if errors:
        raise ValidationError(errors)
    before = {
        "started_on": entry.started_on.isoformat(),
        "reason": entry.reason,
        "previous_school_urn": entry.previous_school.urn if entry.previous_school else None,
        "previous_school_name": entry.previous_school_name,
    }
    entry.started_on = details.started_on
    entry.reason = details.reason
    entry.previous_school = details.previous_school
    entry.previous_school_name = details.previous_school_name.strip()
    entry.full_clean()
    _save(entry, "started_on", "reason", "previous_school", "previous_school_name")
    after = {
        "started_on": entry.started_on.isoformat(),
        "reason": entry.reason,
        "previous_school_urn": entry.previous_school.urn if entry.previous_school else None,
        "previous_school_name": entry.previous_school_name,
    }
    changed = {k: {"before": before[k], "after": after[k]} for k in after if before[k] != after[k]}
    audit_record(
        actor=by, verb=Verb.UPDATE, subject=entry, child_id=entry.child_id, details=changed
    )
    return entry


@transaction.atomic
def home_education_judge(
    *,
    entry: HomeEducatedChild,
    suitability: str,
    judged_on: date,
    note: str,
    by: Any,
    expected_version: int | None,
) -> Case | None:
    """Record the council's judgement of the education. Unsuitable opens a case for the child
    (the register's child, made from the entry if it has none), or adds to their open case;
    returns that case, or None for a suitable judgement."""
    _require(by)
    entry = _locked(entry, expected_version)
    errors: dict[str, list[str]] = {}
    if suitability not in {Suitability.SUITABLE, Suitability.UNSUITABLE}:
        errors["suitability"] = ["Choose whether the education is suitable"]
    if judged_on > timezone.localdate():
        errors["judged_on"] = ["The date of the judgement must be today or earlier"]
    elif judged_on < entry.started_on:
        errors["judged_on"] = ["The date of the judgement must be on or after home education began"]
    if suitability == Suitability.UNSUITABLE and not note.strip():
        errors["note"] = ["Say why the education is not suitable"]
    if errors:
        raise ValidationError(errors)
    before = entry.suitability
    entry.suitability, entry.suitability_judged_on = suitability, judged_on
    if note.strip():
        label = Suitability(suitability).label
        entry.notes = f"{entry.notes}\n{judged_on:%-d %B %Y}, {label}: {note.strip()}".strip()
    case = (
        _open_case_for_unsuitable(entry, note, by)
        if suitability == Suitability.UNSUITABLE
        else None
    )
    _save(entry, "suitability", "suitability_judged_on", "notes", "child")
    audit_record(
        actor=by,
        verb=Verb.UPDATE,
        subject=entry,
        child_id=entry.child_id,
        details={
            "suitability": {"before": before, "after": suitability},
            "judged_on": judged_on.isoformat(),
            "case": case.pk if case else None,
        },
    )
    return case


def _open_case_for_unsuitable(entry: HomeEducatedChild, note: str, by: Any) -> Case:
    if entry.child is None:
        entry.child = child_create(
            details=ChildDetails(
                forename=entry.forename,
                middle_names=entry.middle_names,
                surname=entry.surname,
                date_of_birth=entry.date_of_birth,
                sex=entry.sex,
                address_line_1=entry.address,
                postcode=entry.postcode,
            ),
            by=by,
            received_on=timezone.localdate(),
            fictional=entry.fictional,
        )
    why = (
        "Elective home education judged not suitable, so the child is missing education "
        f"(DfE reason: {dfe_categories.CME_REASON_UNSUITABLE_EHE}). {note.strip()}"
    ).strip()
    open_case = entry.child.cases.filter(status__in=OPEN_STATUSES).first()
    if open_case is not None:
        case_event_add(case=open_case, kind=CaseEventKind.NOTE, by=by, text=why)
        return open_case
    return case_open(
        child=entry.child,
        school=entry.previous_school,
        by=by,
        why=why,
        details={"from": "home_education", "entry": entry.pk},
    )


@transaction.atomic
def home_education_notice_add(
    *,
    entry: HomeEducatedChild,
    kind: str,
    on: date,
    by: Any,
    school: Establishment | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> HomeEducationNotice:
    """Record a s.437(1) notice served, or a school attendance order issued or revoked.

    The steps come in the Act's order: an order follows a notice (s.437(3)), a revocation
    follows an order; an order names the school.
    """
    _require(by)
    entry = _locked(entry, expected_version)
    notices = list(entry.notices.all())
    errors: dict[str, list[str]] = {}
    if kind not in NoticeKind.values:
        errors["kind"] = ["Choose what was served or issued"]
    elif kind == NoticeKind.SAO_ISSUED and not any(
        n.kind == NoticeKind.S437_NOTICE and n.on <= on for n in notices
    ):
        errors["kind"] = [
            "A school attendance order follows a notice under section 437(1). "
            "Record the notice first"
        ]
    elif kind == NoticeKind.SAO_REVOKED and not any(
        n.kind == NoticeKind.SAO_ISSUED and n.on <= on for n in notices
    ):
        errors["kind"] = ["Only an order that was issued can be revoked. Record the order first"]
    if on > timezone.localdate():
        errors["on"] = ["The date must be today or earlier"]
    elif on < entry.started_on:
        errors["on"] = ["The date must be on or after home education began"]
    if kind == NoticeKind.SAO_ISSUED and school is None:
        errors["school"] = ["Choose the school the order names"]
    if errors:
        raise ValidationError(errors)
    notice = HomeEducationNotice(
        entry=entry,
        kind=kind,
        on=on,
        school=school if kind == NoticeKind.SAO_ISSUED else None,
        note=note.strip(),
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    notice.full_clean()
    notice.save()
    _save(entry)
    audit_record(
        actor=by,
        verb=Verb.CREATE,
        subject=notice,
        child_id=entry.child_id,
        details={"kind": kind, "on": on.isoformat()},
    )
    return notice
