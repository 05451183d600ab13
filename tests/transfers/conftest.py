"""Fixtures for the transfer tests: Liverpool's shipped term dates, a CTF for a child."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cme.calendars.selectors import forget_calendars
from cme.calendars.services import term_dates_import

LIVERPOOL = Path(__file__).resolve().parents[2] / "cme/calendars/data/liverpool-term-dates.csv"


@pytest.fixture
def term_dates(db: None) -> Iterator[None]:
    forget_calendars()
    term_dates_import(path=LIVERPOOL)
    yield
    forget_calendars()
