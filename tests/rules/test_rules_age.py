"""The latest date of birth for an age: "born on or before N years ago", leap days included."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cme.rules import InvalidArgument, InvalidDate
from cme.rules._dates import anniversary
from cme.rules.age import (
    latest_date_of_birth,
    school_age_concern,
    school_age_on,
    years_old_school_age,
)

D = dt.date


@pytest.mark.parametrize(
    ("on", "age", "latest"),
    [
        (D(2026, 11, 28), 25, D(2001, 11, 28)),  # 25 today
        (D(2024, 2, 29), 25, D(1999, 2, 28)),  # no 29 February in 1999
        (D(2024, 2, 29), 24, D(2000, 2, 29)),  # there was one in 2000
        (D(2025, 2, 28), 25, D(2000, 2, 28)),  # born 29 Feb 2000: 25 only on 1 March
        (D(2025, 3, 1), 25, D(2000, 3, 1)),
        (D(2026, 1, 1), 0, D(2026, 1, 1)),
    ],
)
def test_latest_date_of_birth(on: dt.date, age: int, latest: dt.date) -> None:
    assert latest_date_of_birth(age=age, on=on) == latest


def test_a_leap_day_child_is_not_of_age_on_28_february() -> None:
    on = D(2025, 2, 28)
    assert D(2000, 2, 29) > latest_date_of_birth(age=25, on=on)
    assert D(2000, 2, 29) <= latest_date_of_birth(age=25, on=D(2025, 3, 1))


@given(
    on=st.dates(min_value=D(1950, 1, 1), max_value=D(2100, 12, 31)),
    age=st.integers(min_value=0, max_value=40),
)
def test_agrees_with_the_age_a_person_attains(on: dt.date, age: int) -> None:
    latest = latest_date_of_birth(age=age, on=on)
    # Born on the latest day: of age by `on`; born a day later: not yet.
    assert anniversary(latest, age) <= on
    assert anniversary(latest + dt.timedelta(days=1), age) > on


def test_bad_input_is_refused() -> None:
    with pytest.raises(InvalidDate):
        latest_date_of_birth(age=5, on=dt.datetime(2026, 1, 1))
    with pytest.raises(InvalidArgument):
        latest_date_of_birth(age=-1, on=D(2026, 1, 1))


def test_school_age_concern_names_what_is_wrong() -> None:
    assert school_age_concern(D(2015, 6, 1), on=D(2026, 1, 5)) == ""
    assert school_age_concern("2023-06-01", on=D(2026, 1, 5)).startswith("Not yet of compulsory")
    assert school_age_concern(D(2005, 6, 1), on=D(2026, 1, 5)).startswith("Past compulsory")
    assert school_age_concern("not a date", on=D(2026, 1, 5)) == ""


def test_someone_who_turned_five_before_1998_is_past_school_age_not_unknown() -> None:
    """36 years old: compulsory_school_age refuses (the old s.8(2)), but the end is known."""
    concern = school_age_concern(D(1990, 5, 1), on=D(2026, 12, 2))
    assert concern.startswith("Past compulsory school age on 2 December 2026: that ended on ")
    assert "30 June 2006" in concern  # the last Friday in June
    assert "Education Act 1996 s.8" in concern
    assert school_age_on(D(1990, 5, 1), on=D(2026, 12, 2)) == "above"
    # On a day they were 15, the same person was still of compulsory school age.
    assert school_age_on(D(1990, 5, 1), on=D(2005, 11, 1)) == "within"


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        (0, "below"),
        (3, "below"),
        (4, "below"),  # no four-year-old has reached the prescribed day after turning 5
        (5, "within"),  # some have, some have not: not for an age to say
        (11, "within"),
        (15, "within"),
        (16, "within"),  # until the last Friday in June of the year they turn 16
        (17, "above"),
        (36, "above"),
    ],
)
def test_an_age_in_years_is_judged_only_when_every_birth_date_agrees(
    years: int, expected: str
) -> None:
    assert years_old_school_age(years, on=D(2026, 12, 2)) == expected


@given(
    on=st.dates(min_value=D(2005, 1, 1), max_value=D(2060, 12, 31)),
    years=st.integers(min_value=0, max_value=40),
    offset=st.integers(min_value=0, max_value=365),
)
def test_an_age_judged_outside_school_age_holds_for_every_birth_date_with_that_age(
    on: dt.date, years: int, offset: int
) -> None:
    youngest = latest_date_of_birth(age=years, on=on)
    oldest = latest_date_of_birth(age=years + 1, on=on) + dt.timedelta(days=1)
    born = max(oldest, youngest - dt.timedelta(days=offset))
    verdict = years_old_school_age(years, on=on)
    if verdict != "within":
        assert school_age_on(born, on=on) == verdict


def test_a_negative_age_is_refused() -> None:
    with pytest.raises(InvalidArgument):
        years_old_school_age(-1, on=D(2026, 1, 1))
