"""The census date asked for on the DfE return page."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from cme.core.forms import GovukDateField


class CensusForm(forms.Form):
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
