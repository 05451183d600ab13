"""Term dates are stored per LA and closures per school; deadlines count in what is stored."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from factories import EstablishmentFactory

from cme.calendars.models import Closure, TermDates
from cme.calendars.selectors import la_calendar, school_calendar
from cme.calendars.services import term_dates_import
from cme.rules import CalendarError, OutsideCalendar

LIVERPOOL = Path(__file__).resolve().parents[2] / "cme/calendars/data/liverpool-term-dates.csv"


def test_import_is_idempotent_and_counts_in_liverpool_terms(db) -> None:
    first = term_dates_import(path=LIVERPOOL)
    again = term_dates_import(path=LIVERPOOL)
    assert first.created == 18 and first.unchanged == 0
    assert again.created == 0 and again.unchanged == 18
    calendar = la_calendar()
    # Half term (27-31 Oct 2025) and weekends are not school days.
    assert not calendar.is_school_day(date(2025, 10, 29))
    assert calendar.add_school_days(date(2025, 10, 24), 1) == date(2025, 11, 3)
    with pytest.raises(OutsideCalendar):
        calendar.is_school_day(date(2026, 9, 7))


def test_a_schools_inset_day_counts_only_for_that_school(db) -> None:
    term_dates_import(path=LIVERPOOL)
    school, other = EstablishmentFactory.create(), EstablishmentFactory.create()
    Closure.objects.create(
        establishment=school, first_day=date(2025, 11, 3), last_day=date(2025, 11, 3)
    )
    assert not school_calendar(school.pk).is_school_day(date(2025, 11, 3))
    assert school_calendar(other.pk).is_school_day(date(2025, 11, 3))
    assert school_calendar(None).is_school_day(date(2025, 11, 3))


def test_a_malformed_file_is_rejected_whole(db, tmp_path: Path) -> None:
    bad = tmp_path / "terms.csv"
    bad.write_text(
        "academic_year,term,kind,first_day,last_day\n"
        "2026/27,autumn,term,2026-09-01,2026-12-18\n"
        "2026/27,spring,term,2027-01-05,2027-02-30\n"
    )
    with pytest.raises(CalendarError, match="line 3"):
        term_dates_import(path=bad)
    assert TermDates.objects.count() == 0


def test_no_term_dates_is_a_clear_error(db) -> None:
    with pytest.raises(CalendarError, match="import-term-dates"):
        la_calendar()


def test_an_icalendar_file_loads(db, tmp_path: Path) -> None:
    ics = tmp_path / "terms.ics"
    ics.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        "BEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Autumn term\r\n"
        "DTSTART;VALUE=DATE:20260901\r\nDTEND;VALUE=DATE:20261219\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
    result = term_dates_import(path=ics)
    assert result.created == 1
    assert la_calendar().is_school_day(date(2026, 9, 1))


def test_an_edited_term_is_seen_at_once(db) -> None:
    TermDates.objects.create(
        academic_year="2026/27",
        kind="term",
        first_day=date(2026, 9, 1),
        last_day=date(2026, 12, 18),
    )
    assert la_calendar().last_day == date(2026, 12, 18)
    # Same number of rows, different dates: a count-based cache would miss this.
    TermDates.objects.update(last_day=date(2026, 12, 21))
    assert la_calendar().last_day == date(2026, 12, 21)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("=1+1", r"line 3: academic_year '=1\+1' is not a school year; write it like 2026/27"),
        ("2026/28", "'2026/28' is not a school year"),
        ("2026-27", "'2026-27' is not a school year"),
        ("\uff12\uff10\uff12\uff16/27", "is not a school year"),  # full-width digits
        (
            "2025/26",
            "academic_year 2025/26 does not hold first_day 2026-09-01, which is in 2026/27",
        ),
    ],
)
def test_an_academic_year_that_is_not_the_terms_own_is_refused(
    db, tmp_path: Path, typed: str, message: str
) -> None:
    bad = tmp_path / "terms.csv"
    bad.write_text(
        "academic_year,term,kind,first_day,last_day\n"
        "2025/26,summer,term,2026-04-13,2026-07-22\n"
        f"{typed},autumn,term,2026-09-01,2026-12-18\n",
        encoding="utf-8",
    )
    with pytest.raises(CalendarError, match=message):
        term_dates_import(path=bad)
    assert TermDates.objects.count() == 0


def test_an_academic_year_left_out_is_worked_out_from_the_dates(db, tmp_path: Path) -> None:
    path = tmp_path / "terms.csv"
    path.write_text(
        "kind,first_day,last_day\nterm,2026-04-13,2026-07-22\nterm,2026-09-01,2026-12-18\n"
    )
    term_dates_import(path=path)
    assert list(
        TermDates.objects.order_by("first_day").values_list("academic_year", flat=True)
    ) == [
        "2025/26",
        "2026/27",
    ]
