"""The provision forms: parse what was typed; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms

from cme.core.forms import FastSelect, GovukDateField, GovukForm
from cme.schools.models import Establishment

from .models import ProviderKind
from .services import Offer


def _school_label(school: Any) -> str:
    return f"{school.name} (URN {school.urn})"


class OfferForm(GovukForm):
    provider_kind = forms.ChoiceField(
        label="Where the child is placed",
        choices=ProviderKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a school, alternative provision or tuition"},
    )
    school = forms.ModelChoiceField(
        label="School (for alternative provision, one with a URN such as a pupil referral unit)",
        queryset=Establishment.objects.none(),
        required=False,
        empty_label="Choose a school",
        widget=FastSelect,
    )
    provider_name = forms.CharField(
        label="Provider's name (alternative provision or tuition without a URN)",
        required=False,
        max_length=200,
    )
    offered_on = GovukDateField(
        label="Date the place was offered",
        error_messages={"required": "Enter the date the place was offered"},
    )
    start_on = GovukDateField(
        label="Date the child started",
        required=False,
        help_text="Leave empty if the child has not started yet: a place offered, not taken up.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["school"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = Establishment.objects.filter(status__istartswith="open").only(
            "pk", "name", "urn"
        )
        field.label_from_instance = _school_label  # type: ignore[assignment]

    def offer(self) -> Offer:
        data = self.cleaned_data
        return Offer(
            provider_kind=data["provider_kind"],
            offered_on=data.get("offered_on"),
            school=data.get("school"),
            provider_name=data.get("provider_name", ""),
            start_on=data.get("start_on"),
        )


class StartForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    start_on = GovukDateField(
        label="Date the child started",
        error_messages={"required": "Enter the date the child started"},
    )


class ReviewForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    attending = forms.TypedChoiceField(
        label="Is the child attending?",
        choices=[("yes", "Yes: attending, the case can close as back in education"),
                 ("no", "No: not attending, the case goes back to engagement")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the child is attending"},
    )  # fmt: skip
    note = forms.CharField(
        label="What the attendance shows",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed if the child is not attending: what happens next.",
    )


class WithdrawForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label="Why the place was declined or withdrawn",
        max_length=300,
        error_messages={"required": "Say why the place was declined or withdrawn"},
    )
