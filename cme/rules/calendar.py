"""School days: the unit of every statutory clock in pupil registration.

A school day is a weekday inside the term dates, not a bank holiday in England, and not one of
the school's own closure days (INSET and the like). The 2006 and 2024 registration regulations
count "school days" for the 10- and 20-day absence rules, and SI 2005/1437 reg 9 counts them
for the CTF. Bank holidays come from the ``holidays`` library (England subdivision), so one-off
days such as a coronation are included without anyone typing them in.

The calendar knows only the span from its first term's first day to its last term's last day;
asked about a day outside that span it raises ``OutsideCalendar`` instead of guessing.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import io
import itertools
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import holidays

from cme.rules._dates import parse_iso_date, require_date
from cme.rules.errors import CalendarError, InvalidArgument, InvalidDate, OutsideCalendar

Span = tuple[dt.date, dt.date]
Closure = dt.date | Span
_SATURDAY = 5


def england_bank_holidays(years: Iterable[int]) -> dict[dt.date, str]:
    """England's bank holidays for ``years``, from the maintained ``holidays`` package."""
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=list(years)).items())


def _days(first: dt.date, last: dt.date) -> Iterable[dt.date]:
    for offset in range((last - first).days + 1):
        yield first + dt.timedelta(days=offset)


def _check_span(span: object, what: str) -> Span:
    if not (isinstance(span, tuple | list) and len(span) == 2):
        raise CalendarError(f"each {what} must be a (first_day, last_day) pair, got {span!r}")
    first = require_date(span[0], f"{what} first day")
    last = require_date(span[1], f"{what} last day")
    if last < first:
        raise InvalidDate(f"{what} ends ({last}) before it starts ({first})")
    return first, last


def _closure_span(closure: object) -> Span:
    if isinstance(closure, dt.date) and not isinstance(closure, dt.datetime):
        return closure, closure
    return _check_span(closure, "closure")


class SchoolCalendar:
    """The school days of an LA's term dates, less bank holidays and the school's closures.

    ``terms`` are (first_day, last_day) pairs with half terms already taken out (the loaders
    do this); ``closures`` are single dates or (first, last) pairs inside the terms.
    """

    def __init__(
        self,
        *,
        terms: Sequence[Span],
        closures: Iterable[Closure] = (),
        name: str = "",
    ) -> None:
        spans = sorted(_check_span(term, "term") for term in terms)
        if not spans:
            raise CalendarError("a school calendar needs at least one term")
        for (_, previous_last), (first, _) in itertools.pairwise(spans):
            if first <= previous_last:
                raise CalendarError(
                    f"terms overlap: one ends {previous_last}, another starts {first}"
                )
        self.name = name
        self.terms: tuple[Span, ...] = tuple(spans)
        self.first_day = spans[0][0]
        self.last_day = spans[-1][1]
        self.closures: tuple[Span, ...] = tuple(sorted(_closure_span(c) for c in closures))
        for first, last in self.closures:
            if first < self.first_day or last > self.last_day:
                raise CalendarError(
                    f"closure {first}..{last} is outside the calendar "
                    f"({self.first_day}..{self.last_day})"
                )
        years = range(self.first_day.year, self.last_day.year + 1)
        self.bank_holidays = england_bank_holidays(years)
        closed = {day for first, last in self.closures for day in _days(first, last)}
        self._ordinals: list[int] = [
            day.toordinal()
            for first, last in spans
            for day in _days(first, last)
            if day.weekday() < _SATURDAY and day not in self.bank_holidays and day not in closed
        ]
        self._ordinal_set = frozenset(self._ordinals)

    def __repr__(self) -> str:
        label = f" {self.name!r}" if self.name else ""
        return f"<SchoolCalendar{label} {self.first_day}..{self.last_day}>"

    def with_closures(self, closures: Iterable[Closure], *, name: str = "") -> SchoolCalendar:
        """A school's calendar: these (LA) term dates plus the school's own closure days."""
        return SchoolCalendar(
            terms=self.terms, closures=(*self.closures, *closures), name=name or self.name
        )

    def _require_known(self, day: object, what: str) -> dt.date:
        day = require_date(day, what)
        if not self.first_day <= day <= self.last_day:
            raise OutsideCalendar(
                f"{what} {day} is outside the term dates this calendar knows "
                f"({self.first_day} to {self.last_day}); add that year's term dates first"
            )
        return day

    def is_school_day(self, day: dt.date) -> bool:
        """True when ``day`` is a weekday in term, not a bank holiday and not a closure."""
        return self._require_known(day, "date").toordinal() in self._ordinal_set

    def add_school_days(self, day: dt.date, n: int) -> dt.date:
        """The ``n``-th school day after ``day`` (``day`` itself is not counted).

        A negative ``n`` counts back: -1 is the last school day before ``day``.
        """
        ordinal = self._require_known(day, "date").toordinal()
        if not isinstance(n, int) or isinstance(n, bool) or n == 0:
            raise InvalidArgument(
                f"number of school days must be a non-zero whole number, got {n!r}"
            )
        if n > 0:
            index = bisect.bisect_right(self._ordinals, ordinal) + n - 1
        else:
            index = bisect.bisect_left(self._ordinals, ordinal) + n
        if not 0 <= index < len(self._ordinals):
            raise OutsideCalendar(
                f"{abs(n)} school days {'after' if n > 0 else 'before'} {day} falls outside "
                f"the term dates this calendar knows ({self.first_day} to {self.last_day})"
            )
        return dt.date.fromordinal(self._ordinals[index])

    def due_soon_from(self, due: dt.date, n: int) -> dt.date:
        """The first day on which ``due`` is within ``n`` school days: from it on,
        ``add_school_days(day, n)`` reaches ``due`` or counts past the last term this calendar
        knows (a deadline that cannot be counted to is treated as near, not as far off).

        Stored beside a due date (cme.cases.due), it lets "due soon" be read with a date
        comparison instead of counting school days for every deadline on every view.
        """
        due = require_date(due, "due date")
        if not isinstance(n, int) or isinstance(n, bool) or n < 1:
            raise InvalidArgument(f"number of school days must be 1 or more, got {n!r}")
        # add_school_days(day, n) is the (bisect_right(day) + n - 1)-th school day, so it
        # reaches the first school day on or after `due` (index j) once day >= school day j - n.
        index = bisect.bisect_left(self._ordinals, due.toordinal()) - n
        if index < 0:
            return self.first_day
        return dt.date.fromordinal(self._ordinals[index])

    def school_days_between(self, start: dt.date, end: dt.date) -> int:
        """How many school days fall after ``start``, up to and including ``end``."""
        start = self._require_known(start, "start date")
        end = self._require_known(end, "end date")
        if end < start:
            raise InvalidDate(f"end date {end} is before start date {start}")
        return bisect.bisect_right(self._ordinals, end.toordinal()) - bisect.bisect_right(
            self._ordinals, start.toordinal()
        )

    def nth_school_day_from(self, first: dt.date, n: int) -> dt.date:
        """The ``n``-th school day counting ``first`` itself as day 1 if it is a school day.

        This is how "absent for 10 school days" is counted from the first day missed.
        """
        if n < 1:
            raise InvalidArgument(f"n must be 1 or more, got {n!r}")
        if self.is_school_day(first):
            return first if n == 1 else self.add_school_days(first, n - 1)
        return self.add_school_days(first, n)

    def school_days(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """The school days from ``start`` to ``end`` inclusive."""
        start = self._require_known(start, "start date")
        end = self._require_known(end, "end date")
        if end < start:
            raise InvalidDate(f"end date {end} is before start date {start}")
        low = bisect.bisect_left(self._ordinals, start.toordinal())
        high = bisect.bisect_right(self._ordinals, end.toordinal())
        return [dt.date.fromordinal(o) for o in self._ordinals[low:high]]

    def school_year_start(self, year: int) -> dt.date:
        """First day of the first term to begin after July of ``year`` (EA 1996 s.579)."""
        after_july = dt.date(year, 7, 31)
        for first, _ in self.terms:
            if first > after_july:
                if first.year != year:
                    break
                return first
        raise OutsideCalendar(
            f"this calendar has no term beginning between August and December {year}"
        )

    # Loaders -----------------------------------------------------------------------------

    @classmethod
    def from_csv(
        cls, source: str | os.PathLike[str] | io.TextIOBase, *, closures: Iterable[Closure] = ()
    ) -> SchoolCalendar:
        """Load term dates in the format of ``liverpool-term-dates.csv``.

        Columns ``kind,first_day,last_day`` are required (others are kept for people): kind
        ``term`` adds a term, ``half_term`` (or ``break``) takes days out of the term around it,
        ``closure`` (or ``inset``) adds a closure day.
        """
        text, name = _read_text(source)
        rows = list(csv.DictReader(io.StringIO(text)))
        missing = {"kind", "first_day", "last_day"} - set(rows[0] if rows else {})
        if missing:
            raise CalendarError(f"{name}: missing column(s) {', '.join(sorted(missing))}")
        entries = [_csv_entry(row, f"{name} line {number}") for number, row in enumerate(rows, 2)]
        return _build(entries, closures, name)

    @classmethod
    def from_ical(
        cls, source: str | bytes | os.PathLike[str], *, closures: Iterable[Closure] = ()
    ) -> SchoolCalendar:
        """Load term dates from an iCalendar file of all-day events.

        Each VEVENT is classified by its CATEGORIES (TERM, HOLIDAY, CLOSURE) or, failing that,
        by its SUMMARY: "half term", "holiday" or "break" take days out of the terms;
        "INSET", "training", "closure" or "closed" add closures; "term" adds a term. An event
        that matches none raises CalendarError naming it: the loader never guesses.
        """
        from cme.rules.ical import read_ical_entries

        data, name = _read_bytes(source)
        return _build(read_ical_entries(data, name), closures, name)


# Helpers for the loaders -----------------------------------------------------------------

TERM, BREAK, CLOSURE = "term", "break", "closure"
_KINDS = {
    "term": TERM,
    "half_term": BREAK,
    "half-term": BREAK,
    "break": BREAK,
    "holiday": BREAK,
    "closure": CLOSURE,
    "inset": CLOSURE,
}
Entry = tuple[str, dt.date, dt.date, str]


def _read_text(source: str | os.PathLike[str] | io.TextIOBase) -> tuple[str, str]:
    if isinstance(source, io.TextIOBase):
        return source.read(), getattr(source, "name", "calendar CSV")
    try:
        return Path(source).read_text(encoding="utf-8-sig"), str(source)
    except (OSError, UnicodeDecodeError) as exc:
        raise CalendarError(f"cannot read calendar file {source}: {exc}") from exc


def _read_bytes(source: str | bytes | os.PathLike[str]) -> tuple[bytes, str]:
    if isinstance(source, bytes):
        return source, "iCalendar data"
    try:
        return Path(source).read_bytes(), str(source)
    except OSError as exc:
        raise CalendarError(f"cannot read calendar file {source}: {exc}") from exc


def _csv_entry(row: dict[str, str], where: str) -> Entry:
    kind = _KINDS.get((row.get("kind") or "").strip().lower())
    if kind is None:
        raise CalendarError(
            f"{where}: unknown kind {row.get('kind')!r}; use term, half_term or closure"
        )
    try:
        first = parse_iso_date(row["first_day"] or "", f"{where} first_day")
        last = parse_iso_date(row["last_day"] or "", f"{where} last_day")
    except InvalidDate as exc:
        raise CalendarError(str(exc)) from exc
    if last < first:
        raise CalendarError(f"{where}: last_day {last} is before first_day {first}")
    typed = (row.get("academic_year") or "").strip()
    if typed:
        check_academic_year(typed, first, where)
    return kind, first, last, where


def academic_year_of(day: dt.date) -> str:
    """The school year holding `day`, written as in the LA's files: ``2025/26``.

    A school year runs from 1 August to 31 July: the first term "beginning after July"
    starts it (Education Act 1996 s.579(1), the school-age definition's school year).
    """
    start = day.year if day.month >= 8 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def check_academic_year(typed: str, first_day: dt.date, where: str) -> str:
    """`typed` if it is the school year, like ``2025/26``, that holds `first_day`;
    CalendarError saying what is wrong otherwise (a formula such as ``=1+1`` included)."""
    expected = academic_year_of(first_day)
    start, slash, end = typed.partition("/")
    well_formed = (
        slash == "/"
        and len(start) == 4
        and len(end) == 2
        and start.isdecimal()
        and end.isdecimal()
        and start.isascii()
        and end.isascii()
    )
    if not well_formed or f"{start}/{(int(start) + 1) % 100:02d}" != typed:
        raise CalendarError(
            f"{where}: academic_year {typed!r} is not a school year; write it like {expected}"
        )
    if typed != expected:
        raise CalendarError(
            f"{where}: academic_year {typed} does not hold first_day {first_day}, "
            f"which is in {expected}"
        )
    return typed


def _subtract(terms: list[Span], gap: Span, where: str) -> list[Span]:
    first, last = gap
    holders = [t for t in terms if t[0] <= first and last <= t[1]]
    if not holders:
        raise CalendarError(f"{where}: break {first}..{last} is not inside any term")
    (term_first, term_last) = holders[0]
    pieces = [
        (term_first, first - dt.timedelta(days=1)),
        (last + dt.timedelta(days=1), term_last),
    ]
    kept = [t for t in terms if t != holders[0]]
    return sorted(kept + [(a, b) for a, b in pieces if a <= b])


def _build(entries: list[Entry], closures: Iterable[Closure], name: str) -> SchoolCalendar:
    terms = [(first, last) for kind, first, last, _ in entries if kind == TERM]
    if not terms:
        raise CalendarError(f"{name}: no term rows found")
    for kind, first, last, where in entries:
        if kind == BREAK:
            terms = _subtract(terms, (first, last), where)
    own = [(first, last) for kind, first, last, _ in entries if kind == CLOSURE]
    return SchoolCalendar(terms=terms, closures=[*own, *closures], name=name)
