"""Counting a child in DfE's return: year group, length of time missing, sex, reasons."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cme.rules import dfe_categories
from cme.rules.dfe_return import (
    COUNCIL_REASON_TO_DFE,
    DURATIONS,
    YEAR_GROUPS,
    cme_reason_for_return,
    duration_band,
    previous_academic_year,
    sex_label,
    year_group,
)
from cme.rules.errors import InvalidDate

D = dt.date


@pytest.mark.parametrize(
    ("born", "on", "expected"),
    [
        (D(2015, 9, 1), D(2020, 10, 1), "Reception"),  # oldest in the year: 4 on 31 August
        (D(2016, 8, 31), D(2020, 10, 1), "Reception"),  # youngest: 4 on 31 August itself
        (D(2016, 9, 1), D(2020, 10, 1), None),  # a year too young
        (D(2015, 8, 31), D(2020, 10, 1), "Year 1"),
        (D(2004, 9, 1), D(2020, 10, 1), "Year 11"),
        (D(2004, 8, 31), D(2020, 10, 1), None),  # past Year 11
        (D(2015, 9, 1), D(2021, 7, 31), "Reception"),  # the last day of that school year
        (D(2015, 9, 1), D(2021, 8, 1), "Year 1"),  # 1 August starts the next
        (D(2012, 2, 29), D(2025, 10, 2), "Year 9"),
        (None, D(2025, 10, 2), "Unknown"),
    ],
)
def test_year_group(born: dt.date | None, on: dt.date, expected: str | None) -> None:
    assert year_group(born, on=on) == expected


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2030, 12, 31)), st.dates(D(2020, 1, 1)))
def test_year_group_is_one_of_dfes_or_none(born: dt.date, on: dt.date) -> None:
    assert year_group(born, on=on) in (*YEAR_GROUPS, None)


@pytest.mark.parametrize(
    ("days", "band"),
    [
        (0, "Less than 2 weeks"),
        (13, "Less than 2 weeks"),
        (14, "2 to 4 weeks"),
        (27, "2 to 4 weeks"),
        (28, "4 to 8 weeks"),
        (55, "4 to 8 weeks"),
        (56, "8 to 12 weeks"),
        (84, "12 to 26 weeks"),
        (181, "12 to 26 weeks"),
        (182, "26 to 52 weeks"),
        (363, "26 to 52 weeks"),
        (364, "Over 52 weeks"),
        (2000, "Over 52 weeks"),
    ],
)
def test_duration_band_edges(days: int, band: str) -> None:
    on = D(2025, 10, 2)
    assert duration_band(on - dt.timedelta(days=days), on=on) == band


def test_duration_unknown_without_a_start_or_with_one_after_the_census() -> None:
    assert duration_band(None, on=D(2025, 10, 2)) == "Unknown"
    assert duration_band(D(2025, 10, 3), on=D(2025, 10, 2)) == "Unknown"
    assert set(DURATIONS) >= {duration_band(D(2025, 1, 1), on=D(2025, 10, 2))}


def test_a_datetime_is_refused() -> None:
    with pytest.raises(InvalidDate):
        duration_band(D(2025, 1, 1), on=dt.datetime(2025, 10, 2))


def test_sex_as_dfe_writes_it() -> None:
    assert [sex_label(c) for c in ("F", "M", "U", "")] == ["Female", "Male", "Unknown", "Unknown"]


def test_every_council_reason_maps_to_a_dfe_reason() -> None:
    assert set(COUNCIL_REASON_TO_DFE.values()) <= set(dfe_categories.CME_REASONS)


def test_the_recorded_reason_wins_then_the_councils_then_not_recorded() -> None:
    assert cme_reason_for_return("Mental health", "new_to_city") == "Mental health"
    assert cme_reason_for_return("", "new_to_city") == "Moved in from another local authority"
    assert cme_reason_for_return("", None) == "Not recorded"
    assert cme_reason_for_return("", "something new") == "Not recorded"
    assert cme_reason_for_return("Not DfE's", None) == "Not recorded"


def test_previous_academic_year() -> None:
    assert previous_academic_year(D(2025, 10, 2)) == (D(2024, 8, 1), D(2025, 7, 31))
    assert previous_academic_year(D(2025, 7, 31)) == (D(2023, 8, 1), D(2024, 7, 31))
