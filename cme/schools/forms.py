from __future__ import annotations

from typing import Any, cast

from django import forms

from cme.core.forms import FastSelect

from .selectors import paews_officers


def officer_label(user: Any) -> str:
    name = user.get_full_name() or user.get_username()
    return f"{name}, {user.job_title}" if user.job_title else name


class PaewsOfficerForm(forms.Form):
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


class SchoolSearchForm(forms.Form):
    name = forms.CharField(label="School name", required=False, max_length=100)
