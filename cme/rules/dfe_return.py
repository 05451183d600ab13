"""How a child is counted in DfE's termly EHE and CME return: year group, length of time
missing education, sex, and the council's reasons in DfE's categories.

Source: /work/shared/reference/returns-and-enquiries.md section 1.5 (the ``breakdown_topic`` and
``breakdown`` values of ``cme_census.csv`` and ``ehe_census.csv``, 2025/26). The DfE document
that defines each item was not found (section 1.2), so two readings here are ours and marked so:

* **Year group** is the national curriculum year a child of that age is in: Reception for a
  child who is 4 on 31 August before the school year starts, Year 1 at 5, up to Year 11 at 15
  (the Education Act 1996 s.8 cohort: a child reaches compulsory school age in Reception's
  year and leaves at the end of Year 11's). A child outside Reception to Year 11 has no
  DfE year group: ``None``, and the return does not count them (not of compulsory school age,
  s.436A). The school year is the one ``calendar.academic_year_of`` gives (1 August on).
* **Duration** counts whole days from the day the child became missing education to the census
  date; each band includes its lower bound and excludes its upper (14 days is "2 to 4 weeks";
  364 days, 52 weeks exactly, is "Over 52 weeks"). INFERRED, UNVERIFIED against DfE's
  item definitions.

Nothing here imports Django.
"""

from __future__ import annotations

import datetime as dt

from cme.rules._dates import require_date
from cme.rules.calendar import academic_year_of
from cme.rules.dfe_categories import (
    CME_REASON_NOT_RECORDED,
    CME_REASONS,
    EHE_REASON_NOT_RECORDED,
    EHE_REASONS,
)

TOTAL = "Total"
UNKNOWN = "Unknown"

SEXES: tuple[str, ...] = ("Female", "Male", "Unknown")
YEAR_GROUPS: tuple[str, ...] = ("Reception", *(f"Year {n}" for n in range(1, 12)), UNKNOWN)
DURATIONS: tuple[str, ...] = (
    "Less than 2 weeks",
    "2 to 4 weeks",
    "4 to 8 weeks",
    "8 to 12 weeks",
    "12 to 26 weeks",
    "26 to 52 weeks",
    "Over 52 weeks",
    UNKNOWN,
)
# The EHE flows over the previous academic year, DfE's ``ehe_academic_year.csv`` (section 1.5;
# columns CODE-OBSERVED, DfE's description VERBATIM: "the number of starts in EHE, number of
# returns to education, number of section 437(1) notices issued, number of school attendance
# orders and school attendance orders revoked"). ``breakdown_topic`` -> DfE's column. Each
# counts children (a child served two notices in the year counts once), breakdown ``Total``.
EHE_ANY_TIME = "At any time in previous academic year"
EHE_STARTS = "Starts in previous academic year"
EHE_RETURNS = "Returns to education in previous academic year"
EHE_S437 = "Section 437(1) notices issued in previous academic year"
EHE_SAO_ISSUED = "School attendance orders issued in previous academic year"
EHE_SAO_REVOKED = "School attendance orders revoked in previous academic year"
EHE_FLOWS: dict[str, str] = {
    EHE_ANY_TIME: "ehe_anytime_full_year",
    EHE_STARTS: "ehe_starts_full_year",
    EHE_RETURNS: "ehe_returns_full_year",
    EHE_S437: "ehe_section_437_full_year",
    EHE_SAO_ISSUED: "ehe_sao_issued_full_year",
    EHE_SAO_REVOKED: "ehe_sao_revoked_full_year",
}

# Each band's upper bound in days (exclusive); the last band has none.
_DURATION_UPPER_DAYS: tuple[int, ...] = (14, 28, 56, 84, 182, 364)

# The register's sex codes (people.Sex) as DfE writes them.
_SEX = {"F": "Female", "M": "Male", "U": UNKNOWN}


def sex_label(code: str) -> str:
    """DfE's ``Sex`` value for the register's code: ``F`` Female, ``M`` Male, else Unknown."""
    return _SEX.get(code, UNKNOWN)


def school_year_start(on: dt.date) -> int:
    """The calendar year in which the school year holding ``on`` began (1 August on)."""
    return int(academic_year_of(require_date(on, "on"))[:4])


def year_group(date_of_birth: dt.date | None, *, on: dt.date) -> str | None:
    """DfE's ``Year group`` value for a child on ``on``: Reception, Year 1 .. Year 11, Unknown.

    ``Unknown`` when the date of birth is not known; ``None`` when the child is outside
    Reception to Year 11 that school year (too young or past Year 11), so not counted.

    >>> year_group(dt.date(2015, 9, 1), on=dt.date(2020, 10, 1))
    'Reception'
    >>> year_group(dt.date(2016, 8, 31), on=dt.date(2020, 10, 1))
    'Reception'
    >>> year_group(dt.date(2004, 9, 1), on=dt.date(2020, 10, 1))
    'Year 11'
    """
    start = school_year_start(on)
    if date_of_birth is None:
        return UNKNOWN
    born = require_date(date_of_birth, "date of birth")
    cut_off = dt.date(start, 8, 31)
    age = cut_off.year - born.year - ((cut_off.month, cut_off.day) < (born.month, born.day))
    if age == 4:
        return "Reception"
    if 5 <= age <= 15:
        return f"Year {age - 4}"
    return None


def duration_band(missing_since: dt.date | None, *, on: dt.date) -> str:
    """DfE's ``Duration`` value: how long the child had been missing education on ``on``.

    ``Unknown`` when the start is not known or is after ``on`` (a date that cannot be right).
    """
    on = require_date(on, "on")
    if missing_since is None:
        return UNKNOWN
    days = (on - require_date(missing_since, "missing since")).days
    if days < 0:
        return UNKNOWN
    for band, upper in zip(DURATIONS, _DURATION_UPPER_DAYS, strict=False):
        if days < upper:
            return band
    return "Over 52 weeks"


# The council's reasons on a referral (referrals.Reason) in DfE's CME categories: used when the
# officer has not yet recorded DfE's reason on the case. Each is the nearest DfE value; where
# the council's reason says nothing DfE distinguishes, DfE's own "Unknown" or "Other".
COUNCIL_REASON_TO_DFE: dict[str, str] = {
    "never_entered": "Did not apply for school place at compulsory school age",
    "exclusion": "Other",
    "withdrawal": "Parental decision not to register at school",
    "removed_from_roll": "Unknown",
    "failed_transition": "Difficulty accessing suitable school place",
    "new_to_city": "Moved in from another local authority",
    "whereabouts_unknown": "Unknown",
    "other": "Other",
}


def cme_reason_for_return(recorded: str, council_reason: str | None) -> str:
    """The ``Reason`` a case counts under: DfE's reason the officer recorded, else the council's
    reason on its first referral in DfE's categories, else ``Not recorded``."""
    if recorded:
        if recorded not in CME_REASONS:
            return CME_REASON_NOT_RECORDED
        return recorded
    if council_reason:
        return COUNCIL_REASON_TO_DFE.get(council_reason, CME_REASON_NOT_RECORDED)
    return CME_REASON_NOT_RECORDED


def ehe_reason_for_return(recorded: str) -> str:
    """The EHE ``Reason`` an entry counts under: DfE's reason recorded on it, else ``Unknown``
    (DfE's EHE list has no "Not recorded")."""
    return recorded if recorded in EHE_REASONS else EHE_REASON_NOT_RECORDED


def previous_academic_year(on: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the school year before the one holding ``on`` (1 August to
    31 July), for "CME at any time in the previous academic year" and the EHE flows."""
    start = school_year_start(on) - 1
    return dt.date(start, 8, 1), dt.date(start + 1, 7, 31)
