"""The children not in school register: who is on it and what it holds.

Education Act 1996 ss.436B-436G, inserted by the Children's Wellbeing and Schools Act 2026
s.38 (2026 c. 21, Royal Assent 29 April 2026). NOT YET IN FORCE: s.78(5) leaves the register
duties to a commencement order, and none has been made (reference
returns-and-enquiries.md section 4, "Commencement" and "Status").

s.436B(1): a local authority "must maintain a register of children who are eligible". A child
is eligible when (A) they live in the authority's area, (B) they are of compulsory school age,
and (C) (a) they are not a registered pupil at a relevant school, or (b) they are, but the
proprietor "has arranged or agreed" that they receive education otherwise than at a relevant
school and are absent for some or all of the time a full-time pupil would attend, or (c) a
student attending part-time (s.436B(2) to (5), verbatim in the reference).

What the register holds (s.436C): only the bill's text was seen, with the government
amendments for Lords Report (INFERRED to be enacted, UNVERIFIED). Each field below cites that
text; the register shows what the council holds and leaves the rest blank until the
regulations prescribe it. s.436C(2) lets the council add what it "already hold[s] through
other means": sex, special educational needs, child protection, looked after, child in need.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

IN_FORCE = False
CITATION = (
    "Education Act 1996 s.436B, inserted by the Children's Wellbeing and Schools Act 2026 s.38"
)
COMMENCEMENT = (
    "Not yet in force: the Children's Wellbeing and Schools Act 2026 s.78(5) leaves the duty "
    "to keep this register to regulations, and no start date has been set."
)


class Why(StrEnum):
    """Why a child known to the register is within s.436B(5), condition C."""

    # Not a registered pupil at a relevant school: s.436B(5)(a).
    MISSING_EDUCATION = "missing_education"
    HOME_EDUCATED = "home_educated"
    # Placed by the council in tuition or alternative provision that is not a school: no roll
    # to be registered on, so (a) again; a school that arranges education elsewhere for its own
    # pupil, (b), is not reported to the register by any return it receives.
    EDUCATED_OTHERWISE = "educated_otherwise"


WHY_LABELS: dict[Why, str] = {
    Why.MISSING_EDUCATION: "Missing education: not on a school's roll (s.436B(5)(a))",
    Why.HOME_EDUCATED: "Electively home educated: not on a school's roll (s.436B(5)(a))",
    Why.EDUCATED_OTHERWISE: (
        "Educated otherwise than at school, in provision the council arranged (s.436B(5)(a))"
    ),
}


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    citation: str
    required: bool  # s.436C(1); False for the information the council may add (s.436C(2))


FIELDS: tuple[Field, ...] = (
    Field("name", "Child's name", "s.436C(1)(a)", True),
    Field("date_of_birth", "Date of birth", "s.436C(1)(a)", True),
    Field("home_address", "Home address", "s.436C(1)(a)", True),
    Field("parents", "Each parent's name and home address", "s.436C(1)(b)", True),
    Field("educating_parents", "Parents providing the child's education", "s.436C(1)(c)", True),
    Field(
        "time_with_parents",
        "Estimated time a week educated by parents",
        "s.436C(1)(d), as amended at Lords Report",
        True,
    ),
    Field(
        "time_with_others",
        "Estimated time a week educated by others",
        "s.436C(1)(da), as amended at Lords Report",
        True,
    ),
    Field(
        "providers",
        "Other people and organisations educating the child, their type and address",
        "s.436C(1)(e)(i) to (iii)",
        True,
    ),
    Field("provider_time", "Time a week with each provider", "s.436C(1)(e)(iv)", True),
    Field("sex", "Sex", "s.436C(2), a protected characteristic", False),
    Field("sen", "Special educational needs", "s.436C(2)", False),
    Field(
        "care",
        "Looked after, child in need, child protection plan",
        "s.436C(2)",
        False,
    ),
)
