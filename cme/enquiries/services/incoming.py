"""CME4s other councils send this council: received (from another council's account or its
system through the API), checked by the CME officer against every source the register
searches (cme.cases.sources: the register, EMS, S2S lost pupils, home education), and
answered once: on roll at one of our schools, known to our CME team, or not known.

The child is not put on the register: the enquiry holds only what the search needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cme.accounts.models import Organisation, OrganisationKind, Role, User
from cme.accounts.permissions import Action, can
from cme.accounts.record_access import may_read_incoming
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.cases.sources import all_sources
from cme.core.errors import NotAllowed, StaleEdit
from cme.core.notify import absolute, email_on_commit
from cme.rules.enquiry_due import DayCount, enquiry_due
from cme.rules.upn import normalise_upn, validate_upn
from cme.schools.models import Establishment

from ..models import INCOMING_OUTCOMES, IncomingEnquiry, IncomingState, Outcome

MAX_TEXT = 2000
CANDIDATES_PER_SOURCE = 5
QUERY_PREFIX = "incoming:"


@dataclass(frozen=True)
class IncomingChild:
    """The child as another council describes them for the search: nothing more is kept."""

    forename: str
    surname: str
    date_of_birth: date | None
    middle_names: str = ""
    former_names: list[str] = field(default_factory=list)
    sex: str = ""
    upn: str = ""
    last_school: str = ""
    last_address: str = ""
    last_postcode: str = ""


def _sender(by: Any) -> Any:
    """Another council's staff, of a council that has its LA code set here."""
    if not can(by, Action.RECORD_REFERRAL) or by.role != Role.OTHER_LA:
        raise NotAllowed
    organisation = Organisation.objects.filter(pk=by.organisation_id).first()
    if organisation is None or organisation.kind != OrganisationKind.OTHER_LA:
        raise NotAllowed
    if not organisation.la_code:
        raise ValidationError(
            "Your council's LA code is not set up in the register. Ask the CME team to add it."
        )
    return organisation


def _child_problems(child: IncomingChild, today: date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not child.forename.strip():
        errors["forename"] = ["Enter the child's first name"]
    if not child.surname.strip():
        errors["surname"] = ["Enter the child's last name"]
    if child.date_of_birth is None:
        errors["date_of_birth"] = ["Enter the child's date of birth"]
    elif child.date_of_birth > today:
        errors["date_of_birth"] = ["The date of birth must be in the past"]
    if child.sex not in {"", "F", "M", "U"}:
        errors["sex"] = ["Give the sex as F, M or U"]
    upn = normalise_upn(child.upn)
    if upn and validate_upn(upn):
        errors["upn"] = validate_upn(upn)
    return {**errors, **_lengths(child)}


def _lengths(child: IncomingChild) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, value in (
        ("forename", child.forename),
        ("surname", child.surname),
        ("middle_names", child.middle_names),
        ("last_school", child.last_school),
    ):
        if len(value) > 200:
            errors[name] = ["Use 200 characters or fewer"]
    if len(child.last_address) > 300:
        errors["last_address"] = ["Use 300 characters or fewer"]
    if len(child.last_postcode) > 10:
        errors["last_postcode"] = ["Enter a postcode like L8 1AA"]
    if len(child.former_names) > 10 or any(len(n) > 200 for n in child.former_names):
        errors["former_names"] = ["Give up to 10 former names, each 200 characters or fewer"]
    return errors


@transaction.atomic
def incoming_receive(
    *,
    by: Any,
    child: IncomingChild,
    their_reference: str = "",
    contact: str = "",
    due_on: date | None = None,
) -> IncomingEnquiry:
    """Another council's CME4 to this council: due back after the CME4 interval in working
    days (CME_ENQUIRY_DUE["cme4"]), or by the date it asks if that is later than today."""
    organisation = _sender(by)
    today = timezone.localdate()
    errors = _child_problems(child, today)
    if due_on is not None and due_on < today:
        errors["due_on"] = ["The due date must be today or later"]
    if len(their_reference) > 60:
        errors["their_reference"] = ["Use 60 characters or fewer"]
    if len(contact) > 300:
        errors["contact"] = ["Use 300 characters or fewer"]
    if errors or child.date_of_birth is None:
        raise ValidationError(errors)
    if due_on is None:
        days, counting = settings.CME_ENQUIRY_DUE["cme4"]
        due = enquiry_due(sent_on=today, count=days, counting=DayCount(counting), calendar=None)
        due_on, counting_words = due.due, f"{due.count} {due.counting.value}"
    else:
        counting_words = "asked for by the sending council"
    incoming = IncomingEnquiry.objects.create(
        from_organisation=organisation,
        from_la_code=organisation.la_code,
        from_name=organisation.name,
        sent_by=by,
        their_reference=their_reference.strip(),
        contact=contact.strip() or ", ".join(p for p in (str(by), by.email) if p),
        received_on=today,
        due_on=due_on,
        due_counting=counting_words,
        forename=child.forename.strip(),
        middle_names=child.middle_names.strip(),
        surname=child.surname.strip(),
        former_names=[n.strip() for n in child.former_names if n.strip()],
        date_of_birth=child.date_of_birth,
        sex=child.sex,
        upn=normalise_upn(child.upn),
        last_school=child.last_school.strip(),
        last_address=child.last_address.strip(),
        last_postcode=child.last_postcode.strip().upper(),
    )
    audit_record(
        actor=by,
        verb=Verb.ENQUIRY_RECEIVED,
        subject=incoming,
        details={"kind": "cme4", "from_la_code": incoming.from_la_code},
    )
    managers = User.objects.filter(
        role__in=[Role.CME_OFFICER, Role.CME_MANAGER], is_active=True
    ).exclude(email="")
    if managers:
        email_on_commit(
            to=[m.email for m in managers],
            subject=f"CME4 {incoming.reference} from another council: please check and answer",
            body=(
                f"{incoming.from_name} has sent a CME4 enquiry ({incoming.reference}) about a "
                f"child it is trying to find. Please check and answer by "
                f"{incoming.due_on:%-d %B %Y}:\n"
                f"{absolute(reverse('enquiries:incoming-detail', args=[incoming.pk]))}\n"
            ),
        )
    return incoming


def _require_officer(by: Any) -> None:
    if not can(by, Action.TRIAGE) or not may_read_incoming(by.role, sender=False):
        raise NotAllowed


def _locked(incoming: IncomingEnquiry, expected_version: int | None) -> IncomingEnquiry:
    current = IncomingEnquiry.objects.select_for_update().get(pk=incoming.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(
            "Someone else changed this enquiry while you were working on it. "
            "Check what changed, then try again.",
            code="stale",
        )
    return current


def _records(incoming: IncomingEnquiry) -> list[dict[str, Any]]:
    """The child as matcher records: the name given, and each former name."""
    base = {
        "id": f"{QUERY_PREFIX}{incoming.pk}",
        "forename": incoming.forename,
        "middle_names": incoming.middle_names,
        "surname": incoming.surname,
        "date_of_birth": incoming.date_of_birth,
        "sex": "" if incoming.sex in {"", "U"} else incoming.sex,
        "postcode": incoming.last_postcode,
        "address": incoming.last_address,
        "upn": incoming.upn,
    }
    records = [base]
    for former in incoming.former_names:
        parts = former.split()
        if len(parts) >= 2:
            records.append({**base, "forename": parts[0], "surname": parts[-1]})
    return records


def _search(incoming: IncomingEnquiry) -> list[dict[str, Any]]:
    results = []
    for source in all_sources():
        best: dict[str, Any] = {}
        for record in _records(incoming):
            for found in source.candidates(record, limit=CANDIDATES_PER_SOURCE):
                kept = best.get(found.record_id)
                if kept is None or found.probability > kept["probability"]:
                    best[found.record_id] = {
                        "record_id": found.record_id,
                        "probability": round(found.probability, 4),
                        "band": found.band,
                        "reasons": list(found.reasons),
                        "details": found.details,
                    }
        ranked = sorted(best.values(), key=lambda c: -c["probability"])[:CANDIDATES_PER_SOURCE]
        results.append(
            {
                "source": source.name,
                "label": source.label,
                "searched": source.size(),
                "found": ranked,
            }
        )
    return results


@transaction.atomic
def incoming_check(*, incoming: IncomingEnquiry, by: Any) -> IncomingEnquiry:
    """Search every source for the child; the results are kept with the enquiry (a check
    run again replaces them), and the officer answers from them."""
    _require_officer(by)
    incoming = _locked(incoming, None)
    if incoming.state != IncomingState.RECEIVED:
        raise ValidationError("This enquiry has been answered. There is nothing to check.")
    incoming.check_results = _search(incoming)
    incoming.checked_at, incoming.checked_by = timezone.now(), by
    incoming.version += 1
    incoming.save(update_fields=["check_results", "checked_at", "checked_by", "version"])
    audit_record(
        actor=by,
        verb=Verb.SEARCH,
        subject=incoming,
        details={"checks": {r["source"]: len(r["found"]) for r in incoming.check_results}},
    )
    return incoming


@dataclass(frozen=True)
class IncomingAnswer:
    outcome: str
    details: str = ""
    on_roll_school: Establishment | None = None
    on_roll_from: date | None = None


def _answer_problems(answer: IncomingAnswer, today: date) -> dict[str, list[str]]:
    if answer.outcome not in INCOMING_OUTCOMES:
        return {"outcome": ["Choose an answer: on roll, known to our CME team, or not known"]}
    errors: dict[str, list[str]] = {}
    if answer.outcome == Outcome.ON_ROLL:
        if answer.on_roll_school is None:
            errors["on_roll_school"] = ["Choose the school the child is on roll at"]
        if answer.on_roll_from is not None and answer.on_roll_from > today:
            errors["on_roll_from"] = ["The date must be today or earlier"]
    elif answer.on_roll_school is not None:
        errors["on_roll_school"] = ["Name a school only when the child is on roll"]
    if answer.outcome == Outcome.KNOWN_TO_CME and not answer.details.strip():
        errors["details"] = ["Say what our CME team knows, and who to contact"]
    if len(answer.details) > MAX_TEXT:
        errors["details"] = [f"Use {MAX_TEXT} characters or fewer"]
    return errors


@transaction.atomic
def incoming_answer(
    *,
    incoming: IncomingEnquiry,
    answer: IncomingAnswer,
    by: Any,
    expected_version: int | None = None,
) -> IncomingEnquiry:
    """The officer's answer, once, after a check. The sending council sees it in its inbox
    and through the API, and its staff are emailed that it is there (no child's data)."""
    _require_officer(by)
    incoming = _locked(incoming, expected_version)
    if incoming.state == IncomingState.ANSWERED:
        raise ValidationError(
            "This enquiry has already been answered. An answer cannot be changed."
        )
    if incoming.checked_at is None:
        raise ValidationError("Check the sources before answering: run the check first.")
    errors = _answer_problems(answer, timezone.localdate())
    if errors:
        raise ValidationError(errors)
    incoming.state = IncomingState.ANSWERED
    incoming.outcome = answer.outcome
    incoming.on_roll_school = answer.on_roll_school
    incoming.on_roll_from = answer.on_roll_from if answer.outcome == Outcome.ON_ROLL else None
    incoming.details = answer.details.strip()
    incoming.answered_at, incoming.answered_by = timezone.now(), by
    incoming.version += 1
    incoming.full_clean(exclude=["from_organisation", "sent_by", "on_roll_school"])
    incoming.save()
    audit_record(
        actor=by,
        verb=Verb.ENQUIRY_ANSWERED,
        subject=incoming,
        details={"outcome": incoming.outcome, "via": "officer"},
    )
    staff = User.objects.filter(
        organisation=incoming.from_organisation, role=Role.OTHER_LA, is_active=True
    ).exclude(email="")
    if staff:
        email_on_commit(
            to=[u.email for u in staff],
            subject=f"CME4 {incoming.reference} answered",
            body=(
                f"The {settings.CME_LA_NAME} CME team has answered your CME4 enquiry "
                f"{incoming.reference}. Sign in to see the answer:\n"
                f"{absolute(reverse('enquiries:sent-detail', args=[incoming.pk]))}\n"
            ),
        )
    return incoming


__all__ = [
    "IncomingAnswer",
    "IncomingChild",
    "incoming_answer",
    "incoming_check",
    "incoming_receive",
]
