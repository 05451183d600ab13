"""Which CTF version a file carries, and which ones the register reads.

`CTFversion` is `NN.0`, NN being the last two digits of the first calendar year of the academic
year the file is produced in (2025/26 gives `25.0`). Suppliers switch during August, before
1 September, and One exports the new year from 1 August, so the year turns on 1 August here.
GIAP and MTC turn on 1 September; a file they produce in August says the older version, which
is still accepted (reference: shared/reference/ctf.md, section 3).

The version mapping lives here rather than in `cme.rules`: it is a fact of the file format, not
a statutory rule. The lost pupil database keeps files from earlier years, so the reader takes
every version from CTF 18 (2018/19, the first with URN) to this year's; an MIS usually takes
only this year's and last year's.
"""

from __future__ import annotations

import re
from datetime import date

OLDEST = 18
CHANGEOVER_MONTH = 8  # August
# Which CTF version renamed Gender to Sex is unverified; the evidence (MTC's change in March
# 2024, GIAP in 2026) points to CTF 24 (2024/25).
FIRST_WITH_SEX = 24

_VERSION = re.compile(r"^(\d{2})\.0$")


def academic_year(day: date) -> int:
    """The first calendar year of the academic year `day` falls in, turning on 1 August."""
    return day.year if day.month >= CHANGEOVER_MONTH else day.year - 1


def version_for(day: date) -> str:
    """The CTF version of a file produced on `day`: `26.0` from 1 August 2026."""
    return f"{academic_year(day) % 100:02d}.0"


def version_number(text: str) -> int | None:
    """26 for `26.0`; None for anything that is not a CTF version."""
    match = _VERSION.match(text.strip())
    return int(match.group(1)) if match else None


def accepted_versions(today: date) -> tuple[str, ...]:
    """Every version the reader takes on `today`, newest first: this year's back to CTF 18."""
    newest = academic_year(today) % 100
    return tuple(f"{n:02d}.0" for n in range(newest, OLDEST - 1, -1))


def version_problem(text: str, today: date) -> str | None:
    """Why `text` is not a version the reader takes on `today`, in plain words; else None."""
    number = version_number(text)
    this_year = version_for(today)
    year = academic_year(today)
    if not text.strip():
        return "the file gives no CTF version"
    if number is None:
        return f"{text.strip()!r} is not a CTF version (they look like {this_year})"
    if number > year % 100:
        return (
            f"CTF version {text.strip()} is newer than this year's ({this_year} for "
            f"{year}/{(year + 1) % 100:02d}): a file cannot come from a later year; check "
            "the file's header"
        )
    if number < OLDEST:
        return (
            f"CTF version {text.strip()} is older than CTF {OLDEST}.0 (2018/19), the oldest "
            "version this register reads"
        )
    return None


def sex_element_for(version: str) -> str:
    """`Sex` for CTF 24 onwards, `Gender` before (the switch year is unverified)."""
    number = version_number(version)
    return "Sex" if number is None or number >= FIRST_WITH_SEX else "Gender"
