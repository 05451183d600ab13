"""Forms for the Check page (a decision on one candidate, the referral to PAEWS) and the
home education register."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from cme.core.forms import GovukDateField, GovukForm, LongTextField, UKPostcodeField
from cme.people.models import Sex

from .selectors import paews_officers


class DecisionForm(GovukForm):
    action = forms.ChoiceField(
        choices=[("confirm", "Confirm"), ("reject", "Reject"), ("reopen", "Reopen")],
        widget=forms.HiddenInput,
    )
    reason = LongTextField(
        label="Reason",
        required=False,
        max_length=2000,
        rows=2,
        help_text="Needed to reject or reopen: what tells you it is, or is not, this child",
    )


class PaewsReferralForm(GovukForm):
    paews_officer = forms.ModelChoiceField(
        label="PAEWS officer", queryset=paews_officers(), empty_label="Choose an officer"
    )
    note = LongTextField(
        label="Note for PAEWS (optional)",
        required=False,
        max_length=2000,
        rows=2,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["paews_officer"].queryset = paews_officers()  # type: ignore[attr-defined]


class HomeEducationForm(GovukForm):
    forename = forms.CharField(
        label="First name",
        max_length=100,
        error_messages={"required": "Enter the child's first name"},
    )
    middle_names = forms.CharField(label="Middle names", max_length=200, required=False)
    surname = forms.CharField(
        label="Last name",
        max_length=100,
        error_messages={"required": "Enter the child's last name"},
    )
    date_of_birth = GovukDateField(
        label="Date of birth", required=False, help_text="For example, 27 3 2014"
    )
    sex = forms.ChoiceField(
        label="Sex", choices=Sex.choices, initial=Sex.UNKNOWN, widget=forms.RadioSelect
    )
    address = forms.CharField(label="Address", max_length=300, required=False)
    postcode = UKPostcodeField(label="Postcode", required=False)
    started_on = GovukDateField(
        label="Home education started",
        error_messages={"required": "Enter when home education started"},
    )
    notes = LongTextField(label="Notes", required=False, rows=3)


class EndHomeEducationForm(GovukForm):
    ended_on = GovukDateField(
        label="Home education ended", error_messages={"required": "Enter when home education ended"}
    )
    to_school = forms.ChoiceField(
        label="Did the child start at, or go back to, a school?",
        choices=[("yes", "Yes"), ("no", "No: they moved away, or something else")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the child started at a school"},
    )
    reason = LongTextField(
        label="Why did it end?",
        rows=2,
        error_messages={"required": "Say why home education ended"},
    )


class OnRollForm(GovukForm):
    """After a roll match is confirmed: close the case as on roll there, or keep monitoring."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    next_step = forms.ChoiceField(
        label="What next?",
        choices=[
            ("close", "Close the case: the child is on roll at this school"),
            ("keep", "Keep the case open to monitor the child's attendance"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to close the case or keep it open"},
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Keep the note to 2,000 characters or fewer"},
    )

    def __init__(self, *args: Any, reason_prompt: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if reason_prompt:
            self.fields["reason"] = forms.CharField(
                label=f"{reason_prompt} (needed to close)",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )


class _ModelRadios(forms.ChoiceField):
    """The models a manager may switch to; one kept but no longer fitting the code is refused
    with the reason why (it has no radio, but an old page or a crafted form may send it)."""

    def __init__(self, *, refused: dict[str, str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.refused = refused

    def validate(self, value: Any) -> None:
        if value in self.refused:
            raise forms.ValidationError(self.refused[value], code="unusable")
        super().validate(value)


class MatchingModelSwitchForm(GovukForm):
    """Switch every search to another matching model (cme.checks.matching_models)."""

    model = _ModelRadios(
        label="Model to use for every search",
        refused={},
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the model to use for every search",
            "invalid_choice": "There is no model called “%(value)s” now. Select one of the "
            "models listed",
        },
    )
    reason = LongTextField(
        label="Reason for the switch",
        max_length=2000,
        rows=3,
        help_text="Kept with the switch and on the audit trail, for example: retrained on "
        "this term's decisions, recall on our decisions up from 91% to 95%",
        error_messages={"required": "Say why you are switching the model"},
    )
    # The version the page showed in use: a form sent twice, or after another manager's
    # switch, is refused rather than switching again.
    in_use = forms.CharField(widget=forms.HiddenInput, max_length=60)

    def __init__(
        self,
        *args: Any,
        choices: list[tuple[str, str]],
        refused: dict[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast(_ModelRadios, self.fields["model"])  # a deep copy of the one above
        field.choices = choices
        field.refused = refused
