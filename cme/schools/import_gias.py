"""Reading DfE's "Get Information about Schools" (GIAS) establishment fields CSV.

Plain Python, no Django: it turns the bytes of a GIAS extract into establishment rows, or into
every problem that stops the file being loaded, each with the line and column to look at.
The full extract has over a hundred columns; only those in COLUMNS are read, the rest ignored.
GIAS downloads are usually Windows-1252, so the text is read as UTF-8 (with or without a byte
order mark) first, then Windows-1252, then Latin-1 (which accepts any byte).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cme.core.files import nul_line

if TYPE_CHECKING:
    from _csv import _reader

# GIAS heading -> Establishment field, and the longest value the field holds.
COLUMNS: dict[str, tuple[str, int]] = {
    "URN": ("urn", 10),
    "LA (code)": ("la_code", 3),
    "LA (name)": ("la_name", 100),
    "EstablishmentNumber": ("establishment_number", 4),
    "EstablishmentName": ("name", 200),
    "TypeOfEstablishment (name)": ("type", 120),
    "EstablishmentStatus (name)": ("status", 60),
    "PhaseOfEducation (name)": ("phase", 60),
    "Postcode": ("postcode", 10),
}
REQUIRED = ("URN", "LA (code)", "EstablishmentNumber", "EstablishmentName")
# Checked by their own rules, with their own messages, rather than by length.
CODES = frozenset({"URN", "LA (code)", "EstablishmentNumber"})
ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
# Establishment.urn is a PositiveIntegerField: the largest value every database accepts.
MAX_URN = 2_147_483_647


@dataclass(frozen=True)
class Problem:
    """Something wrong with the file, where a person opening it in a spreadsheet will find it."""

    line: int
    column: str
    message: str
    column_number: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}"
        if self.column:
            number = f" {self.column_number}" if self.column_number else ""
            where += f", column{number} ({self.column})"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class EstablishmentRow:
    """One establishment as the file gives it, already checked and normalised."""

    line: int
    values: dict[str, str | int]

    @property
    def urn(self) -> int:
        return int(self.values["urn"])


@dataclass
class ParsedFile:
    rows: list[EstablishmentRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    encoding: str = ""
    # The optional GIAS columns the file lacks: the fields they fill are left as they are.
    missing_optional: list[str] = field(default_factory=list)


def decode(data: bytes) -> tuple[str, str]:
    """The file's text and the encoding that read it."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def parse(data: bytes) -> ParsedFile:
    """Check every row of a GIAS CSV and return the rows, or the problems, or both."""
    text, encoding = decode(data)
    result = ParsedFile(encoding=encoding)
    line = nul_line(text)
    if line is not None:
        message = "This line has a NUL character (byte 0): the file is not a CSV, or is damaged."
        result.problems.append(Problem(line, "", message))
        return result
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        result.problems.append(Problem(1, "", "The file is empty: expected a GIAS CSV header."))
        return result
    except csv.Error as exc:
        result.problems.append(Problem(1, "", f"The header cannot be read as CSV ({exc})."))
        return result
    positions = _header_positions(header, result)
    if result.problems:
        return result
    _read_rows(reader, len(header), positions, result)
    return result


def _header_positions(header: list[str], result: ParsedFile) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, heading in enumerate(header):
        if heading in COLUMNS:
            if heading in positions:
                result.problems.append(
                    Problem(1, heading, "This heading appears twice.", column_number=index + 1)
                )
            positions.setdefault(heading, index)
    for heading in REQUIRED:
        if heading not in positions:
            result.problems.append(
                Problem(
                    1,
                    heading,
                    f"The required column {heading!r} is missing: is this a GIAS establishment "
                    "fields CSV?",
                )
            )
    result.missing_optional = [h for h in COLUMNS if h not in positions and h not in REQUIRED]
    return positions


def _read_rows(reader: _reader, width: int, positions: dict[str, int], result: ParsedFile) -> None:
    first_seen: dict[int, int] = {}
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            result.problems.append(Problem(line, "", f"This line cannot be read as CSV ({exc})."))
            return
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != width:
            result.problems.append(
                Problem(start, "", f"This row has {len(cells)} fields; the header has {width}.")
            )
            continue
        row = _check_row(start, cells, positions, result.problems)
        if row is None:
            continue
        if row.urn in first_seen:
            result.problems.append(
                Problem(
                    start,
                    "URN",
                    f"URN {row.urn} is already on line {first_seen[row.urn]}.",
                    column_number=positions["URN"] + 1,
                )
            )
            continue
        first_seen[row.urn] = start
        result.rows.append(row)


def _value_problems(values: dict[str, str | int]) -> list[tuple[str, str]]:
    """(heading, message) for each required value that is missing or malformed."""
    found: list[tuple[str, str]] = []
    urn = str(values["urn"])
    if not urn:
        found.append(("URN", "The URN is empty."))
    elif not (urn.isascii() and urn.isdigit() and 0 < int(urn) <= MAX_URN):
        found.append(("URN", f"The URN must be a whole number, not {urn!r}."))
    la_code = str(values["la_code"])
    if not (len(la_code) == 3 and la_code.isascii() and la_code.isdigit()):
        found.append(("LA (code)", f"The LA code must be 3 digits, not {la_code!r}."))
    number = str(values["establishment_number"])
    if number and not (len(number) <= 4 and number.isascii() and number.isdigit()):
        found.append(
            (
                "EstablishmentNumber",
                f"The establishment number must be up to 4 digits, not {number!r}.",
            )
        )
    if not values["name"]:
        found.append(("EstablishmentName", "The establishment name is empty."))
    return found


def _check_row(
    line: int, cells: list[str], positions: dict[str, int], problems: list[Problem]
) -> EstablishmentRow | None:
    values: dict[str, str | int] = {}
    found: list[tuple[str, str]] = []
    for heading, index in positions.items():
        name, longest = COLUMNS[heading]
        value = " ".join(cells[index].split())
        if len(value) > longest and heading not in CODES:
            found.append(
                (heading, f"This is {len(value)} characters long; the most allowed is {longest}.")
            )
        values[name] = value
    found.extend(_value_problems(values))
    if found:
        problems.extend(
            Problem(line, heading, message, column_number=positions[heading] + 1)
            for heading, message in found
        )
        return None
    number = str(values["establishment_number"])
    values["urn"] = int(values["urn"])
    values["establishment_number"] = number.zfill(4) if number else ""
    values["laestab"] = f"{values['la_code']}{values['establishment_number']}" if number else ""
    if "postcode" in values:
        values["postcode"] = str(values["postcode"]).upper()
    return EstablishmentRow(line=line, values=values)
