"""Whether a child is of compulsory school age: a referral outside it is accepted but flagged.

A child too young or too old may still need help (a four-year-old new to the city, a
sixteen-year-old out of education), so the referral is kept; the officer is told why it may
fall outside the CME duty (Education Act 1996 s.436A covers children of compulsory school age).
"""

from __future__ import annotations

from datetime import date

from cme.rules import RulesError, compulsory_school_age


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
