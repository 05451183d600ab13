"""Which census a date is: checked before anything is counted, with a message a person can act
on (a date in the future, before the register's first record, or in no term of the council's
calendar). DfE's census dates are not computed (returns-and-enquiries.md section 1.2: only
2022/23's are known); any term day the council chooses is accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError

from cme.calendars.models import TermDates, TermKind

from .history import first_record_on


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class Census:
    census_date: date
    academic_year: str  # "2025/26"
    term: str  # "autumn", as the council's term dates name it

    @property
    def title(self) -> str:
        return f"{self.term.capitalize()} term {self.academic_year}".strip()


def census_for(day: date, *, today: date) -> Census:
    """The census `day` belongs to, or ValidationError saying what is wrong with it."""
    if day > today:
        raise ValidationError(
            f"The census date must be today or earlier: {long_date(day)} is in the future.",
            code="future",
        )
    first = first_record_on()
    if first is None:
        raise ValidationError(
            "The register holds no cases or home education records yet, so there is nothing "
            "to count.",
            code="empty",
        )
    if day < first:
        raise ValidationError(
            f"The register's first record is from {long_date(first)}, so it cannot say who was "
            f"missing education on {long_date(day)}. Choose a later census date.",
            code="before_first_record",
        )
    term = (
        TermDates.objects.filter(kind=TermKind.TERM, first_day__lte=day, last_day__gte=day)
        .order_by("first_day")
        .first()
    )
    if term is None:
        raise ValidationError(
            f"{long_date(day)} is not in any term in the council's term dates, so it is not a "
            "census date. DfE's census days fall in term (the autumn census in early October, "
            "spring in mid-January, summer in mid-May): check the date, or add the term dates "
            "for that year with cme import-term-dates.",
            code="unknown_term",
        )
    return Census(census_date=day, academic_year=term.academic_year, term=term.term)
