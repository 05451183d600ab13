"""The CME1 forms: open a checklist, record a step, send it, sign it off or return it.

Each form that makes something carries a one-time key made when the page is shown, so sending
the same page twice (a double click, Back and send again) makes it once (cme.checklist.services).
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from django import forms

from cme.core.forms import GovukDateField, GovukForm, LongTextField, UKPostcodeField
from cme.people.models import Sex

from .models import STEP_CHOICES, OutcomeChoice, PartyChoice

KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}\Z")
OUT_OF_DATE = "The page was out of date. Check what you typed and send it again"


def new_key() -> str:
    return secrets.token_urlsafe(24)


def _key_field() -> forms.RegexField:
    return forms.RegexField(
        regex=KEY,
        widget=forms.HiddenInput,
        error_messages={"required": OUT_OF_DATE, "invalid": OUT_OF_DATE},
    )


class OpenForm(GovukForm):
    """The pupil, as your admission register gives them, and when the absence began."""

    submission_key = _key_field()
    forename = forms.CharField(
        label="First name", max_length=100, error_messages={"required": "Enter the first name"}
    )
    surname = forms.CharField(
        label="Last name", max_length=100, error_messages={"required": "Enter the last name"}
    )
    date_of_birth = GovukDateField(
        label="Date of birth",
        help_text="For example, 27 3 2014",
        error_messages={"required": "Enter the date of birth"},
    )
    sex = forms.ChoiceField(
        label="Sex", choices=Sex.choices, initial=Sex.UNKNOWN, widget=forms.RadioSelect
    )
    upn = forms.CharField(
        label="Unique pupil number (UPN)",
        max_length=20,
        required=False,
        help_text="13 characters, starting with a letter, for example A123456789012",
    )
    address_line_1 = forms.CharField(label="Last known address", max_length=200, required=False)
    postcode = UKPostcodeField(label="Postcode", required=False)
    first_day_absent = GovukDateField(
        label="First day of the absence",
        help_text="The first school day the pupil missed, for example 3 2 2026",
        error_messages={"required": "Enter the first day of the absence"},
    )

    def pupil(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data.get(name)
            for name in (
                "forename", "surname", "date_of_birth", "sex", "upn", "address_line_1", "postcode",
            )
        }  # fmt: skip


class StepForm(GovukForm):
    """One step of the checklist: what, when, by whom, and what came of it."""

    submission_key = _key_field()
    kind = forms.ChoiceField(
        label="Step",
        choices=[("", "Choose a step"), *STEP_CHOICES],
        error_messages={"required": "Choose the step you are recording"},
    )
    done_on = GovukDateField(
        label="Date of the step",
        help_text="For example, 10 2 2026",
        error_messages={"required": "Enter the date the step was made"},
    )
    party = forms.ChoiceField(
        label="Who made it?",
        choices=PartyChoice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say who made the step: the school, the council, or both"},
    )
    done_by = forms.CharField(
        label="Name and role of the person who made it",
        max_length=200,
        help_text="For example, Sam Jones, attendance officer",
        error_messages={"required": "Enter who made the step (a name and role)"},
    )
    outcome = LongTextField(
        label="What came of it",
        rows=3,
        error_messages={"required": "Enter what came of the step, or why it could not be done"},
    )
    could_not_be_done = forms.BooleanField(
        label="This step could not be done (say why above)", required=False
    )

    def __init__(self, *args: Any, school_user: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A school records its own and joint steps; the council its own and joint ones.
        drop = PartyChoice.COUNCIL if school_user else PartyChoice.SCHOOL
        field: Any = self.fields["party"]
        field.choices = [c for c in PartyChoice.choices if c[0] != drop]


class SubmitForm(GovukForm):
    outcome = forms.ChoiceField(
        label="How did the enquiries end?",
        choices=OutcomeChoice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say how the enquiries ended"},
    )
    found_details = LongTextField(
        label="If the pupil was found: where, and why you both agree they will not return",
        rows=3,
        required=False,
    )


class DecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            ("sign_off", "Sign off the checklist"),
            ("return", "Return it to the school with reasons"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to sign off the checklist or return it"},
    )
    reasons = LongTextField(
        label="Reasons for returning it (needed to return it)", rows=3, required=False
    )
