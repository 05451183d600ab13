"""Re-addressing a file: the same pupils sent on to a new destination, dated now.

When a lost pupil is found and admitted, the council forwards the pupil's CTF to the admitting
school (issue 13). Only the header's destination and date change: the source school, the
version and every block stay as they were, since the content is still what that school sent in
that version. A school's MIS may take only this year's and last year's versions, so an old
file forwarded as it is may be refused there; converting a file between versions is not done
(what changed between versions is not known well enough: shared/reference/ctf.md).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from cme.rules.ctf import OUTSIDE_CODE, UNKNOWN_CODE

from .errors import CtfError
from .model import CtfFile, School
from .names import FileName, is_laestab_code


def readdress(file: CtfFile, *, to: str, at: datetime, urn: str = "") -> CtfFile:
    """The file addressed to `to` (a LAESTAB, XXXXXXX or MMMMMMM) and dated `at`.

    `at` is written as wall-clock time with no zone; pass local time. A file to XXXXXXX or
    MMMMMMM must hold one pupil (DfE S2S guidance), so a file of several is refused.
    """
    code = to.strip().upper()
    if not is_laestab_code(code):
        raise CtfError.one(
            "Header/DestSchool",
            f"{to!r} is not a destination: give a 7-digit LAESTAB, XXXXXXX or MMMMMMM",
        )
    if code in (UNKNOWN_CODE, OUTSIDE_CODE) and len(file.pupils) != 1:
        raise CtfError.one(
            "CTFpupilData",
            f"a file to {code} must hold exactly one pupil, and this one holds "
            f"{len(file.pupils)} (DfE S2S guidance)",
        )
    destination = School(lea=code[:3], estab=code[3:], urn=urn.strip())
    header = replace(
        file.header,
        destination=destination,
        date_time=at.replace(tzinfo=None, microsecond=0),
    )
    return replace(file, header=header)


def name_for(file: CtfFile, sequence: int = 1) -> str:
    """The file's name by the convention, from its header's source and destination."""
    return str(FileName(file.header.source.laestab, file.header.destination.laestab, sequence))
