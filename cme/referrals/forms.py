from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import timezone

from cme.core.forms import GovukDateField, GovukForm, LongTextField, UKPostcodeField
from cme.people.models import Sex
from cme.schools.models import Establishment

from .description import describe_child
from .models import Reason, Route
from .services.recording import OUT_OF_DATE
from .services.staff import route_is_fixed, school_is_fixed

SUBMISSION_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}\Z")


class ReferralForm(GovukForm):
    """CME2: referral to the CME out of school register."""

    # A one-time key made when the form is shown: the same form sent twice records one
    # referral (cme.referrals.services.recording).
    submission_key = forms.RegexField(
        regex=SUBMISSION_KEY,
        widget=forms.HiddenInput,
        error_messages={"required": OUT_OF_DATE, "invalid": OUT_OF_DATE},
    )

    route = forms.ChoiceField(
        label="How did the referral reach you?",
        choices=[("", "Choose a route"), *Route.choices],
        error_messages={"required": "Choose how the referral reached you"},
    )
    received_on = GovukDateField(
        label="Date received",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date the referral was received"},
    )
    reason = forms.ChoiceField(
        label="Why is the child thought to be missing education?",
        choices=Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a reason"},
    )
    forename = forms.CharField(label="Child's first name", max_length=100, required=False)
    middle_names = forms.CharField(label="Middle names", max_length=200, required=False)
    surname = forms.CharField(label="Child's last name", max_length=100, required=False)
    date_of_birth = GovukDateField(
        label="Date of birth", help_text="If you know it. For example, 27 3 2014", required=False
    )
    sex = forms.ChoiceField(
        label="Sex", choices=Sex.choices, initial=Sex.UNKNOWN, widget=forms.RadioSelect
    )
    upn = forms.CharField(
        label="Unique pupil number (UPN)",
        help_text="13 characters, if the school gave one",
        max_length=20,
        required=False,
    )
    address_line_1 = forms.CharField(label="Last known address", max_length=200, required=False)
    town = forms.CharField(label="Town or city", max_length=100, required=False)
    postcode = UKPostcodeField(label="Postcode", required=False)
    school = forms.ModelChoiceField(
        label="School the child last attended",
        queryset=Establishment.objects.all(),
        required=False,
        empty_label="Not known",
    )
    details = LongTextField(
        label="What do you know?",
        help_text="When the child was last seen, who they live with, any concerns.",
        rows=5,
        required=False,
    )
    referrer_name = forms.CharField(label="Referrer's name", max_length=200, required=False)
    referrer_role = forms.CharField(
        label="Referrer's role or organisation", max_length=200, required=False
    )
    referrer_phone = forms.CharField(label="Referrer's phone number", max_length=40, required=False)
    referrer_email = forms.EmailField(label="Referrer's email address", required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        # The role's own terms (referrals.services.staff) fill these in, so they are not asked.
        if route_is_fixed(user):
            # A school, agency or other council refers as itself, now: there is nothing
            # "received" to date, so the referral is dated the day it is sent.
            del self.fields["route"]
            del self.fields["received_on"]
            for name in ("referrer_name", "referrer_role", "referrer_phone", "referrer_email"):
                del self.fields[name]
        if school_is_fixed(user):
            del self.fields["school"]

    def sent_key(self) -> str:
        """The one-time key as sent, if it is one this form makes ("" if not), read before
        the rest of the form is checked."""
        key = self.data.get("submission_key", "")
        return key if isinstance(key, str) and SUBMISSION_KEY.fullmatch(key) else ""

    def clean_date_of_birth(self) -> Any:
        born = self.cleaned_data.get("date_of_birth")
        if born and born > timezone.localdate():
            raise forms.ValidationError("Date of birth must be in the past")
        return born

    def clean_received_on(self) -> Any:
        received = self.cleaned_data.get("received_on")
        if received and received > timezone.localdate():
            raise forms.ValidationError("The date received must be today or earlier")
        return received

    def described(self) -> dict[str, Any]:
        """The child as described, for keeping unchanged on the referral."""
        return describe_child(self.cleaned_data)


class DeclineForm(GovukForm):
    note = LongTextField(
        label="Why is this not a case for the CME register?",
        rows=4,
        error_messages={"required": "Say why this is not a CME case"},
    )
