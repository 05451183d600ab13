"""The audit viewer's filters: who, what, when (and, on the whole trail, which child)."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from cme.accounts.models import User
from cme.audit.models import Verb
from cme.core.forms import FastSelect, GovukDateField, GovukForm

from .selectors import TrailFilter


def person_label(user: User) -> str:
    name = user.get_full_name() or user.get_username()
    return f"{name}, {user.organisation}" if user.organisation_id else name


class TrailFilterForm(GovukForm):
    """Sent by GET: ids, a verb's code and dates only, so the address carries no name."""

    who = forms.TypedChoiceField(
        label="Who", required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    what = forms.ChoiceField(
        label="What they did",
        required=False,
        choices=[("", "Anything"), *Verb.choices],
        widget=FastSelect,
        error_messages={"invalid_choice": "Choose what they did from the list"},
    )
    date_from = GovukDateField(label="From", required=False)
    date_to = GovukDateField(label="To", required=False)
    child = forms.IntegerField(
        label="Child's record number",
        required=False,
        min_value=1,
        help_text="The number in the child's page address, like 1234",
        error_messages={
            "invalid": "Enter the child's record number as a number, like 1234",
            "min_value": "Enter the child's record number as a number, like 1234",
        },
    )

    def __init__(self, *args: Any, people: list[User], with_child: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        who = cast(forms.TypedChoiceField, self.fields["who"])
        who.choices = [("", "Anyone"), *((p.pk, person_label(p)) for p in people)]
        who.error_messages["invalid_choice"] = "Choose a person from the list"
        if not with_child:
            del self.fields["child"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date")
        return data

    def trail_filter(self) -> TrailFilter:
        data = self.cleaned_data
        return TrailFilter(
            actor_id=data.get("who"),
            verb=data.get("what") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            child_id=data.get("child"),
        )
