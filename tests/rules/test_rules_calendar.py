"""School days: term dates, half terms, bank holidays, closures, loaders, range limits."""

import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cme.rules import CalendarError, InvalidArgument, InvalidDate, OutsideCalendar, SchoolCalendar

D = dt.date
# The published Liverpool term dates, as shipped with the app (cme/calendars/data/).
LIVERPOOL_CSV = Path(__file__).resolve().parents[2] / "cme/calendars/data/liverpool-term-dates.csv"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2023, 9, 1), True),  # first day of term (a Friday)
        (D(2023, 9, 2), False),  # Saturday
        (D(2023, 10, 27), True),  # Friday before half term
        (D(2023, 10, 30), False),  # half term
        (D(2023, 11, 3), False),
        (D(2023, 11, 6), True),  # back after half term
        (D(2023, 12, 25), False),  # Christmas holiday
        (D(2024, 5, 6), False),  # Early May bank holiday, inside the summer term
        (D(2024, 5, 7), True),
        (D(2024, 5, 27), False),  # Spring bank holiday, inside half term
        (D(2024, 3, 29), False),  # Good Friday, holiday anyway
        (D(2024, 8, 1), False),  # summer holiday between known years
        (D(2025, 5, 5), False),  # Early May bank holiday 2025
    ],
)
def test_is_school_day(liverpool, day, expected):
    assert liverpool.is_school_day(day) is expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2023, 9, 1), 1, D(2023, 9, 4)),  # Friday + 1 = Monday
        (D(2023, 9, 2), 1, D(2023, 9, 4)),  # from a Saturday
        (D(2023, 10, 27), 1, D(2023, 11, 6)),  # over half term
        (D(2024, 5, 3), 1, D(2024, 5, 7)),  # over the May Day bank holiday
        (D(2024, 7, 22), 1, D(2024, 9, 2)),  # over the summer
        (D(2023, 12, 20), 3, D(2024, 1, 8)),  # 21, 22 Dec, then 8 Jan
        (D(2024, 3, 20), 15, D(2024, 4, 25)),  # CTF clock over Easter
        (D(2023, 11, 6), -1, D(2023, 10, 27)),  # counting back over half term
        (D(2023, 9, 4), -1, D(2023, 9, 1)),
    ],
)
def test_add_school_days(liverpool, start, n, expected):
    assert liverpool.add_school_days(start, n) == expected


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        (D(2023, 9, 1), D(2023, 9, 1), 0),
        (D(2023, 8, 31), D(2023, 9, 1), None),  # 31 Aug is before the calendar
        (D(2023, 9, 1), D(2023, 9, 8), 5),
        (D(2023, 10, 27), D(2023, 11, 6), 1),
        (D(2024, 5, 3), D(2024, 5, 10), 4),  # May Day bank holiday not counted
        (D(2023, 9, 1), D(2024, 7, 22), 194),  # whole year, 195 term days less the first
    ],
)
def test_school_days_between(liverpool, start, end, count):
    if count is None:
        with pytest.raises(OutsideCalendar, match="2023-08-31"):
            liverpool.school_days_between(start, end)
    else:
        assert liverpool.school_days_between(start, end) == count


def test_closures_take_days_out(liverpool):
    school = liverpool.with_closures([D(2023, 9, 4), (D(2024, 1, 8), D(2024, 1, 9))])
    assert not school.is_school_day(D(2023, 9, 4))
    assert not school.is_school_day(D(2024, 1, 9))
    assert school.add_school_days(D(2023, 9, 1), 1) == D(2023, 9, 5)
    assert school.school_days_between(D(2023, 9, 1), D(2024, 7, 22)) == 191
    assert liverpool.is_school_day(D(2023, 9, 4))  # the LA calendar is unchanged


def test_term_spanning_a_bank_holiday_built_directly():
    calendar = SchoolCalendar(terms=[(D(2025, 4, 22), D(2025, 5, 23))])
    assert calendar.school_days_between(D(2025, 4, 25), D(2025, 5, 9)) == 9  # 5 May is off
    assert calendar.is_school_day(D(2025, 5, 8)) and not calendar.is_school_day(D(2025, 5, 5))


def test_one_off_bank_holidays_come_from_the_library():
    calendar = SchoolCalendar(terms=[(D(2023, 4, 17), D(2023, 5, 26))])
    assert not calendar.is_school_day(D(2023, 5, 8))  # coronation of King Charles III


def test_school_year_start(liverpool):
    assert liverpool.school_year_start(2024) == D(2024, 9, 2)
    with pytest.raises(OutsideCalendar):
        liverpool.school_year_start(2025)


@pytest.mark.parametrize(
    ("call", "error", "fragment"),
    [
        (lambda c: c.is_school_day(D(2025, 7, 23)), OutsideCalendar, "2025-07-23 is outside"),
        (lambda c: c.add_school_days(D(2025, 7, 18), 5), OutsideCalendar, "5 school days after"),
        (lambda c: c.add_school_days(D(2023, 9, 4), -3), OutsideCalendar, "before"),
        (lambda c: c.add_school_days(D(2023, 9, 4), 0), InvalidArgument, "non-zero"),
        (lambda c: c.school_days_between(D(2024, 1, 9), D(2024, 1, 8)), InvalidDate, "before"),
        (lambda c: c.is_school_day("2024-01-08"), InvalidDate, "must be a date"),
    ],
)
def test_refuses_to_guess(liverpool, call, error, fragment):
    with pytest.raises(error, match=fragment):
        call(liverpool)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"terms": []}, "at least one term"),
        ({"terms": [(D(2024, 1, 9), D(2024, 1, 8))]}, "ends"),
        ({"terms": [(D(2024, 1, 1), D(2024, 2, 1)), (D(2024, 1, 15), D(2024, 3, 1))]}, "overlap"),
        ({"terms": [(D(2024, 1, 8), D(2024, 2, 9))], "closures": [D(2024, 3, 1)]}, "outside"),
        ({"terms": [D(2024, 1, 8)]}, "pair"),
    ],
)
def test_bad_calendars(kwargs, fragment):
    with pytest.raises((CalendarError, InvalidDate), match=fragment):
        SchoolCalendar(**kwargs)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("kind,first_day\nterm,2024-01-08\n", "missing column"),
        ("kind,first_day,last_day\nterm,2024-01-08,2024-02-30\n", "line 2 last_day"),
        ("kind,first_day,last_day\nsemester,2024-01-08,2024-02-09\n", "unknown kind"),
        ("kind,first_day,last_day\nterm,2024-02-09,2024-01-08\n", "before first_day"),
        ("kind,first_day,last_day\nhalf_term,2024-02-12,2024-02-16\n", "no term rows"),
        (
            "kind,first_day,last_day\nterm,2024-01-08,2024-02-09\nhalf_term,2024-03-01,2024-03-02\n",
            "line 3: break",
        ),
    ],
)
def test_malformed_csv(text, fragment):
    with pytest.raises(CalendarError, match=fragment):
        SchoolCalendar.from_csv(io.StringIO(text))


def test_csv_closure_rows_and_file_path(tmp_path, liverpool_text):
    path = tmp_path / "terms.csv"
    path.write_text(liverpool_text + "2024/25,autumn,inset,2024-09-02,2024-09-02,INSET\n")
    calendar = SchoolCalendar.from_csv(path)
    assert not calendar.is_school_day(D(2024, 9, 2))
    with pytest.raises(CalendarError, match="cannot read"):
        SchoolCalendar.from_csv(tmp_path / "missing.csv")


def test_shipped_liverpool_file_loads():
    calendar = SchoolCalendar.from_csv(LIVERPOOL_CSV)
    assert calendar.last_day == D(2026, 7, 21)
    assert not calendar.is_school_day(D(2026, 5, 4))  # Early May bank holiday 2026


ICS = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:1
SUMMARY:Autumn term
DTSTART;VALUE=DATE:20240902
DTEND;VALUE=DATE:20241221
END:VEVENT
BEGIN:VEVENT
UID:2
SUMMARY:Half Term
DTSTART;VALUE=DATE:20241028
DTEND;VALUE=DATE:20241102
END:VEVENT
BEGIN:VEVENT
UID:3
SUMMARY:Staff day
CATEGORIES:CLOSURE
DTSTART;VALUE=DATE:20240902
END:VEVENT
END:VCALENDAR
"""


def test_ical_loader():
    calendar = SchoolCalendar.from_ical(ICS)
    assert calendar.last_day == D(2024, 12, 20)  # DTEND is exclusive
    assert not calendar.is_school_day(D(2024, 9, 2))  # closure
    assert not calendar.is_school_day(D(2024, 11, 1))  # half term
    assert calendar.is_school_day(D(2024, 11, 4))
    assert calendar.school_year_start(2024) == D(2024, 9, 2)


@pytest.mark.parametrize(
    ("ics", "fragment"),
    [
        (b"not a calendar", "not a valid iCalendar"),
        (ICS.replace(b"Staff day\nCATEGORIES:CLOSURE", b"Staff day"), "cannot tell"),
        (
            ICS.replace(b"DTSTART;VALUE=DATE:20240902\nDTEND", b"DTSTART:20240902T090000Z\nDTEND"),
            "time",
        ),
    ],
)
def test_malformed_ical(ics, fragment):
    with pytest.raises(CalendarError, match=fragment):
        SchoolCalendar.from_ical(ics)


# Properties ---------------------------------------------------------------------------------

in_range = st.dates(min_value=D(2023, 9, 1), max_value=D(2025, 3, 31))


@given(day=in_range, n=st.integers(min_value=1, max_value=60))
def test_add_then_count_back_gives_n(liverpool, day, n):
    later = liverpool.add_school_days(day, n)
    assert liverpool.is_school_day(later)
    assert liverpool.school_days_between(day, later) == n
    assert liverpool.school_days_between(day, later - dt.timedelta(days=1)) == n - 1


@given(day=in_range, n=st.integers(min_value=1, max_value=60))
def test_adding_forwards_then_backwards_returns_to_the_school_day(liverpool, day, n):
    later = liverpool.add_school_days(day, n)
    back = liverpool.add_school_days(later, -n)
    # Back lands on the last school day on or before ``day``: nothing school-ish in between.
    assert back <= day
    assert liverpool.is_school_day(back)
    assert liverpool.school_days_between(back, day) == 0


@given(a=in_range, b=in_range, c=in_range)
def test_counts_add_up(liverpool, a, b, c):
    a, b, c = sorted((a, b, c))
    assert liverpool.school_days_between(a, c) == (
        liverpool.school_days_between(a, b) + liverpool.school_days_between(b, c)
    )


@given(day=in_range)
def test_a_school_day_is_a_weekday_in_term(liverpool, day):
    if liverpool.is_school_day(day):
        assert day.weekday() < 5
        assert any(first <= day <= last for first, last in liverpool.terms)
        assert day not in liverpool.bank_holidays


def _is_soon(calendar: SchoolCalendar, today: dt.date, due: dt.date, n: int) -> bool:
    """The live definition: due within n school days of today, or not countable."""
    try:
        return calendar.add_school_days(today, n) >= due
    except OutsideCalendar:
        return True


@given(
    due=st.dates(min_value=D(2023, 8, 1), max_value=D(2025, 9, 30)),
    n=st.integers(min_value=1, max_value=25),
)
def test_due_soon_from_agrees_with_counting_every_day(liverpool, due, n):
    start = liverpool.due_soon_from(due, n)
    day = liverpool.first_day
    while day <= liverpool.last_day:
        assert (day >= start) is _is_soon(liverpool, day, due, n), (day, due, n, start)
        day += dt.timedelta(days=7) if abs((day - start).days) > 10 else dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("due", "n", "expected"),
    [
        (D(2023, 11, 8), 3, D(2023, 10, 27)),  # Wed after half term: Fri before, over the break
        (D(2023, 9, 6), 5, D(2023, 9, 1)),  # too near the start to count back 5: the first day
        (D(2026, 1, 1), 2, D(2025, 7, 21)),  # after the last term: 2 school days before its end
        (D(2024, 5, 27), 1, D(2024, 5, 24)),  # due in half term: soon from the school day before
    ],
)
def test_due_soon_from(liverpool, due, n, expected):
    assert liverpool.due_soon_from(due, n) == expected


@pytest.mark.parametrize("n", [0, -1, True, 1.5])
def test_due_soon_from_refuses_a_count_that_is_not_a_positive_whole_number(liverpool, n):
    with pytest.raises(InvalidArgument):
        liverpool.due_soon_from(D(2024, 1, 10), n)
