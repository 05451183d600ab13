"""Writes made through the API: thin glue from the API's input to the referrals service."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cme.referrals.models import Referral
from cme.referrals.services import (
    describe_problems,
    school_is_fixed,
    staff_referral_record,
    staff_referral_terms,
)
from cme.schools.models import Establishment

# The referrals service names the child's fields at the top level; the API nests them.
CHILD_FIELDS = frozenset({"forename", "middle_names", "surname", "date_of_birth", "upn"})


def _dotted(problems: dict[str, list[str]]) -> dict[str, list[str]]:
    """The service's field names as the API's: the child's fields are `child.<name>`."""
    return {f"child.{k}" if k in CHILD_FIELDS else k: v for k, v in problems.items()}


def more_child_problems(raw: Any, *, found: dict[str, Any]) -> dict[str, list[str]]:
    """The referrals service's own checks of the child as sent, for a request already refused
    for other reasons (`found`), so that one reply lists every problem there is."""
    child = raw.get("child") if isinstance(raw, dict) else None
    if not isinstance(child, dict):
        return {}
    errors = found.get("child")
    already: dict[str, Any] = errors if isinstance(errors, dict) else {}
    described = {k: str(child.get(k) or "") for k in ("forename", "surname", "date_of_birth")}
    described["upn"] = "".join(str(child.get("upn") or "").split()).upper()
    problems = describe_problems(described, received_on=timezone.localdate())
    return {k: v for k, v in _dotted(problems).items() if k.removeprefix("child.") not in already}


@transaction.atomic
def api_referral_record(*, by: Any, data: dict[str, Any], described: dict[str, Any]) -> Referral:
    """Record a referral sent through the API, as the CME2 form would for the same account.

    Every problem found is reported at once, the child's fields named `child.<name>`.
    """
    problems: dict[str, list[str]] = {}
    urn = data.get("school_urn")
    school = Establishment.objects.filter(urn=urn).first() if urn is not None else None
    # A school's account refers its own pupils: any other URN is the conflict the terms name.
    if urn is not None and school is None and not school_is_fixed(by):
        problems["school_urn"] = [f"No school with URN {urn} is known to the register"]
    terms, conflicts = staff_referral_terms(
        by=by,
        route=data.get("route", ""),
        school=school,
        school_given=urn is not None,
        referrer=data.get("referrer") or {},
        school_field="school_urn",
    )
    problems.update(conflicts)
    problems.update(describe_problems(described, received_on=data["received_on"]))
    if problems:
        raise ValidationError(_dotted(problems))
    try:
        return staff_referral_record(
            by=by,
            terms=terms,
            reason=data["reason"],
            received_on=data["received_on"],
            described=described,
            details=data.get("details", ""),
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise ValidationError(_dotted(error.message_dict)) from None
        raise
