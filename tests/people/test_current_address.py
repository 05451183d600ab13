"""`Child.current_address`: where the child lives on a day, never a future address."""

from __future__ import annotations

from datetime import date

import pytest
from factories import ChildFactory

from cme.people.models import Address

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 3)


def _address(child, line_1, lived_from=None, lived_until=None):
    return Address.objects.create(
        child=child, line_1=line_1, lived_from=lived_from, lived_until=lived_until
    )


def test_a_future_address_is_not_current_until_its_first_day():
    child = ChildFactory.create()
    now = _address(child, "1 Now Street", lived_from=date(2025, 1, 1))
    future = _address(child, "2 Next Street", lived_from=date(2026, 12, 4))
    assert child.current_address(DAY) == now
    assert child.current_address(date(2026, 12, 4)) == future


def test_an_address_ended_before_the_day_is_previous_and_one_ending_that_day_still_current():
    child = ChildFactory.create()
    ending = _address(child, "1 Old Road", lived_from=date(2020, 1, 1), lived_until=DAY)
    assert child.current_address(DAY) == ending
    assert child.current_address(date(2026, 12, 4)) is None


def test_the_latest_begun_address_wins_and_one_with_no_start_counts_as_begun():
    child = ChildFactory.create()
    undated = _address(child, "1 Undated Lane")
    assert child.current_address(DAY) == undated
    dated = _address(child, "2 Dated Lane", lived_from=date(2026, 6, 1))
    assert child.current_address(DAY) == dated


def test_the_period_words_agree_with_current_on():
    child = ChildFactory.create()
    rows = [
        _address(child, "past", date(2019, 1, 1), date(2020, 1, 1)),
        _address(child, "now", date(2020, 1, 2)),
        _address(child, "future", date(2027, 1, 1)),
    ]
    current = set(Address.objects.current_on(DAY))
    assert {a for a in rows if a.period(DAY) == "current"} == current
