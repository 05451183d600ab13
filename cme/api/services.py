"""Writes made through the API: thin glue from the API's input to the referrals service."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cme.accounts.models import Role
from cme.referrals.forms import ROUTE_FOR_ROLE
from cme.referrals.models import Referral
from cme.referrals.services import describe_problems, referral_record
from cme.schools.models import Establishment

# The referrals service names the child's fields at the top level; the API nests them.
CHILD_FIELDS = frozenset({"forename", "middle_names", "surname", "date_of_birth", "upn"})


def _route(by: Any, given: str, problems: dict[str, list[str]]) -> str:
    """A school, agency or other LA refers as itself (as the CME2 form does); others choose."""
    forced = ROUTE_FOR_ROLE.get(by.role)
    if forced is not None:
        if given and given != forced:
            problems["route"] = [f"Your account refers on the '{forced}' route: leave route out"]
        return str(forced)
    if not given:
        problems["route"] = ["Say how the referral reached you (route)"]
    return given


def _school(by: Any, urn: int | None, problems: dict[str, list[str]]) -> Establishment | None:
    if by.role == Role.SCHOOL_STAFF:
        own = by.organisation.establishment if by.organisation else None
        if urn is not None and (own is None or own.urn != urn):
            problems["school_urn"] = ["A school refers its own pupils: leave school_urn out"]
        return own
    if urn is None:
        return None
    school = Establishment.objects.filter(urn=urn).first()
    if school is None:
        problems["school_urn"] = [f"No school with URN {urn} is known to the register"]
    return school


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
    route = _route(by, data.get("route", ""), problems)
    school = _school(by, data.get("school_urn"), problems)
    problems.update(describe_problems(described, received_on=data["received_on"]))
    if problems:
        raise ValidationError(_dotted(problems))
    referrer = data.get("referrer") or {}
    try:
        return referral_record(
            by=by,
            route=route,
            reason=data["reason"],
            received_on=data["received_on"],
            described=described,
            details=data.get("details", ""),
            referrer={
                "name": referrer.get("name") or by.get_full_name(),
                "role": referrer.get("role") or str(by.organisation or ""),
                "email": referrer.get("email", ""),
                "phone": referrer.get("phone", ""),
            },
            referring_organisation=by.organisation if by.role in ROUTE_FOR_ROLE else None,
            school=school,
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise ValidationError(_dotted(error.message_dict)) from None
        raise
