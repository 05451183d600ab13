"""School forms: a school named by its URN, for any form that needs one (the GIAS list has
~50,000), and the manager's choice of a school's PAEWS officer."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from cme.core.forms import FastSelect, GovukForm

from .models import Establishment
from .selectors import paews_officers


class SchoolUrnField(forms.CharField):
    """Typed as the school's URN (6 digits, as on Get Information about Schools); cleaned to
    the Establishment. A URN no school has is refused by name, never silently dropped."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault(
            "help_text", "The school's 6-digit URN, as on Get Information about Schools"
        )
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric"})

    def prepare_value(self, value: Any) -> Any:
        return value.urn if isinstance(value, Establishment) else value

    def clean(self, value: Any) -> Establishment | None:
        text = super().clean(value).strip()
        if not text:
            return None
        if not text.isdigit() or len(text) != 6:
            raise forms.ValidationError(
                "Enter the school's URN as 6 digits, like 104567", code="invalid"
            )
        school = Establishment.objects.filter(urn=int(text)).first()
        if school is None:
            raise forms.ValidationError(f"No school has the URN {text}. Check it and try again")
        return school


def officer_label(user: Any) -> str:
    name = user.get_full_name() or user.get_username()
    return f"{name}, {user.job_title}" if user.job_title else name


class PaewsOfficerForm(GovukForm):
    officer = forms.TypedChoiceField(
        label="PAEWS officer",
        required=False,
        coerce=int,
        empty_value=None,
        widget=FastSelect,
        help_text="They sign off the school's CME1 checklists, and the school contacts them "
        "about a pupil on roll who is not attending.",
    )
    # The officer the form showed, so a change made meanwhile is refused, not overwritten.
    shown = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedChoiceField, self.fields["officer"])
        field.choices = [
            ("", "No one named"),
            *((u.pk, officer_label(u)) for u in paews_officers()),
        ]
        field.error_messages["invalid_choice"] = "Choose a PAEWS officer from the list"


class SchoolSearchForm(GovukForm):
    name = forms.CharField(label="School name", required=False, max_length=100)
