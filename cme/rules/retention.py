"""How long a child's record is kept: the council's retention schedule, per category.

UK GDPR Article 5(1)(e) (storage limitation): personal data is kept no longer than the purpose
needs, and the council decides how long in its retention schedule. The register counts each
period in whole years from the child's date of birth: a record is due for removal on the
birthday that ends its period (the day the child attains that age, Family Law Reform Act 1969
s.9; `cme.rules.age.latest_date_of_birth`), unless a case about the child is still open.

The categories and the defaults the schedule starts from:

- ``default``, 25 years: every child (the register's default, DESIGN.md section 6; the same
  period the IRMS Information Management Toolkit for Schools gives a pupil's record).
- ``ehcp``, 31 years: a child who has ever had an education, health and care plan (the IRMS
  toolkit keeps special educational needs files to date of birth + 31 years).
- ``looked_after``, 75 years: a child who has ever been looked after by a local authority
  (the Care Planning, Placement and Case Review (England) Regulations 2010, reg. 50: a looked
  after child's case record is kept until the 75th anniversary of their birth).

A child in several categories is kept for the longest of their periods; a child in none, for the
default. A council may set any period from 1 to 150 years for each (the settings named below).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cme.rules.errors import InvalidArgument

MAX_YEARS = 150


@dataclass(frozen=True)
class RetentionCategory:
    key: str
    setting: str  # the Django setting (and environment variable) a council sets it with
    default_years: int
    who: str  # plain words, for the privacy notice and the job's output


CATEGORIES: tuple[RetentionCategory, ...] = (
    RetentionCategory("default", "CME_RETENTION_YEARS_DEFAULT", 25, "any other child"),
    RetentionCategory(
        "ehcp", "CME_RETENTION_YEARS_EHCP", 31, "a child who has ever had an EHC plan"
    ),
    RetentionCategory(
        "looked_after",
        "CME_RETENTION_YEARS_LOOKED_AFTER",
        75,
        "a child who has ever been looked after by a council",
    ),
)


def retention_years(value: object, *, setting: str) -> int:
    """A period of whole years from 1 to MAX_YEARS, from an int or its digits; anything else
    (a word, a fraction, 0, a negative, a boolean) is refused with the setting's name."""
    text = (
        str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    )
    if not text.isdigit() or not 1 <= int(text) <= MAX_YEARS:
        raise InvalidArgument(
            f"{setting} must be a whole number of years from 1 to {MAX_YEARS}, not {value!r}."
        )
    return int(text)


@dataclass(frozen=True)
class RetentionSchedule:
    """Years kept, by category key."""

    years: Mapping[str, int]

    def period_for(self, *, ehcp: bool, looked_after: bool) -> tuple[str, int]:
        """The category that decides a child's period, and the period: the longest of the
        categories the child is in, or the default when in none."""
        applies = [key for key, yes in (("ehcp", ehcp), ("looked_after", looked_after)) if yes]
        if not applies:
            return "default", self.years["default"]
        key = max(applies, key=lambda k: self.years[k])
        return key, self.years[key]


def retention_schedule(settings: object) -> RetentionSchedule:
    """The schedule from an object with the settings as attributes (Django's settings; any
    namespace in a test); a missing setting takes its default, a bad one raises
    InvalidArgument naming it."""
    return RetentionSchedule(
        years={
            c.key: retention_years(getattr(settings, c.setting, c.default_years), setting=c.setting)
            for c in CATEGORIES
        }
    )
