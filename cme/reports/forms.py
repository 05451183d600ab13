"""The census date asked for on the DfE return page."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError

from cme.core.forms import GovukDateField, GovukForm


class CensusForm(GovukForm):
    # Not `required`: Django's own "incomplete" message would come before the field's plain
    # one for a date with a part missing; an empty date is refused in clean_census_date.
    census_date = GovukDateField(
        label="Census date",
        help_text="The day DfE counts on, in term: for example 2 10 2025 for the autumn census.",
        required=False,
    )

    def clean_census_date(self) -> date:
        day = self.cleaned_data.get("census_date")
        if day is None:
            raise ValidationError("Enter the census date")
        return day


class PeriodForm(GovukForm):
    """The pack's period; empty: this school year to date (the page says so)."""

    period_from = GovukDateField(label="From", help_text="For example 1 8 2025", required=False)
    period_to = GovukDateField(label="To", help_text="For example 31 7 2026", required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        given = [data.get("period_from"), data.get("period_to")]
        if any(given) and not all(given):
            missing = "period_from" if data.get("period_from") is None else "period_to"
            self.add_error(missing, "Enter both dates, or neither for this school year to date")
        return data
