"""The terms on which a signed-in person refers, by their role: one rule for the CME2 form
and the API alike.

A school refers as a school, about its own pupils; a partner agency or another council
refers as itself on its own route; the CME team records referrals that reached it some
other way, and says which.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from cme.accounts.models import Organisation, Role
from cme.schools.models import Establishment

from ..models import Referral, Route
from .recording import referral_record

# Routes fixed by who is referring: a school refers as a school, an agency as an agency.
ROUTE_FOR_ROLE = {
    Role.SCHOOL_STAFF: Route.SCHOOL,
    Role.PARTNER_AGENCY: Route.AGENCY,
    Role.OTHER_LA: Route.OTHER_LA,
}


def route_is_fixed(user: Any) -> bool:
    """The account refers on its own route, and as itself: it names no route or referrer."""
    return user.role in ROUTE_FOR_ROLE


def school_is_fixed(user: Any) -> bool:
    """The account refers only its own school's pupils: it names no school."""
    return bool(user.role == Role.SCHOOL_STAFF)


@dataclass(frozen=True)
class StaffReferralTerms:
    route: str
    school: Establishment | None
    referrer: dict[str, str]
    referring_organisation: Organisation | None


def staff_referral_terms(
    *,
    by: Any,
    route: str = "",
    school: Establishment | None = None,
    school_given: bool | None = None,
    referrer: Mapping[str, str] | None = None,
    school_field: str = "school",
) -> tuple[StaffReferralTerms, dict[str, list[str]]]:
    """The route, school and referrer for `by`'s referral, and what conflicts with them.

    `school_given` says a school was named even if it could not be found (the API takes a
    URN); `school_field` is the caller's name for it, used in the problems found.
    """
    problems: dict[str, list[str]] = {}
    fixed = ROUTE_FOR_ROLE.get(by.role)
    if fixed is not None:
        if route and route != fixed:
            problems["route"] = [f"Your account refers on the '{fixed}' route: leave route out"]
        route = str(fixed)
    elif not route:
        problems["route"] = ["Say how the referral reached you (route)"]
    if school_is_fixed(by):
        own = by.organisation.establishment if by.organisation else None
        given = school is not None if school_given is None else school_given
        if given and (own is None or school != own):
            problems[school_field] = [f"A school refers its own pupils: leave {school_field} out"]
        school = own
    given_referrer = referrer or {}
    terms = StaffReferralTerms(
        route=route,
        school=school,
        referrer={
            "name": given_referrer.get("name") or by.get_full_name(),
            "role": given_referrer.get("role") or str(by.organisation or ""),
            "email": given_referrer.get("email", ""),
            "phone": given_referrer.get("phone", ""),
        },
        referring_organisation=by.organisation if fixed is not None else None,
    )
    return terms, problems


def staff_referral_record(
    *,
    by: Any,
    terms: StaffReferralTerms,
    reason: str,
    received_on: date,
    described: dict[str, Any],
    details: str = "",
    submission_key: str = "",
) -> Referral:
    """Record a signed-in person's referral on the terms `staff_referral_terms` set."""
    return referral_record(
        by=by,
        route=terms.route,
        reason=reason,
        received_on=received_on,
        described=described,
        details=details,
        referrer=terms.referrer,
        referring_organisation=terms.referring_organisation,
        school=terms.school,
        submission_key=submission_key,
    )
