"""Builds fictional CTF files for the transfer tests."""

from __future__ import annotations

from datetime import date, datetime

from cme.ctf import Address, CtfFile, Header, Pupil, School, write_ctf
from cme.people.models import Child

# Friday before Liverpool's 2025 autumn half term (27 to 31 October 2025).
BEFORE_HALF_TERM = date(2025, 10, 17)


def ctf_for(
    child: Child,
    *,
    source: str,
    to: str,
    pupils: int = 1,
    version: str = "25.0",
    at: datetime = datetime(2025, 11, 3, 14, 5),
    dob: date | None = None,
) -> bytes:
    """A fictional CTF for the test child, from `source` to `to`."""
    pupil = Pupil(
        surname=child.surname,
        forename=child.forename,
        date_of_birth=dob or child.date_of_birth,
        sex=child.sex,
        address=Address(lines=("10 Fictional Street", "Liverpool"), postcode="L8 1AA"),
    )
    header = Header(
        version=version,
        date_time=at,
        source=School(lea=source[:3], estab=source[3:], name="Fictional School"),
        destination=School(lea=to[:3], estab=to[3:]),
    )
    return write_ctf(CtfFile(header=header, pupils=(pupil,) * pupils))
