"""What the imports share: a problem with its place, the all-or-nothing refusal, date parsing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO

from django.core.exceptions import ValidationError

from cme.core.files import FileTooLarge, read_capped
from cme.people.models import Sex

InputFile = str | Path | IO[bytes] | bytes


@dataclass(frozen=True)
class Problem:
    """Where a file is wrong and why: `where` is a line number or an XML element path."""

    file: str
    where: str
    message: str

    def __str__(self) -> str:
        prefix = f"{self.file}, " if self.file else ""
        return f"{prefix}{self.where}: {self.message}"


class ImportRejected(ValidationError):
    """The file (or files) were refused whole; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__([str(p) for p in problems], code="import_rejected")
        self.problems = problems


def read_input(file: InputFile, name: str = "") -> tuple[bytes, str]:
    """The file's bytes and name; ImportRejected, having read nothing, if it is over the cap
    (``CME_IMPORT_MAX_MB``)."""
    if not name and not isinstance(file, bytes):
        name = Path(file if isinstance(file, str | Path) else str(getattr(file, "name", ""))).name
    try:
        return read_capped(file), name
    except FileTooLarge as exc:
        raise ImportRejected([Problem(name, "file", str(exc))]) from None


_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_date(text: str) -> date | None:
    """An ISO date (2015-03-14) or a UK one (14/03/2015); empty is None; else ValueError."""
    text = text.strip()
    if not text:
        return None
    match = _DMY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return date(year, month, day)
    if len(text) != 10:
        raise ValueError("not a date in the form 2015-03-14 or 14/03/2015")
    return date.fromisoformat(text)


_SEXES = {
    "M": Sex.MALE,
    "MALE": Sex.MALE,
    "F": Sex.FEMALE,
    "FEMALE": Sex.FEMALE,
    "U": Sex.UNKNOWN,
    "O": Sex.UNKNOWN,
    "": Sex.UNKNOWN,
}


def parse_sex(text: str) -> str:
    """M, F or U (the register's codes); ValueError for anything else."""
    try:
        return _SEXES[text.strip().upper()]
    except KeyError:
        raise ValueError("sex must be M, F or U (or left empty)") from None
