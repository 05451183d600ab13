"""Capture every log record, formatted as production writes it, and list the register's
personal data to look for in it."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date

from cme.core.jsonlog import JsonFormatter
from cme.people.models import Address, Child
from cme.referrals.models import Referral


class LogCapture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    def found(self, values: Iterable[str]) -> list[str]:
        text = "\n".join(self.lines).lower()
        return sorted(value for value in values if value.lower() in text)


@contextmanager
def captured_log() -> Iterator[LogCapture]:
    """Every record from every logger at DEBUG, as far as each logger's own level lets it."""
    root = logging.getLogger()
    capture = LogCapture()
    level = root.level
    root.addHandler(capture)
    root.setLevel(logging.DEBUG)
    try:
        yield capture
    finally:
        root.removeHandler(capture)
        root.setLevel(level)


def _dates(value: date) -> list[str]:
    return [
        value.isoformat(),
        value.strftime("%d/%m/%Y"),
        f"{value.day} {value:%B %Y}",
        f"{value.day}-{value.month}-{value.year}",
    ]


def personal_data_held(typed: Iterable[str] = ()) -> set[str]:
    """What was typed, and every name, date of birth, postcode, address and UPN now held."""
    values: set[str] = set(typed)
    for child in Child.objects.all():
        values.update([child.forename, child.surname, child.middle_names, child.preferred_name])
        values.add(child.upn)
        if child.date_of_birth:
            values.update(_dates(child.date_of_birth))
    for address in Address.objects.all():
        values.update([address.postcode, address.postcode.replace(" ", ""), address.line_1])
    for referral in Referral.objects.all():
        values.update(str(v) for v in referral.described.values() if isinstance(v, str))
    # Empty fields and one or two letters (a sex, an initial) say nothing about anyone.
    return {value for value in values if len(value.strip()) >= 3}
