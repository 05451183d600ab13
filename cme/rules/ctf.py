"""Where a common transfer file goes: the destination code and the one-pupil-per-file rule.

Sources: DfE S2S guidance (2019, p.15, quoted in an FOI request) for ``XXXXXXX`` when the
destination is unknown; the S2S overview flow chart and Derbyshire's guidance for ``MMMMMMM``
for an independent school or a school outside England and Wales; the Liverpool policy
(independent school or Scotland: MMMMMMM; "this file should only hold information on one
pupil"). These are guidance conventions, not statute. Whether current DfE guidance still
routes Northern Ireland (and Scotland) through ``MMMMMMM`` is UNVERIFIED.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from cme.rules.errors import InvalidArgument
from cme.rules.la_codes import la_codes

UNKNOWN_CODE = "XXXXXXX"
OUTSIDE_CODE = "MMMMMMM"


class Destination(enum.Enum):
    SCHOOL_IN_ENGLAND = "school in England"
    SCHOOL_IN_WALES = "school in Wales"
    UNKNOWN = "unknown"
    INDEPENDENT = "independent school"
    SCOTLAND = "school in Scotland"
    NORTHERN_IRELAND = "school in Northern Ireland"
    ABROAD = "school abroad"


@dataclass(frozen=True)
class CtfDestination:
    code: str  # 7 characters: 3-character LA + 4-character establishment
    one_pupil_per_file: bool
    lost_pupil_database: bool
    citation: str
    note: str = ""

    @property
    def la(self) -> str:
        return self.code[:3]

    @property
    def estab(self) -> str:
        return self.code[3:]


_S2S = "DfE S2S guidance (2019) p.15; Liverpool CME policy (Common Transfer File Requirement)"


def _check_laestab(laestab: str | None, destination: Destination) -> str:
    if laestab is None or not (len(laestab) == 7 and laestab.isascii() and laestab.isdigit()):
        raise InvalidArgument(
            f"a {destination.value} needs its 7-digit LAESTAB (LA code + school number), "
            f"got {laestab!r}"
        )
    entry = la_codes().get(laestab[:3])
    wanted = "england" if destination is Destination.SCHOOL_IN_ENGLAND else "wales"
    if entry is None or entry.kind != wanted:
        raise InvalidArgument(f"{laestab[:3]} is not a local authority code in {wanted.title()}")
    return laestab


def ctf_destination(*, destination: Destination, laestab: str | None = None) -> CtfDestination:
    """The CTF destination code for where the pupil has gone.

    A maintained school or academy in England or Wales: its own LAESTAB. Unknown: XXXXXXX,
    one pupil per file, to the Lost Pupil Database. Independent school, Scotland, Northern
    Ireland or abroad: MMMMMMM, one pupil per file.
    """
    if destination in (Destination.SCHOOL_IN_ENGLAND, Destination.SCHOOL_IN_WALES):
        return CtfDestination(
            code=_check_laestab(laestab, destination),
            one_pupil_per_file=False,
            lost_pupil_database=False,
            citation="SI 2005/1437 reg 9; DfE CTF specification (file naming)",
        )
    if laestab is not None:
        raise InvalidArgument(
            f"a LAESTAB is only used for a school in England or Wales, not a {destination.value}"
        )
    if destination is Destination.UNKNOWN:
        return CtfDestination(
            code=UNKNOWN_CODE,
            one_pupil_per_file=True,
            lost_pupil_database=True,
            citation=_S2S,
            note="Upload to S2S; it is held in the Lost Pupil Database until the pupil enrols.",
        )
    note = "Held on S2S in case the pupil returns to a maintained school."
    if destination is Destination.NORTHERN_IRELAND:
        note += (
            " Whether current DfE guidance still uses MMMMMMM for Northern Ireland is UNVERIFIED."
        )
    return CtfDestination(
        code=OUTSIDE_CODE,
        one_pupil_per_file=True,
        lost_pupil_database=True,
        citation=_S2S,
        note=note,
    )
