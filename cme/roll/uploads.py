"""Returns sent as a CSV file: a school's attendance officer, or the school's PAEWS officer,
uploads many at once (docs/roll.md, "The CSV upload").

The file is checked whole. Every row goes through the same service as the page and the API
(so it is refused for the same reasons), inside one transaction; if any row is wrong the
transaction is rolled back and the file is refused with each problem's line and column, so
nothing of it is kept. The size cap, the NUL check and the UTF-8 reading are the EMS
import's (`cme.checks.imports`); a cell a spreadsheet would run as a formula is refused, as
the register never keeps what it would have to write back out as one (`cme.rules.csv_cells`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.checks.imports.common import (
    ImportRejected,
    InputFile,
    Problem,
    parse_date,
    parse_sex,
    read_input,
)
from cme.core.errors import NotAllowed
from cme.core.files import nul_line
from cme.rules.csv_cells import FORMULA_STARTS
from cme.schools.models import Establishment

from .models import Channel
from .selectors import upload_schools
from .services import (
    attendance_return_record,
    deletion_return_record,
    new_pupil_return_record,
    sickness_return_record,
)

PUPIL = (
    "forename",
    "middle_names",
    "surname",
    "date_of_birth",
    "sex",
    "upn",
    "address_line_1",
    "town",
    "postcode",
)
PARENT = (
    "parent_name",
    "parent_address",
    "parent_postcode",
    "parent_telephone",
    "parent_lives_with",
)
COLUMNS: dict[str, tuple[str, ...]] = {
    "new_pupil": (
        "laestab",
        *PUPIL,
        "admitted_on",
        "name_used",
        "last_school",
        "boarder",
        *PARENT,
    ),
    "deletion": (
        "laestab",
        *PUPIL,
        "ground",
        "deleted_on",
        "admitted_on",
        *PARENT,
        "future_school_name",
        "future_school_laestab",
        "future_address_line_1",
        "future_address_postcode",
        "facts",
        "first_day_absent",
        "traveller_left_on",
        "traveller_return_date",
    ),
    "attendance": (
        "laestab",
        "period_from",
        "period_to",
        *PUPIL,
        "reason",
        "first_day_absent",
        "school_days_absent",
        "codes",
    ),
    "sickness": ("laestab", *PUPIL, "absent_from", "basis", "expected_back_on"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "new_pupil": ("surname", "date_of_birth", "admitted_on"),
    "deletion": ("surname", "ground", "deleted_on"),
    "attendance": ("period_from", "period_to", "surname", "reason"),
    "sickness": ("surname", "absent_from", "basis"),
}
DATES = frozenset(
    {
        "date_of_birth",
        "admitted_on",
        "deleted_on",
        "first_day_absent",
        "traveller_left_on",
        "traveller_return_date",
        "period_from",
        "period_to",
        "absent_from",
        "expected_back_on",
    }
)
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}
# The service's dotted field names that are not the column's own name.
FIELD_COLUMN = {
    "parents.0.name": "parent_name",
    "parents.0.address_line_1": "parent_address",
    "parents.0.postcode": "parent_postcode",
    "parents.0.telephone": "parent_telephone",
}


@dataclass(frozen=True)
class UploadResult:
    kind: str
    rows: int
    returns: int
    flagged: int

    def summary(self) -> str:
        flagged = f" {self.flagged} flagged for a look." if self.flagged else ""
        return f"{self.rows} rows read: {self.returns} returns made.{flagged}"


@dataclass
class _Row:
    line: int
    school: Establishment
    cells: dict[str, Any]


def column_letter(index: int) -> str:
    """A spreadsheet's name for the column at `index` (0 is A, 26 is AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


class _Where:
    """Says where a problem is: the line, and the column by letter and header name."""

    def __init__(self, name: str, header: list[str]) -> None:
        self.name = name
        self.header = header

    def at(self, line: int, column: str | None, message: str) -> Problem:
        if column is None or column not in self.header:
            return Problem(self.name, f"line {line}", message)
        letter = column_letter(self.header.index(column))
        return Problem(self.name, f"line {line}, column {letter} ({column})", message)


def _text(data: bytes, name: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected([Problem(name, "file", f"not UTF-8 text ({exc.reason})")]) from None
    line = nul_line(text)
    if line is not None:
        raise ImportRejected(
            [
                Problem(
                    name,
                    f"line {line}",
                    "has a NUL character (byte 0), so this is not a CSV text file or it is "
                    "damaged: save it from the spreadsheet again as CSV (UTF-8)",
                )
            ]
        )
    return text


def _header(reader: Any, kind: str, name: str) -> list[str]:
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ImportRejected([Problem(name, "line 1", "the file is empty")]) from None
    except csv.Error as exc:
        raise ImportRejected([Problem(name, "line 1", f"malformed CSV ({exc})")]) from None
    columns = COLUMNS[kind]
    unknown = [h for h in header if h not in columns]
    missing = [c for c in REQUIRED[kind] if c not in header]
    problems = []
    if unknown:
        problems.append(f"unknown column(s) {', '.join(unknown)}")
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}")
    if len(set(header)) != len(header):
        problems.append("a column is named twice")
    if problems:
        message = "; ".join(problems) + f". The columns are: {', '.join(columns)}"
        raise ImportRejected([Problem(name, "line 1", message)])
    return header


def _cell(column: str, raw: str) -> Any:
    """One cell, parsed; ValueError says what is wrong with it."""
    if raw.startswith(FORMULA_STARTS) and raw.strip() not in {"", "-"}:
        raise ValueError(
            f"starts with {raw[0]!r}, so a spreadsheet would run it as a formula: type the "
            "value itself"
        )
    text = raw.strip()
    if column in DATES:
        return parse_date(text)
    if column == "sex":
        return parse_sex(text)
    if column == "school_days_absent":
        if not text:
            return None
        if not text.isdigit():
            raise ValueError("must be a whole number of school days")
        return int(text)
    if column in {"boarder", "parent_lives_with"}:
        if text.lower() in YES:
            return True
        if text.lower() in NO:
            return False
        raise ValueError("must be yes or no")
    return text


def _parse_row(
    raw: list[str], line: int, kind: str, where: _Where, header: list[str]
) -> tuple[dict[str, Any], list[Problem]]:
    if len(raw) != len(header):
        return {}, [where.at(line, None, f"{len(raw)} fields, expected {len(header)}")]
    cells: dict[str, Any] = {}
    found: list[Problem] = []
    for column, value in zip(header, raw, strict=True):
        try:
            cells[column] = _cell(column, value)
        except ValueError as exc:
            found.append(where.at(line, column, f"{value.strip()!r}: {exc}"))
    for column in REQUIRED[kind]:
        if column in cells and cells[column] in ("", None):
            found.append(where.at(line, column, "is empty; it is needed"))
    return cells, found


def _school_of(
    cells: dict[str, Any], schools: dict[str, Establishment]
) -> tuple[Establishment | None, str]:
    laestab = "".join(str(cells.get("laestab") or "").split())
    if not laestab:
        only = next(iter(schools.values())) if len(schools) == 1 else None
        return only, "give the school's LAESTAB"
    return schools.get(laestab), f"LAESTAB {laestab} is not a school you may send returns for"


def _rows(
    text: str, kind: str, name: str, schools: dict[str, Establishment]
) -> tuple[list[_Row], _Where, list[Problem]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header = _header(reader, kind, name)
    where = _Where(name, header)
    rows: list[_Row] = []
    problems: list[Problem] = []
    try:
        for raw in reader:
            line = reader.line_num
            if not any(c.strip() for c in raw):
                continue
            cells, found = _parse_row(raw, line, kind, where, header)
            if found:
                # The row's other checks (the services') cannot run on what did not parse.
                problems += found
                continue
            school, refusal = _school_of(cells, schools)
            if school is None:
                problems.append(where.at(line, "laestab", refusal))
                continue
            rows.append(_Row(line, school, cells))
    except csv.Error as exc:
        problems.append(where.at(reader.line_num, None, f"malformed CSV ({exc})"))
    if not rows and not problems:
        problems.append(Problem(name, "line 2", "the file has no returns"))
    return rows, where, problems


def _pupil(cells: dict[str, Any]) -> dict[str, Any]:
    return {k: cells.get(k) for k in PUPIL if k in cells}


def _parents(cells: dict[str, Any]) -> list[dict[str, Any]]:
    if not (cells.get("parent_name") or cells.get("parent_telephone")):
        return []
    return [
        {
            "name": cells.get("parent_name", ""),
            "address_line_1": cells.get("parent_address") or cells.get("address_line_1", ""),
            "postcode": cells.get("parent_postcode") or cells.get("postcode", ""),
            "telephone": cells.get("parent_telephone", ""),
            "lives_with": bool(cells.get("parent_lives_with", True)),
        }
    ]


def _new_pupil(cells: dict[str, Any]) -> dict[str, Any]:
    return {
        "pupil": _pupil(cells),
        "admitted_on": cells["admitted_on"],
        "parents": _parents(cells),
        "name_used": cells.get("name_used", ""),
        "last_school": cells.get("last_school", ""),
        "boarder": bool(cells.get("boarder")),
    }


def _deletion(cells: dict[str, Any]) -> dict[str, Any]:
    facts: dict[str, Any] = {
        flag.strip(): True for flag in str(cells.get("facts") or "").split(";") if flag.strip()
    }
    for name in ("first_day_absent", "traveller_left_on", "traveller_return_date"):
        if cells.get(name):
            facts[name] = cells[name]
    return {
        "pupil": _pupil(cells),
        "parents": _parents(cells),
        "ground": cells["ground"],
        "deleted_on": cells["deleted_on"],
        "admitted_on": cells.get("admitted_on"),
        "future_school": {
            "name": cells.get("future_school_name", ""),
            "laestab": cells.get("future_school_laestab", ""),
        },
        "future_address": {
            "address_line_1": cells.get("future_address_line_1", ""),
            "postcode": cells.get("future_address_postcode", ""),
        },
        "facts": facts,
    }


def _sickness(cells: dict[str, Any]) -> dict[str, Any]:
    return {
        "pupil": _pupil(cells),
        "absent_from": cells["absent_from"],
        "basis": cells["basis"],
        "expected_back_on": cells.get("expected_back_on"),
    }


def _facts_flags_problem(cells: dict[str, Any]) -> str:
    from .services.assessment import SCHOOL_FLAGS

    unknown = [
        f.strip()
        for f in str(cells.get("facts") or "").split(";")
        if f.strip() and f.strip() not in SCHOOL_FLAGS
    ]
    if unknown:
        return (
            f"{', '.join(unknown)} is not a fact a school can give; separate facts with ';' "
            f"from: {', '.join(SCHOOL_FLAGS)}"
        )
    return ""


def _column(field: str) -> str:
    """The column a service's dotted field name (`pupil.upn`, `pupils.0.codes`) was read from."""
    if field in FIELD_COLUMN:
        return FIELD_COLUMN[field]
    last = field.rsplit(".", 1)[-1]
    return last


PER_ROW: dict[str, tuple[Callable[..., Any], Callable[[dict[str, Any]], dict[str, Any]]]] = {
    "new_pupil": (new_pupil_return_record, _new_pupil),
    "deletion": (deletion_return_record, _deletion),
    "sickness": (sickness_return_record, _sickness),
}


def _record_each(
    rows: list[_Row], kind: str, by: Any, where: _Where
) -> tuple[int, int, list[Problem]]:
    """Record each row through its service; the problems of the rows a service refused."""
    problems: list[Problem] = []
    made = flagged = 0
    record, arguments = PER_ROW[kind]
    for row in rows:
        if kind == "deletion":
            message = _facts_flags_problem(row.cells)
            if message:
                problems.append(where.at(row.line, "facts", message))
                continue
        try:
            saved = record(school=row.school, by=by, channel=Channel.CSV, **arguments(row.cells))
        except ValidationError as error:
            problems += _refusals(error, where, _same_line(row.line))
            continue
        made += 1
        flagged += bool(saved.flags)
    return made, flagged, problems


def _record_attendance(rows: list[_Row], by: Any, where: _Where) -> tuple[int, int, list[Problem]]:
    """One attendance return for each school and period in the file, listing its rows."""
    groups: dict[tuple[int, date, date], list[_Row]] = {}
    for row in rows:
        key = (row.school.pk, row.cells["period_from"], row.cells["period_to"])
        groups.setdefault(key, []).append(row)
    problems: list[Problem] = []
    made = flagged = 0
    for (_, period_from, period_to), group in groups.items():
        pupils = [
            {
                "pupil": _pupil(row.cells),
                "reason": row.cells.get("reason", ""),
                "first_day_absent": row.cells.get("first_day_absent"),
                "school_days_absent": row.cells.get("school_days_absent"),
                "codes": row.cells.get("codes", ""),
            }
            for row in group
        ]

        def line_of(field: str, group: list[_Row] = group) -> int:
            parts = field.split(".")
            if parts[0] == "pupils" and len(parts) > 1 and parts[1].isdigit():
                return group[int(parts[1])].line
            return group[0].line

        try:
            saved = attendance_return_record(
                school=group[0].school,
                by=by,
                channel=Channel.CSV,
                period_from=period_from,
                period_to=period_to,
                pupils=pupils,
            )
        except ValidationError as error:
            problems += _refusals(error, where, line_of)
            continue
        made += 1
        flagged += sum(bool(p.flags) for p in saved.pupils.all())
    return made, flagged, problems


def _same_line(line: int) -> Callable[[str], int]:
    """Every field of a one-row return was read from the same line."""

    def line_of(_field: str) -> int:
        return line

    return line_of


def _refusals(
    error: ValidationError, where: _Where, line_of: Callable[[str], int]
) -> list[Problem]:
    if not hasattr(error, "error_dict"):
        return [where.at(line_of(""), None, " ".join(error.messages))]
    return [
        where.at(line_of(field), _column(field), message)
        for field, messages in error.message_dict.items()
        for message in messages
    ]


def returns_upload(*, file: InputFile, kind: str, by: Any, name: str = "") -> UploadResult:
    """Make every return in a CSV file, or none: ImportRejected lists each problem with its
    line and column, and then nothing of the file is kept."""
    schools = {s.laestab: s for s in upload_schools(by)}
    if not schools:
        raise NotAllowed
    if kind not in COLUMNS:
        raise ValidationError({"kind": ["Choose which returns are in the file"]})
    try:
        data, name = read_input(file, name)
        rows, where, problems = _rows(_text(data, name), kind, name, schools)
        with transaction.atomic():
            # The rows that parsed go through their services even when others did not, so
            # the school hears of every problem in the file at once.
            if kind == "attendance":
                made, flagged, refused = _record_attendance(rows, by, where)
            else:
                made, flagged, refused = _record_each(rows, kind, by, where)
            problems += refused
            if problems:
                # Leaves the atomic block by an exception: every row made so far is undone.
                raise ImportRejected(sorted(problems, key=_line_order))
            audit_record(
                actor=by,
                verb=Verb.IMPORT,
                subject_type=f"{kind}_returns",
                details={"file": name, "kind": kind, "rows": len(rows), "returns": made},
            )
    except ImportRejected as rejected:
        _audit_refused(by=by, kind=kind, name=name, problems=len(rejected.problems))
        raise
    return UploadResult(kind=kind, rows=len(rows), returns=made, flagged=flagged)


def _line_order(problem: Problem) -> tuple[int, str]:
    digits = "".join(c for c in problem.where.split(",")[0] if c.isdigit())
    return (int(digits) if digits else 0, problem.where)


def _audit_refused(*, by: Any, kind: str, name: str, problems: int) -> None:
    """The refusal is audited (who tried, what file, how many problems), not its contents."""
    audit_record(
        actor=by,
        verb=Verb.IMPORT,
        subject_type=f"{kind}_returns",
        details={"file": name, "kind": kind, "refused": True, "problems": problems},
    )


def template_header(kind: str) -> str:
    """The header line of a blank file for `kind`, for the upload page to offer."""
    return ",".join(COLUMNS[kind])
