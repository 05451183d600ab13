"""The checks every writer of the child's record makes on what it is given, in words an
officer (or an MIS developer reading a 400) can act on. A form checks the shape of the input;
these check it again, so the API cannot go around them."""

from __future__ import annotations

import re
from datetime import date

from django.utils import timezone

from cme.core.forms import POSTCODE, POSTCODE_ERROR

# A UK or international number as people write it: digits with spaces, brackets, dashes, and
# a leading + for a country code. 10 to 15 digits covers 0151 496 0000 and +44 7700 900123.
PHONE = re.compile(r"^\+?[0-9 ()\-]+$")

Problems = dict[str, list[str]]


def postcode_normalised(value: str) -> str:
    return " ".join(value.upper().split())


def postcode_problem(value: str) -> str | None:
    if value and not POSTCODE.match(postcode_normalised(value)):
        return POSTCODE_ERROR
    return None


def phone_normalised(value: str) -> str:
    return " ".join(value.split())


def phone_problem(value: str, *, words: str) -> str | None:
    if not value:
        return None
    digits = sum(ch.isdigit() for ch in value)
    if not PHONE.match(value) or not 10 <= digits <= 15:
        return f"Enter {words} in the right format, like 0151 496 0000 or +44 7700 900 123"
    return None


def too_long(problems: Problems, name: str, value: str, limit: int, words: str) -> None:
    if len(value) > limit:
        problems.setdefault(name, []).append(f"{words} must be {limit} characters or fewer")


def not_in_future(problems: Problems, name: str, value: date | None, words: str) -> None:
    if value is not None and value > timezone.localdate():
        problems.setdefault(name, []).append(f"{words} must be today or in the past")


def not_before(
    problems: Problems,
    name: str,
    value: date | None,
    start: date | None,
    words: str,
    start_words: str,
) -> None:
    if value is not None and start is not None and value < start:
        problems.setdefault(name, []).append(
            f"{words} must be the same as or after {start_words} ({start:%-d %B %Y})"
        )
