"""Recording referrals (CME2) as given, on every route."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cme.accounts.permissions import Action, can
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.core.errors import NotAllowed
from cme.rules import validate_upn

from ..models import Reason, Referral, Route

# No 0/O or 1/I: the reference is read out over the phone.
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def new_reference() -> str:
    """A reference that reveals nothing (no count, no date) and is easy to read aloud."""
    body = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
    return f"CME-{body[:4]}-{body[4:]}"


OUT_OF_DATE = "The page was out of date. Check the details and send the referral again"


def new_submission_key() -> str:
    """A one-time key for a referral form, so that sending the same form twice records once."""
    return secrets.token_urlsafe(24)


def referral_sent_with(*, submission_key: str, by: Any) -> Referral | None:
    """The referral this form's key already recorded, if `by` sent it (None for the public)."""
    if not submission_key:
        return None
    return Referral.objects.filter(
        submission_key=submission_key, recorded_by=by if by is not None else None
    ).first()


def describe_problems(described: dict[str, Any], *, received_on: date) -> dict[str, list[str]]:
    """What is wrong with a description of a child, by field, in words a referrer can act on."""
    problems: dict[str, list[str]] = {}
    if (
        not (described.get("forename") or "").strip()
        and not (described.get("surname") or "").strip()
    ):
        problems["forename"] = ["Enter the child's first name or last name"]
    dob = described.get("date_of_birth")
    if dob:
        try:
            born = date.fromisoformat(dob)
        except ValueError:
            problems["date_of_birth"] = ["Date of birth must be a real date"]
        else:
            if born > received_on:
                problems["date_of_birth"] = ["Date of birth must be in the past"]
    upn = (described.get("upn") or "").strip()
    if upn:
        errors = validate_upn(upn.upper())
        if errors:
            problems["upn"] = list(errors)
    return problems


@transaction.atomic
def referral_record(
    *,
    by: Any,
    route: str,
    reason: str,
    received_on: date,
    described: dict[str, Any],
    details: str = "",
    referrer: dict[str, str] | None = None,
    referring_organisation: Any = None,
    school: Any = None,
    submission_key: str = "",
) -> Referral:
    """Record a referral as given. `by` is None for the public online form.

    A form's `submission_key` records it once: sent again (a double click, Back and send),
    the referral it already recorded is returned and nothing new is written.
    """
    if by is not None and not can(by, Action.RECORD_REFERRAL):
        raise NotAllowed
    already = referral_sent_with(submission_key=submission_key, by=by)
    if already is not None:
        return already
    if route not in Route.values or reason not in Reason.values:
        raise ValidationError("Choose a referral route and a reason from the lists.")
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": ["The date received must be today or earlier"]})
    problems = describe_problems(described, received_on=received_on)
    if problems:
        raise ValidationError(problems)
    referrer = referrer or {}
    referral = Referral(
        reference=new_reference(),
        route=route,
        reason=reason,
        received_on=received_on,
        described=described,
        details=details,
        referrer_name=referrer.get("name", ""),
        referrer_role=referrer.get("role", ""),
        referrer_email=referrer.get("email", ""),
        referrer_phone=referrer.get("phone", ""),
        referring_organisation=referring_organisation,
        school=school,
        recorded_by=by,
        submission_key=submission_key,
    )
    referral.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            referral.save()
    except IntegrityError:
        # Two sends of one form at once: the other one's insert won (the unique key waited
        # for it), so this one is the same referral.
        already = referral_sent_with(submission_key=submission_key, by=by)
        if already is None:
            if not submission_key:
                raise
            # Someone else's form's key: not this person's referral to show them.
            raise ValidationError(
                {
                    "submission_key": [
                        "The page was out of date. Check the details and send it again"
                    ]
                }
            ) from None
        return already
    audit_record(actor=by, verb=Verb.CREATE, subject=referral, details={"route": route})
    return referral
