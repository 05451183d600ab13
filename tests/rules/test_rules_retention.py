"""The retention schedule: periods are whole years, named when wrong, the longest applies."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from cme.rules.errors import InvalidArgument
from cme.rules.retention import MAX_YEARS, retention_schedule, retention_years


@pytest.mark.parametrize("value", [25, "25", " 31 ", 1, MAX_YEARS])
def test_whole_years_are_accepted(value: object) -> None:
    assert retention_years(value, setting="X") == int(str(value).strip())


@pytest.mark.parametrize(
    "value", ["", "thirty", "25.5", 25.0, "-1", 0, MAX_YEARS + 1, "1e2", True, None, "25 years"]
)
def test_anything_else_is_refused_naming_the_setting(value: object) -> None:
    with pytest.raises(InvalidArgument, match="CME_RETENTION_YEARS_EHCP must be a whole number"):
        retention_years(value, setting="CME_RETENTION_YEARS_EHCP")


def test_defaults_and_the_longest_period_that_applies() -> None:
    schedule = retention_schedule(SimpleNamespace())
    assert dict(schedule.years) == {"default": 25, "ehcp": 31, "looked_after": 75}
    assert schedule.period_for(ehcp=False, looked_after=False) == ("default", 25)
    assert schedule.period_for(ehcp=True, looked_after=False) == ("ehcp", 31)
    assert schedule.period_for(ehcp=True, looked_after=True) == ("looked_after", 75)


def test_a_category_shorter_than_the_default_is_what_the_council_set() -> None:
    schedule = retention_schedule(SimpleNamespace(CME_RETENTION_YEARS_EHCP="20"))
    assert schedule.period_for(ehcp=True, looked_after=False) == ("ehcp", 20)


def test_a_bad_setting_names_itself() -> None:
    with pytest.raises(InvalidArgument, match="CME_RETENTION_YEARS_LOOKED_AFTER"):
        retention_schedule(SimpleNamespace(CME_RETENTION_YEARS_LOOKED_AFTER="75y"))
