"""A child's age: the latest birth date for an age, and whether a child is of school age.

Whether a referred child is of compulsory school age: such referrals are accepted but flagged.

A child too young or too old may still need help (a four-year-old new to the city, a
sixteen-year-old out of education), so the referral is kept; the officer is told why it may
fall outside the CME duty (Education Act 1996 s.436A covers children of compulsory school age).
"""

from __future__ import annotations

from datetime import date

from cme.rules._dates import require_date
from cme.rules.errors import InvalidArgument, RulesError
from cme.rules.school_age import compulsory_school_age


def latest_date_of_birth(*, age: int, on: date) -> date:
    """The latest date of birth of someone who has attained ``age`` years by ``on``.

    "Born on or before" this date means "at least ``age`` on ``on``"; the filters of the
    register and the retention job both ask it. A person attains an age at the start of the
    anniversary of their birth (Family Law Reform Act 1969 s.9), and someone born on
    29 February attains it on 1 March in a year without one (see ``anniversary``): so when
    ``on`` is 29 February and that day did not exist ``age`` years before, the answer is
    28 February, since someone born on 1 March is not ``age`` until the next day.
    """
    require_date(on, "on")
    if age < 0:
        raise InvalidArgument(f"age must not be negative, not {age}")
    try:
        return on.replace(year=on.year - age)
    except ValueError:  # on is 29 February; that year had none
        return date(on.year - age, 2, 28)


def school_age_concern(date_of_birth: str | date | None, *, on: date) -> str:
    """A plain-English reason the child may not be of compulsory school age on `on`, or ""."""
    if not date_of_birth:
        return ""
    try:
        born = (
            date.fromisoformat(date_of_birth) if isinstance(date_of_birth, str) else date_of_birth
        )
        span = compulsory_school_age(born)
    except (ValueError, RulesError):
        return ""
    if on < span.start:
        return (
            f"Not yet of compulsory school age on {on:%-d %B %Y}: that starts on "
            f"{span.start:%-d %B %Y} ({span.citation})."
        )
    if on > span.end:
        return (
            f"Past compulsory school age on {on:%-d %B %Y}: that ended on "
            f"{span.end:%-d %B %Y} ({span.citation})."
        )
    return ""
