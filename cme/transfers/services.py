"""Writes on transfer duties: one service per transition, each checking the current state.

`transfer_open` is the way in for every source of a leaver: the officer's record from a case
today, and the school-returns app (a deletion return, a CME1 sign-off) when it lands. It is
keyword-only and takes plain values, so a caller needs nothing from this app but the service.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cme.accounts.permissions import Action, can
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.calendars.selectors import school_calendar
from cme.cases.models import Case, CaseEventKind
from cme.cases.services import case_event_add
from cme.core.errors import NotAllowed
from cme.ctf import CtfError, CtfFile, read_ctf
from cme.people.ctf_store import already_loaded_message, ctf_already_stored, ctf_store
from cme.people.models import Child, CtfOrigin
from cme.rules import (
    Destination,
    InvalidArgument,
    RulesError,
    ctf_destination,
    ctf_due_after_leaving,
    ctf_due_after_request,
)
from cme.schools.models import Establishment

from .models import DestinationKind, Transfer, TransferSource, TransferStatus
from .selectors import may_act_for_school

_RULES_DESTINATION = {
    DestinationKind.SCHOOL_IN_ENGLAND: Destination.SCHOOL_IN_ENGLAND,
    DestinationKind.SCHOOL_IN_WALES: Destination.SCHOOL_IN_WALES,
    DestinationKind.UNKNOWN: Destination.UNKNOWN,
    DestinationKind.INDEPENDENT: Destination.INDEPENDENT,
    DestinationKind.SCOTLAND: Destination.SCOTLAND,
    DestinationKind.NORTHERN_IRELAND: Destination.NORTHERN_IRELAND,
    DestinationKind.ABROAD: Destination.ABROAD,
}


def _timeline(case: Case | None, *, by: Any, text: str) -> None:
    if case is not None:
        case_event_add(case=case, kind=CaseEventKind.NOTE, by=by, text=text)


def destination_code(*, kind: str, laestab: str = "") -> str:
    """XXXXXXX, MMMMMMM or the new school's LAESTAB; ValidationError naming the field."""
    code = "".join(laestab.split())
    try:
        rules_kind = _RULES_DESTINATION[DestinationKind(kind)]
    except ValueError:
        raise ValidationError({"destination_kind": ["Choose where the child went"]}) from None
    school_kind = rules_kind in (Destination.SCHOOL_IN_ENGLAND, Destination.SCHOOL_IN_WALES)
    if school_kind and not code:
        raise ValidationError({"destination_laestab": ["Enter the new school's 7-digit LAESTAB"]})
    try:
        found = ctf_destination(destination=rules_kind, laestab=code if school_kind else None)
    except InvalidArgument as error:
        raise ValidationError({"destination_laestab": [str(error).capitalize()]}) from None
    if rules_kind is Destination.SCHOOL_IN_ENGLAND and not (
        Establishment.objects.filter(laestab=found.code).exists()
    ):
        raise ValidationError(
            {
                "destination_laestab": [
                    f"LAESTAB {found.code} is not a school in the establishments list: check "
                    "the number, or load the latest list from Get Information about Schools"
                ]
            }
        )
    return found.code


def _due(*, school: Establishment, left_on: date, requested_on: date | None) -> tuple[date, str]:
    try:
        calendar = school_calendar(school.pk)
        deadline = (
            ctf_due_after_request(calendar=calendar, requested_on=requested_on)
            if requested_on
            else ctf_due_after_leaving(calendar=calendar, ceased_on=left_on)
        )
    except RulesError as error:
        raise ValidationError(
            f"The due date cannot be counted in school days: {error}. Load the term dates "
            "that cover it (cme import-term-dates) and try again."
        ) from None
    return deadline.due, deadline.citation[:300]


@transaction.atomic
def transfer_open(
    *,
    child: Child,
    from_school: Establishment,
    left_on: date,
    destination_kind: str,
    destination_laestab: str = "",
    requested_on: date | None = None,
    case: Case | None = None,
    source: str = TransferSource.OFFICER,
    by: Any = None,
    note: str = "",
) -> Transfer:
    """Open the duty for a pupil who left `from_school` on `left_on`.

    Due 15 school days on the school's own calendar after `left_on`, or after `requested_on`
    when the new school asked. `by` is the officer, or None for a job acting on a school's
    return. ValidationError, by field, for a destination or date a person can correct.
    """
    if by is not None and not can(by, Action.TRIAGE):
        raise NotAllowed
    if source not in TransferSource.values:
        raise ValidationError("Say what opened this transfer duty.")
    today = timezone.localdate()
    if left_on > today:
        raise ValidationError({"left_on": ["The date the child left must be today or earlier"]})
    if requested_on is not None and requested_on < left_on:
        raise ValidationError(
            {"requested_on": ["The new school's request cannot be before the child left"]}
        )
    if requested_on is not None and requested_on > today:
        raise ValidationError(
            {"requested_on": ["The date of the request must be today or earlier"]}
        )
    code = destination_code(kind=destination_kind, laestab=destination_laestab)
    if code == from_school.laestab:
        raise ValidationError(
            {"destination_laestab": ["The new school cannot be the school the child left"]}
        )
    if (
        Transfer.objects.filter(child=child, from_school=from_school, left_on=left_on)
        .exclude(status=TransferStatus.CANCELLED)
        .exists()
    ):
        raise ValidationError(
            f"A transfer duty for this child leaving {from_school.name} on "
            f"{left_on:%-d %B %Y} is already recorded."
        )
    due_on, rule = _due(school=from_school, left_on=left_on, requested_on=requested_on)
    transfer = Transfer(
        child=child,
        case=case,
        from_school=from_school,
        destination_kind=destination_kind,
        destination=code,
        source=source,
        left_on=left_on,
        requested_on=requested_on,
        due_on=due_on,
        due_rule=rule,
        opened_by=by,
        opened_at=timezone.now(),
        note=note.strip(),
    )
    transfer.full_clean()
    transfer.save()
    _timeline(
        case,
        by=by,
        text=f"Left the roll of {from_school.name} on {left_on:%-d %B %Y}. Common Transfer File "
        f"to {code} due from the school by {due_on:%-d %B %Y}.",
    )
    audit_record(
        actor=by,
        verb=Verb.CREATE,
        subject=transfer,
        child_id=child.pk,
        details={"source": source, "destination": code, "due_on": str(due_on)},
    )
    return transfer


def _locked(transfer: Transfer, *, allowed: set[str], action: str) -> Transfer:
    transfer = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("from_school", "case")
        .get(pk=transfer.pk)
    )
    if transfer.status not in allowed:
        raise ValidationError(
            f"This transfer is {transfer.get_status_display().lower()}, so it cannot be {action}."
        )
    return transfer


def _school_or_team(user: Any, transfer: Transfer) -> None:
    if not (can(user, Action.TRIAGE) or may_act_for_school(user, transfer.from_school_id)):
        raise NotAllowed


def _record_sent(transfer: Transfer, *, by: Any, sent_on: date, what: str) -> Transfer:
    transfer.status = TransferStatus.SENT
    transfer.sent_on = sent_on
    transfer.sent_by = by
    transfer.full_clean()
    transfer.save()
    _timeline(transfer.case, by=by, text=f"{transfer.from_school.name} {what}.")
    audit_record(
        actor=by,
        verb=Verb.TRANSITION,
        subject=transfer,
        child_id=transfer.child_id,
        details={"to": TransferStatus.SENT, "sent_on": str(sent_on), "file": bool(transfer.file)},
    )
    return transfer


@transaction.atomic
def transfer_mark_sent(*, transfer: Transfer, sent_on: date, by: Any) -> Transfer:
    """The school says it sent the file (through S2S) on `sent_on`."""
    _school_or_team(by, transfer)
    transfer = _locked(transfer, allowed={TransferStatus.DUE}, action="marked sent")
    if sent_on > timezone.localdate():
        raise ValidationError({"sent_on": ["The date sent must be today or earlier"]})
    if sent_on < transfer.left_on:
        raise ValidationError({"sent_on": ["The date sent cannot be before the child left"]})
    return _record_sent(
        transfer,
        by=by,
        sent_on=sent_on,
        what=f"says it sent the Common Transfer File to {transfer.destination} on "
        f"{sent_on:%-d %B %Y}",
    )


def upload_problems(file: CtfFile, transfer: Transfer, *, now: datetime) -> list[str]:
    """What makes a readable file the wrong one for this duty, in words the school can act on."""
    problems = []
    if len(file.pupils) != 1:
        problems.append(
            f"The file holds {len(file.pupils)} pupils. Upload a file for this one pupil only"
            + (
                " (a file to XXXXXXX or MMMMMMM must hold exactly one pupil)."
                if transfer.destination in ("XXXXXXX", "MMMMMMM")
                else "."
            )
        )
    dest = file.header.destination.laestab
    if dest != transfer.destination:
        problems.append(
            f"The file is addressed to {dest or '(no destination)'}, but this transfer is to "
            f"{transfer.destination}. Export the file again with that destination."
        )
    source = file.header.source.laestab
    if source and source != transfer.from_school.laestab:
        problems.append(
            f"The file was sent by {source}, not by {transfer.from_school.laestab} "
            f"({transfer.from_school.name})."
        )
    stamp = file.header.date_time
    if stamp is not None and stamp > timezone.localtime(now).replace(tzinfo=None):
        problems.append(
            f"The file is dated {stamp:%-d %B %Y %H:%M}, which is in the future: check the "
            "computer's clock and export it again."
        )
    if file.pupils and len(file.pupils) == 1:
        pupil = file.pupils[0]
        child = transfer.child
        if (
            child.date_of_birth
            and pupil.date_of_birth
            and pupil.date_of_birth != child.date_of_birth
        ):
            problems.append(
                "The pupil's date of birth in the file is not this child's: check that this is "
                "the right pupil's file."
            )
    return problems


@transaction.atomic
def transfer_upload_file(*, transfer: Transfer, data: bytes, name: str, by: Any) -> Transfer:
    """The school uploads the CTF it sent; checked with cme.ctf, then kept securely."""
    _school_or_team(by, transfer)
    transfer = _locked(transfer, allowed={TransferStatus.DUE}, action="given a file")
    earlier = ctf_already_stored(data) if data else None
    if earlier is not None:
        raise ValidationError({"file": [already_loaded_message(earlier)]})
    now = timezone.now()
    try:
        file = read_ctf(data, today=timezone.localdate())
    except CtfError as error:
        raise ValidationError({"file": [str(p) for p in error.problems]}) from None
    problems = upload_problems(file, transfer, now=now)
    if problems:
        raise ValidationError({"file": problems})
    transfer.file = ctf_store(
        data=data,
        name=name,
        origin=CtfOrigin.SCHOOL_UPLOAD,
        by=by,
        child=transfer.child,
        source_laestab=file.header.source.laestab,
        destination=file.header.destination.laestab,
    )
    return _record_sent(
        transfer,
        by=by,
        sent_on=timezone.localdate(),
        what=f"uploaded the Common Transfer File it sent to {transfer.destination}",
    )


@transaction.atomic
def transfer_confirm(*, transfer: Transfer, by: Any) -> Transfer:
    """The CME team confirms the file went: the duty closes."""
    if not can(by, Action.TRIAGE):
        raise NotAllowed
    transfer = _locked(transfer, allowed={TransferStatus.SENT}, action="confirmed")
    transfer.status = TransferStatus.CONFIRMED
    transfer.confirmed_by = by
    transfer.confirmed_at = timezone.now()
    transfer.full_clean()
    transfer.save()
    _timeline(
        transfer.case,
        by=by,
        text=f"Common Transfer File from {transfer.from_school.name} to {transfer.destination} "
        "confirmed; the transfer duty is closed.",
    )
    audit_record(
        actor=by,
        verb=Verb.TRANSITION,
        subject=transfer,
        child_id=transfer.child_id,
        details={"to": TransferStatus.CONFIRMED},
    )
    return transfer


@transaction.atomic
def transfer_return(*, transfer: Transfer, by: Any, reason: str) -> Transfer:
    """Not confirmed (the file never arrived, or was the wrong one): due from the school again.

    An uploaded file stays in the store, linked to the child, since it was sent somewhere.
    """
    if not can(by, Action.TRIAGE):
        raise NotAllowed
    if not reason.strip():
        raise ValidationError({"reason": ["Say why the school must send the file again"]})
    transfer = _locked(transfer, allowed={TransferStatus.SENT}, action="sent back to the school")
    transfer.status = TransferStatus.DUE
    transfer.sent_on = None
    transfer.sent_by = None
    transfer.file = None
    transfer.full_clean()
    transfer.save()
    _timeline(transfer.case, by=by, text=f"Transfer sent back to the school: {reason.strip()}")
    audit_record(
        actor=by,
        verb=Verb.TRANSITION,
        subject=transfer,
        child_id=transfer.child_id,
        details={"to": TransferStatus.DUE, "reason": reason.strip()},
    )
    return transfer


@transaction.atomic
def transfer_cancel(*, transfer: Transfer, by: Any, reason: str) -> Transfer:
    """Recorded in error (the child did not leave): the duty ends without a file."""
    if not can(by, Action.TRIAGE):
        raise NotAllowed
    if not reason.strip():
        raise ValidationError({"reason": ["Say why this transfer duty is cancelled"]})
    transfer = _locked(
        transfer, allowed={TransferStatus.DUE, TransferStatus.SENT}, action="cancelled"
    )
    transfer.status = TransferStatus.CANCELLED
    transfer.note = f"{transfer.note}\nCancelled: {reason.strip()}".strip()
    transfer.full_clean()
    transfer.save()
    _timeline(transfer.case, by=by, text=f"Transfer duty cancelled: {reason.strip()}")
    audit_record(
        actor=by,
        verb=Verb.TRANSITION,
        subject=transfer,
        child_id=transfer.child_id,
        details={"to": TransferStatus.CANCELLED, "reason": reason.strip()},
    )
    return transfer
