"""Loading the sources a check reads: the EMS roll extract and S2S lost-pupil CTF files."""

from .common import ImportRejected, Problem
from .ctf import LostPupilResult, lost_pupils_import, parse_ctf
from .ems import COLUMNS as EMS_COLUMNS
from .ems import EmsResult, ems_import

__all__ = [
    "EMS_COLUMNS",
    "EmsResult",
    "ImportRejected",
    "LostPupilResult",
    "Problem",
    "ems_import",
    "lost_pupils_import",
    "parse_ctf",
]
