"""The LA's EMS/MIS extract of pupils on roll: a CSV, one row a pupil (docs/checks.md).

A file replaces exactly the pupils of the schools it names: a school in the file gets exactly
the file's rows, schools not in it are untouched. Loading the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cme.accounts.permissions import Action, can
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.core.errors import NotAllowed
from cme.core.files import nul_line
from cme.rules import normalise_upn, validate_upn
from cme.schools.models import Establishment

from ..models import PupilOnRoll
from .common import ImportRejected, InputFile, Problem, parse_date, parse_sex, read_input

REQUIRED = ("laestab", "forename", "surname", "date_of_birth")
TEXT = ("upn", "forename", "middle_names", "surname", "postcode", "address", "exclusion_type")
DATES = ("date_of_birth", "admission_date", "leaving_date", "exclusion_start", "exclusion_end")
COUNTS = (
    "sessions_possible",
    "sessions_attended",
    "sessions_authorised",
    "sessions_unauthorised",
)
COLUMNS = (
    "laestab",
    "upn",
    "forename",
    "middle_names",
    "surname",
    "date_of_birth",
    "sex",
    "postcode",
    "address",
    "admission_date",
    "leaving_date",
    *COUNTS,
    "exclusion_type",
    "exclusion_start",
    "exclusion_end",
)
# The values that make two rows the same pupil record, in a fixed order.
COMPARED = tuple(c for c in COLUMNS if c != "laestab")


@dataclass(frozen=True)
class EmsResult:
    rows: int
    schools: int
    created: int
    removed: int
    unchanged: int

    def summary(self) -> str:
        return (
            f"{self.rows} pupils read for {self.schools} school(s). Added {self.created}, "
            f"removed {self.removed}, {self.unchanged} unchanged."
        )


@dataclass(frozen=True)
class _Row:
    line: int
    laestab: str
    values: dict[str, Any]

    def key(self) -> tuple[Any, ...]:
        return tuple(self.values[c] for c in COMPARED)


def _header(reader: Iterator[list[str]], name: str) -> list[str]:
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ImportRejected([Problem(name, "line 1", "the file is empty")]) from None
    except csv.Error as exc:
        raise ImportRejected([Problem(name, "line 1", f"malformed CSV ({exc})")]) from None
    unknown = [h for h in header if h not in COLUMNS]
    missing = [c for c in REQUIRED if c not in header]
    problems = []
    if unknown:
        problems.append(f"unknown column(s) {', '.join(unknown)}")
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}")
    if len(set(header)) != len(header):
        problems.append("a column is named twice")
    if problems:
        message = "; ".join(problems) + f". Columns are: {', '.join(COLUMNS)}"
        raise ImportRejected([Problem(name, "line 1", message)])
    return header


def _value(column: str, text: str) -> Any:
    """One cell, parsed; ValueError says what is wrong with it."""
    text = text.strip()
    if column in DATES:
        return parse_date(text)
    if column in COUNTS:
        if not text:
            return None
        if not text.isdigit():
            raise ValueError("must be a whole number of sessions")
        return int(text)
    if column == "sex":
        return parse_sex(text)
    if column == "upn":
        upn = normalise_upn(text)
        errors = validate_upn(upn) if upn else []
        if errors:
            raise ValueError(" ".join(errors))
        return upn
    if column == "postcode":
        return " ".join(text.upper().split())
    return text


def _row_problems(values: dict[str, Any], today: date) -> list[str]:
    problems = [f"{c} is required" for c in REQUIRED if not values.get(c)]
    dob, admitted, left = (
        values.get(c) for c in ("date_of_birth", "admission_date", "leaving_date")
    )
    if dob and dob > today:
        problems.append("date_of_birth is in the future")
    if admitted and left and left < admitted:
        problems.append("leaving_date is before admission_date")
    possible, attended = values.get("sessions_possible"), values.get("sessions_attended")
    if possible is not None and attended is not None and attended > possible:
        problems.append("sessions_attended is more than sessions_possible")
    return problems


def _parse_row(cells: list[str], header: list[str], line: int, name: str, today: date):
    if len(cells) != len(header):
        return None, [Problem(name, f"line {line}", f"{len(cells)} fields, expected {len(header)}")]
    values: dict[str, Any] = {c: None if c in DATES + COUNTS else "" for c in COLUMNS}
    values["sex"] = "U"
    problems = []
    for column, text in zip(header, cells, strict=True):
        try:
            values[column] = _value(column, text)
        except ValueError as exc:
            problems.append(Problem(name, f"line {line}", f"{column} {text.strip()!r}: {exc}"))
    problems += [Problem(name, f"line {line}", p) for p in _row_problems(values, today)]
    laestab = values.pop("laestab")
    return _Row(line, laestab, values), problems


def parse_ems(data: bytes, name: str, today: date) -> list[_Row]:
    """Every row, checked; ImportRejected listing each problem with its line."""
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
                    "damaged: export it from the MIS again as CSV (UTF-8)",
                )
            ]
        )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header = _header(reader, name)
    rows: list[_Row] = []
    problems: list[Problem] = []
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            row, found = _parse_row(cells, header, reader.line_num, name, today)
            problems += found
            if row is not None:
                rows.append(row)
    except csv.Error as exc:
        problems.append(Problem(name, f"line {reader.line_num}", f"malformed CSV ({exc})"))
    if not rows and not problems:
        problems.append(Problem(name, "line 2", "the file has no pupils"))
    if problems:
        raise ImportRejected(problems)
    return rows


def _schools(rows: list[_Row], name: str) -> dict[str, Establishment]:
    wanted = {row.laestab for row in rows}
    found = {e.laestab: e for e in Establishment.objects.filter(laestab__in=wanted)}
    problems = [
        Problem(name, f"line {row.line}", f"laestab {row.laestab} is not a known establishment")
        for row in rows
        if row.laestab not in found
    ]
    if problems:
        raise ImportRejected(problems)
    return found


def ems_import(*, file: InputFile, by: Any = None, name: str = "") -> EmsResult:
    """Load an EMS extract: all of it or none of it, replacing the named schools' pupils.

    `by` is None for the operator's command line; otherwise they must be allowed to import
    reference data.
    """
    if by is not None and not can(by, Action.IMPORT_REFERENCE_DATA):
        raise NotAllowed
    data, name = read_input(file, name)
    rows = parse_ems(data, name, timezone.localdate())
    schools = _schools(rows, name)
    for row in rows:
        try:
            PupilOnRoll(
                establishment=schools[row.laestab], loaded_at=timezone.now(), **row.values
            ).clean_fields(exclude=["establishment"])
        except ValidationError as exc:
            raise ImportRejected(
                [
                    Problem(name, f"line {row.line}", f"{f}: {'; '.join(m)}")
                    for f, m in exc.message_dict.items()
                ]
            ) from None
    return _write(rows, schools, by=by, name=name)


@transaction.atomic
def _write(rows: list[_Row], schools: dict[str, Establishment], *, by: Any, name: str) -> EmsResult:
    now = timezone.now()
    created: list[PupilOnRoll] = []
    removed: list[int] = []
    unchanged = 0
    for laestab, school in sorted(schools.items()):
        existing: dict[tuple[Any, ...], list[int]] = {}
        for pupil in PupilOnRoll.objects.select_for_update().filter(establishment=school):
            key = tuple(getattr(pupil, c) for c in COMPARED)
            existing.setdefault(key, []).append(pupil.pk)
        for row in (r for r in rows if r.laestab == laestab):
            same = existing.get(row.key())
            if same:
                same.pop()
                unchanged += 1
            else:
                created.append(
                    PupilOnRoll(establishment=school, source_file=name, loaded_at=now, **row.values)
                )
        removed += [pk for pks in existing.values() for pk in pks]
    PupilOnRoll.objects.filter(pk__in=removed).delete()
    PupilOnRoll.objects.bulk_create(created, batch_size=1000)
    result = EmsResult(len(rows), len(schools), len(created), len(removed), unchanged)
    audit_record(
        actor=by,
        verb=Verb.IMPORT,
        subject_type="pupils_on_roll",
        details={
            "file": name,
            "schools": sorted(schools),
            "rows": result.rows,
            "created": result.created,
            "removed": result.removed,
            "unchanged": result.unchanged,
        },
    )
    return result
