"""Input checks shared by the rules: a date must be a real ``datetime.date``."""

from __future__ import annotations

import datetime as dt

from cme.rules.errors import InvalidDate


def require_date(value: object, name: str) -> dt.date:
    """Return ``value`` if it is a plain date; raise InvalidDate naming ``name`` otherwise.

    A ``datetime`` is refused too: it is a subclass of ``date``, and letting one through would
    compare a time of day against whole days and could be off by one near midnight.
    """
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise InvalidDate(f"{name} must be a date (datetime.date), not {type(value).__name__}")
    return value


def parse_iso_date(text: str, name: str) -> dt.date:
    """Parse ``YYYY-MM-DD``; an impossible date such as 2023-02-29 raises InvalidDate."""
    try:
        return dt.date.fromisoformat(text.strip())
    except (ValueError, AttributeError) as exc:
        raise InvalidDate(f"{name} is not a real date in the form YYYY-MM-DD: {text!r}") from exc


def anniversary(born: dt.date, years: int) -> dt.date:
    """The day on which someone born on ``born`` attains ``years`` years of age.

    Family Law Reform Act 1969 s.9 says a person attains an age at the start of the relevant
    anniversary of their birth. For a 29 February birthday in a year without one we take
    1 March (the reading also written into Scots law, Age of Legal Capacity (Scotland) Act 1991
    s.6). For compulsory school age the choice never changes the answer: see
    ``tests/rules/test_rules_school_age.py``, which checks 28 February gives the same result.
    """
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return dt.date(born.year + years, 3, 1)
