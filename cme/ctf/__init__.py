"""Common Transfer Files: read, write, name and re-address CTF XML. Plain Python, no Django.

    from cme.ctf import read_ctf, write_ctf, readdress, version_for
    file = read_ctf(data, today=today)        # CtfError lists every problem with its element
    again = write_ctf(readdress(file, to="3414321", at=now))

Reads CTF 18 (2018/19) to this year's version, with `Sex` or the older `Gender`; keeps the
blocks the register does not use (attendance, SEN, assessments...) whole. docs/ctf.md.
"""

from .errors import CtfError, CtfProblem
from .model import Address, Block, Contact, CtfFile, Header, Phone, Pupil, School
from .names import FileName, file_name, is_laestab_code, parse_file_name
from .readdress import name_for, readdress
from .reader import MAX_BYTES, read_ctf
from .versions import (
    OLDEST,
    academic_year,
    accepted_versions,
    sex_element_for,
    version_for,
    version_number,
    version_problem,
)
from .writer import write_ctf

__all__ = [
    "MAX_BYTES",
    "OLDEST",
    "Address",
    "Block",
    "Contact",
    "CtfError",
    "CtfFile",
    "CtfProblem",
    "FileName",
    "Header",
    "Phone",
    "Pupil",
    "School",
    "academic_year",
    "accepted_versions",
    "file_name",
    "is_laestab_code",
    "name_for",
    "parse_file_name",
    "read_ctf",
    "readdress",
    "sex_element_for",
    "version_for",
    "version_number",
    "version_problem",
    "write_ctf",
]
