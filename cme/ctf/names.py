"""CTF file names: `LLLEEEE_CTF_DDDDDDD_NNN.xml`.

The source school's LAESTAB (3-digit LA + 4-digit establishment), `CTF`, the destination's
LAESTAB (or XXXXXXX when unknown, MMMMMMM for an independent school or one outside England and
Wales), and a 3-digit sequence number from 001 (S2S guidance, shared/reference/ctf.md section
2). Whether the extension's case matters is unverified: `.xml` is written, `.XML` is read.
Non-move data transfers put another code in place of `CTF` (MTC writes `_MTC_`); they parse
too, with that code as `kind`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cme.rules.ctf import OUTSIDE_CODE, UNKNOWN_CODE

from .errors import CtfError

_NAME = re.compile(r"^([0-9A-Z]{7})_([A-Z0-9]{2,10})_([0-9A-Z]{7})_(\d{3})\.xml$", re.IGNORECASE)


def is_laestab_code(code: str) -> bool:
    """Seven digits, or one of the two codes for a destination that is not a known school."""
    return (len(code) == 7 and code.isascii() and code.isdigit()) or code in (
        UNKNOWN_CODE,
        OUTSIDE_CODE,
    )


@dataclass(frozen=True)
class FileName:
    source: str  # the sending school's LAESTAB
    destination: str  # a LAESTAB, XXXXXXX or MMMMMMM
    sequence: int = 1
    kind: str = "CTF"

    def __post_init__(self) -> None:
        for label, code in (("source", self.source), ("destination", self.destination)):
            if not is_laestab_code(code):
                raise CtfError.one(
                    "file name",
                    f"the {label} {code!r} is not a 7-digit LAESTAB, XXXXXXX or MMMMMMM",
                )
        if not 1 <= self.sequence <= 999:
            raise CtfError.one(
                "file name", f"the sequence number must be 001 to 999, not {self.sequence}"
            )

    def __str__(self) -> str:
        return f"{self.source}_{self.kind}_{self.destination}_{self.sequence:03d}.xml"


def parse_file_name(name: str) -> FileName:
    """`3412001_CTF_XXXXXXX_001.xml` as its parts; CtfError if it is not in the convention."""
    match = _NAME.match(name)
    if not match:
        raise CtfError.one(
            "file name",
            f"{name!r} is not named as a CTF is (source LAESTAB_CTF_destination_001.xml, "
            "e.g. 3412001_CTF_XXXXXXX_001.xml)",
        )
    source, kind, destination, sequence = match.groups()
    return FileName(source.upper(), destination.upper(), int(sequence), kind.upper())


def file_name(*, source: str, destination: str, sequence: int = 1) -> str:
    """The name of a CTF from `source` to `destination` (7-character codes)."""
    return str(FileName(source, destination, sequence))
