"""Read term dates from iCalendar (RFC 5545) all-day events, for ``SchoolCalendar.from_ical``."""

from __future__ import annotations

import datetime as dt

import icalendar

from cme.rules.errors import CalendarError

_CATEGORY_KINDS = {"TERM": "term", "HOLIDAY": "break", "BREAK": "break", "CLOSURE": "closure"}
# Checked in order: "half term" must be read as a break before "term" matches it.
_SUMMARY_WORDS = (
    ("half term", "break"),
    ("half-term", "break"),
    ("holiday", "break"),
    ("break", "break"),
    ("inset", "closure"),
    ("training", "closure"),
    ("closure", "closure"),
    ("closed", "closure"),
    ("term", "term"),
)


def _kind(event: icalendar.cal.Component, where: str) -> str:
    categories = event.get("CATEGORIES")
    if categories is not None:
        items = categories if isinstance(categories, list) else [categories]
        for item in items:
            for category in item.cats:
                kind = _CATEGORY_KINDS.get(str(category).strip().upper())
                if kind:
                    return kind
    summary = str(event.get("SUMMARY", "")).lower()
    for word, kind in _SUMMARY_WORDS:
        if word in summary:
            return kind
    raise CalendarError(
        f"{where}: cannot tell whether {event.get('SUMMARY', '(no summary)')!r} is a term, "
        "a holiday or a closure; set CATEGORIES to TERM, HOLIDAY or CLOSURE"
    )


def _span(event: icalendar.cal.Component, where: str) -> tuple[dt.date, dt.date]:
    start = event.get("DTSTART")
    if start is None:
        raise CalendarError(f"{where}: event has no DTSTART")
    first = start.dt
    if isinstance(first, dt.datetime):
        raise CalendarError(f"{where}: DTSTART {first} has a time; term dates must be all-day")
    end = event.get("DTEND")
    # RFC 5545 3.6.1: an all-day DTEND is exclusive; with no DTEND the event lasts one day.
    last = first if end is None else end.dt - dt.timedelta(days=1)
    if isinstance(last, dt.datetime) or last < first:
        raise CalendarError(f"{where}: DTEND must be an all-day date after DTSTART")
    return first, last


def read_ical_entries(data: bytes, name: str) -> list[tuple[str, dt.date, dt.date, str]]:
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except ValueError as exc:
        raise CalendarError(f"{name}: not a valid iCalendar file: {exc}") from exc
    entries = []
    for number, event in enumerate(calendar.walk("VEVENT"), 1):
        where = f"{name} event {number}"
        first, last = _span(event, where)
        entries.append((_kind(event, where), first, last, where))
    return entries
