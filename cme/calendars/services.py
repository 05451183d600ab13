"""Loading the LA's term dates: checked whole by cme.rules before anything is written."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.core.files import FileTooLarge, nul_line, read_capped
from cme.rules import CalendarError, SchoolCalendar
from cme.rules.calendar import academic_year_of

from .models import TermDates, TermKind
from .selectors import forget_calendars, la_calendar


@dataclass(frozen=True)
class TermDatesImport:
    created: int
    unchanged: int


def _text(data: bytes, name: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CalendarError(
            f"{name}: not UTF-8 text ({exc.reason}); save it as CSV UTF-8"
        ) from None
    line = nul_line(text)
    if line is not None:
        raise CalendarError(
            f"{name} line {line}: has a NUL character (byte 0), so it is not a CSV text file "
            "or it is damaged"
        )
    return text


def _rows_from_csv(text: str, name: str) -> list[dict[str, str]]:
    import csv

    # Parsing with the rules engine first rejects a malformed file with its line and reason.
    SchoolCalendar.from_csv(io.StringIO(text))
    rows = []
    for row in csv.DictReader(io.StringIO(text)):
        kind = row["kind"].strip().lower().replace("-", "_")
        rows.append(
            {
                # Checked by the rules engine above when given; worked out when not.
                "academic_year": (row.get("academic_year") or "").strip()
                or academic_year_of(date.fromisoformat(row["first_day"].strip())),
                "term": (row.get("term") or "").strip(),
                "kind": TermKind.TERM if kind == "term" else TermKind.HALF_TERM,
                "first_day": row["first_day"].strip(),
                "last_day": row["last_day"].strip(),
                "note": (row.get("note") or "").strip()[:300],
            }
        )
    if not rows:
        raise CalendarError(f"{name}: no term dates in the file")
    return rows


def _rows_from_ical(data: bytes) -> list[dict[str, str]]:
    calendar = SchoolCalendar.from_ical(data)
    return [
        {
            "academic_year": academic_year_of(first),
            "term": "",
            "kind": TermKind.TERM,
            "first_day": str(first),
            "last_day": str(last),
            "note": "from iCalendar",
        }
        for first, last in calendar.terms
    ]


@transaction.atomic
def term_dates_import(*, path: Path, by: Any = None) -> TermDatesImport:
    """Add the term dates in a CSV or iCalendar file. Raises CalendarError, writing nothing."""
    try:
        data = read_capped(path)
    except FileTooLarge as exc:
        raise CalendarError(f"{path.name}: {exc}") from None
    if path.suffix.lower() in {".ics", ".ical"}:
        rows = _rows_from_ical(data)
    else:
        rows = _rows_from_csv(_text(data, path.name), path.name)
    created = unchanged = 0
    for row in rows:
        _, was_created = TermDates.objects.get_or_create(
            kind=row["kind"], first_day=row["first_day"], defaults=row
        )
        created += was_created
        unchanged += not was_created
    # The stored dates as a whole must still make one consistent calendar.
    forget_calendars()
    la_calendar()
    audit_record(
        actor=by,
        verb=Verb.IMPORT,
        subject_type="term_dates",
        details={"file": path.name, "created": created, "unchanged": unchanged},
    )
    return TermDatesImport(created=created, unchanged=unchanged)
