"""Triage decides a referral: accept it (a case opens), add it to the child's open case, or
decline it (not a CME case). Each returns what it did, so no caller has to look it up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cme.accounts.permissions import Action, can
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.cases.models import OPEN_STATUSES, Case, CaseEventKind
from cme.cases.services import case_event_add, case_open
from cme.core.errors import NotAllowed
from cme.people.models import Child
from cme.people.services import ChildDetails, child_create, child_take_details_from_referral

from ..models import Referral, ReferralStatus


@dataclass(frozen=True)
class ReferralDecision:
    """A referral accepted: the case it opened, or the open case it was added to."""

    referral: Referral
    case: Case

    @property
    def opened_a_case(self) -> bool:
        return self.referral.status == ReferralStatus.ACCEPTED


def _undecided(referral: Referral, by: Any) -> Referral:
    if not can(by, Action.TRIAGE):
        raise NotAllowed
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != ReferralStatus.RECEIVED:
        raise ValidationError("This referral has already been decided.")
    return referral


def _decided(referral: Referral, *, status: ReferralStatus, case: Case | None) -> Referral:
    referral.status, referral.decided_at = status, timezone.now()
    fields = ["status", "decided_at", "decision_note"]
    if case is not None:
        referral.case, referral.child = case, case.child
        fields += ["case", "child"]
    referral.save(update_fields=fields)
    return referral


@transaction.atomic
def referral_accept(
    *,
    referral: Referral,
    by: Any,
    child: Child | None = None,
    take_details: bool = False,
    matches_shown: int = 0,
    opened_on: date | None = None,
) -> ReferralDecision:
    """Accept a referral for a new child (`child` None) or a known one, opening their case.

    A known child with an open case gets the referral added to that case instead (a duplicate
    referral never opens a second case): the decision says which happened. `take_details`
    merges the referral's new address or surname into the known child's record;
    `matches_shown` records that the officer saw that many possible matches and still
    confirmed a new child.
    """
    referral = _undecided(referral, by)
    if matches_shown < 0:
        raise ValidationError("The number of possible matches shown cannot be negative.")
    if child is None:
        details = ChildDetails.from_description(referral.described)
        child = child_create(details=details, by=by, received_on=referral.received_on)
        how = "a new child" + (
            f" (the officer checked {matches_shown} possible match(es) and confirmed none)"
            if matches_shown
            else ""
        )
    else:
        how = "a child already known to the register"
        if take_details:
            changed = child_take_details_from_referral(
                child=child, described=referral.described, by=by, received_on=referral.received_on
            )
            how += f" ({', '.join(changed)})" if changed else ""
    open_case = child.cases.filter(status__in=OPEN_STATUSES).first()
    if open_case is not None:
        return _attach(referral=referral, case=open_case, by=by)
    case = case_open(
        child=child,
        school=referral.school,
        by=by,
        opened_on=opened_on,
        why=f"Opened from referral {referral.reference}, for {how}",
        verb=Verb.REFERRAL_ACCEPTED,
        details={"referral": referral.pk},
    )
    _decided(referral, status=ReferralStatus.ACCEPTED, case=case)
    return ReferralDecision(referral=referral, case=case)


@transaction.atomic
def referral_attach(*, referral: Referral, case: Case, by: Any) -> ReferralDecision:
    """Add a referral to a case already open for the child it describes."""
    referral = _undecided(referral, by)
    if not Case.objects.filter(pk=case.pk, status__in=OPEN_STATUSES).exists():
        raise ValidationError("That case is closed: accept the referral to open a new one.")
    return _attach(referral=referral, case=case, by=by)


def _attach(*, referral: Referral, case: Case, by: Any) -> ReferralDecision:
    case_event_add(
        case=case, kind=CaseEventKind.REFERRAL, by=by, text=f"Referral {referral.reference} added"
    )
    audit_record(
        actor=by,
        verb=Verb.REFERRAL_ATTACHED,
        subject=case,
        child_id=case.child_id,
        details={"referral_attached": referral.pk},
    )
    _decided(referral, status=ReferralStatus.ATTACHED, case=case)
    return ReferralDecision(referral=referral, case=case)


@transaction.atomic
def referral_decline(*, referral: Referral, by: Any, note: str) -> Referral:
    """Not a CME case (for example, the child is on a roll). The reason is kept."""
    referral = _undecided(referral, by)
    if not note.strip():
        raise ValidationError({"note": ["Say why this is not a CME case"]})
    referral.decision_note = note.strip()
    _decided(referral, status=ReferralStatus.DECLINED, case=None)
    audit_record(
        actor=by,
        verb=Verb.REFERRAL_DECLINED,
        subject=referral,
        details={"decision": "declined"},
    )
    return referral
