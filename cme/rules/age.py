"""A child's age: the latest birth date for an age, and whether a child is of school age.

Whether a referred child is of compulsory school age: such referrals are accepted but flagged.

A child too young or too old may still need help (a four-year-old new to the city, a
sixteen-year-old out of education), so the referral is kept; the officer is told why it may
fall outside the CME duty (Education Act 1996 s.436A covers children of compulsory school age).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from cme.rules._dates import require_date
from cme.rules.errors import InvalidArgument, InvalidDate, RulesError
from cme.rules.school_age import CITATION, compulsory_school_age, compulsory_school_age_end

SchoolAge = Literal["below", "within", "above"]


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


def school_age_on(date_of_birth: date, *, on: date) -> SchoolAge:
    """Whether a child born on `date_of_birth` is below, within or above compulsory school age
    on `on` (Education Act 1996 s.8). Someone who turned 5 before the present s.8(2) applied
    (1 August 1998) is judged by the end alone, s.8(3), which did not change."""
    require_date(on, "on")
    try:
        span = compulsory_school_age(date_of_birth)
    except InvalidDate:
        return "above" if on > compulsory_school_age_end(date_of_birth) else "within"
    if on < span.start:
        return "below"
    return "above" if on > span.end else "within"


def years_old_school_age(years: int, *, on: date) -> SchoolAge:
    """Whether someone `years` old on `on` is below, within or above compulsory school age:
    "below" or "above" only when every birth date giving that age is (s.8), else "within".

    An age says less than a date of birth: some five-year-olds are of compulsory school age
    (from the prescribed day after their birthday) and some are not, so 5 is "within"; no
    four-year-old is, so 4 is "below"; every seventeen-year-old is past it, so 17 is "above".
    """
    if years < 0:
        raise InvalidArgument(f"an age must not be negative, not {years}")
    youngest = latest_date_of_birth(age=years, on=on)
    oldest = latest_date_of_birth(age=years + 1, on=on) + timedelta(days=1)
    ends = {school_age_on(youngest, on=on), school_age_on(oldest, on=on)}
    return ends.pop() if len(ends) == 1 else "within"


def school_age_concern(date_of_birth: str | date | None, *, on: date) -> str:
    """A plain-English reason the child may not be of compulsory school age on `on`, or ""."""
    if not date_of_birth:
        return ""
    try:
        born = (
            date.fromisoformat(date_of_birth) if isinstance(date_of_birth, str) else date_of_birth
        )
        where = school_age_on(born, on=on)
        if where == "below":
            start = compulsory_school_age(born).start
            return (
                f"Not yet of compulsory school age on {on:%-d %B %Y}: that starts on "
                f"{start:%-d %B %Y} ({CITATION})."
            )
        if where == "above":
            # The end is known even for someone who turned 5 before the present s.8(2).
            return (
                f"Past compulsory school age on {on:%-d %B %Y}: that ended on "
                f"{compulsory_school_age_end(born):%-d %B %Y} ({CITATION})."
            )
    except (ValueError, RulesError):
        return ""
    return ""
