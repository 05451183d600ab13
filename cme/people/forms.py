"""Forms to correct and update a child's record. Parse and check the input only: the services
(cme.people.services) decide and write. Every message is written for this service."""

from __future__ import annotations

from typing import Any

from django import forms

from cme.core.forms import FastSelect, GovukDateField, GovukForm, UKPostcodeField

from .models import RiskFactor, Sex
from .services.checks import not_before, phone_normalised, phone_problem
from .services.needs import NeedsChange, needs_problems


def text(label: str, max_length: int, *, required: bool = False, **kwargs: Any) -> forms.CharField:
    """A text field whose messages say what to do, in the field's own words."""
    words = label[0].upper() + label[1:]
    messages = {"max_length": f"{words} must be {max_length} characters or fewer"}
    messages.update(kwargs.pop("error_messages", {}))
    return forms.CharField(
        label=label, max_length=max_length, required=required, error_messages=messages, **kwargs
    )


def yes_no(label: str, **kwargs: Any) -> forms.TypedChoiceField:
    """A yes or no question as GOV.UK radios; answered either way, never left blank."""
    return forms.TypedChoiceField(
        label=label,
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": f"Answer yes or no: {label[0].lower() + label[1:]}"},
        **kwargs,
    )


class VersionedForm(GovukForm):
    """Carries the version of the record the form was opened on; a save on an older one is
    refused by the service with what changed since."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class IdentityForm(VersionedForm):
    forename = text("First name", 100)
    middle_names = text("Middle names", 200)
    surname = text("Last name", 100)
    preferred_name = text(
        "Preferred name", 100, help_text="If the child likes to be called something else"
    )
    date_of_birth = GovukDateField(
        label="Date of birth", help_text="For example, 27 3 2014", required=False
    )
    sex = forms.ChoiceField(
        label="Sex",
        choices=Sex.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose female, male or not known"},
    )
    upn = text(
        "UPN",
        20,
        help_text="The unique pupil number: 13 characters, for example A123456789012",
        error_messages={"max_length": "A UPN has 13 characters"},
    )
    reason = text(
        "Why is the name or date of birth changing?",
        500,
        help_text=(
            "Needed if you change a name or the date of birth. The old one is kept on the "
            "record with your reason, for example 'adopted' or 'spelt wrongly on the referral'."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def date_field(
    label: str, *, required: bool = False, hint: str = "For example, 27 3 2024"
) -> GovukDateField:
    return GovukDateField(label=label, help_text=hint, required=required)


class AddressForm(VersionedForm):
    line_1 = text(
        "Address line 1",
        200,
        required=True,
        error_messages={"required": "Enter the first line of the address, like 1 Example Street"},
    )
    line_2 = text("Address line 2 (optional)", 200)
    town = text("Town or city (optional)", 100)
    postcode = UKPostcodeField(label="Postcode (optional)", required=False)
    lived_from = date_field(
        "Date the child moved in (optional)",
        hint="A date still to come records an address the child will move to; the address "
        "they live at now then ends the day before. For example, 27 3 2024",
    )
    lived_until = date_field(
        "Last date the child lived here (optional)",
        hint="Leave blank if the child still lives here, or will. For example, 27 3 2024",
    )
    lives_with = text(
        "Who the child lives with here (optional)",
        200,
        help_text="For an address the child will move to, the parent they will live with",
    )
    do_not_share = yes_no(
        "Must this address be kept from everyone outside the CME team?",
        help_text="For example a women's refuge, or a parent who fled domestic abuse. Others "
        "will see 'Withheld'.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        problems: dict[str, list[str]] = {}
        not_before(
            problems,
            "lived_until",
            data.get("lived_until"),
            data.get("lived_from"),
            "The date the child left",
            "the date they moved in",
        )
        for name, found in problems.items():
            self.add_error(name, found)
        return data


class EndAddressForm(VersionedForm):
    ended_on = date_field(
        "Last date the child lived at this address",
        required=True,
    )


class CarerForm(VersionedForm):
    name = text(
        "Name",
        200,
        required=True,
        error_messages={"required": "Enter the parent's or carer's name"},
    )
    relationship = text(
        "Relationship to the child (optional)", 60, help_text="For example, mother, grandfather"
    )
    lives_with_child = yes_no("Does the child live with them?")
    parental_responsibility = yes_no("Do they have parental responsibility?")
    phone = text(
        "Telephone (optional)",
        40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    emergency_phone = text(
        "Emergency telephone (optional)",
        40,
        help_text="A number they can be reached on in an emergency",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    address = text(
        "Address (optional)",
        300,
        help_text="If it is not the child's address",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def _phone(self, name: str, words: str) -> str:
        # Checked here as well as in the service, so it is shown with the form's other errors.
        value = phone_normalised(self.cleaned_data[name])
        found = phone_problem(value, words=words)
        if found:
            raise forms.ValidationError(found)
        return value

    def clean_phone(self) -> str:
        return self._phone("phone", "the telephone number")

    def clean_emergency_phone(self) -> str:
        return self._phone("emergency_phone", "the emergency telephone number")

    def __init__(self, *args: Any, address_withheld: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if address_withheld:
            # Withheld from this writer (the child has a "do not share" address): the service
            # keeps the address as it is.
            del self.fields["address"]


class EndCarerForm(VersionedForm):
    ended_on = date_field("Date they stopped caring for the child", required=True)


class RiskFactorForm(VersionedForm):
    risk_factor = forms.ChoiceField(
        label="Risk factor",
        choices=[],
        error_messages={"required": "Select the risk factor from the policy's list"},
    )
    raised_on = date_field("Date raised", required=True)

    def __init__(self, *args: Any, open_codes: frozenset[str] = frozenset(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The policy's list, less those already raised and not ended: one of each at a time.
        field = self.fields["risk_factor"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [
            ("", "Choose a risk factor"),
            *(
                (factor.code, factor.label)
                for factor in RiskFactor.objects.all()
                if factor.code not in open_codes
            ),
        ]


class EndRiskFactorForm(VersionedForm):
    ended_on = date_field("Date it ended", required=True)


class CorrectRiskFactorForm(VersionedForm):
    raised_on = date_field("Date raised", required=True)
    reason = text(
        "Why the date is being corrected",
        500,
        help_text="For example, mistyped, or the school has told us of an earlier date",
    )


class NeedsForm(VersionedForm):
    sen_support = yes_no("Does the child have SEN support?")
    ehcp = yes_no("Does the child have an education, health and care (EHC) plan?")
    ehcp_council = text(
        "Council responsible for the EHC plan",
        100,
        help_text="If the child has an EHC plan: the council that maintains it, which may not "
        "be this one",
    )
    looked_after = yes_no("Is the child looked after?")
    looked_after_by = text(
        "Council looking after the child", 100, help_text="If the child is looked after"
    )
    young_carer = yes_no("Is the child a young carer?")
    yot = yes_no("Is the child supervised by the Youth Offending Team?")

    def clean(self) -> dict[str, Any]:
        # The same checks as the service, shown with the form's other errors.
        data = super().clean() or {}
        if {"ehcp", "looked_after"} <= set(data):
            given = {name: data.get(name, "") for name in NEEDS_NAMES}
            for name, found in needs_problems(NeedsChange(**given)).items():
                self.add_error(name, found)
        return data


NEEDS_NAMES = (
    "sen_support",
    "ehcp",
    "ehcp_council",
    "looked_after",
    "looked_after_by",
    "young_carer",
    "yot",
)


class SafeguardingForm(VersionedForm):
    child_protection_plan = yes_no("Does the child have a child protection plan?")
    child_in_need = yes_no("Does the child have a child in need plan?")


def _schools() -> Any:
    """The schools a sibling may be at: the model the Sibling's foreign key names (the schools
    app is a neighbour on this floor, so it is reached through the key, not imported)."""
    from .models import Sibling

    return Sibling._meta.get_field("school").related_model._default_manager.order_by("name")  # type: ignore[union-attr]


class SiblingForm(GovukForm):
    """A brother or sister: by their record number if on the register, or by name."""

    record = forms.IntegerField(
        label="Their record number, if they are on the register",
        required=False,
        min_value=1,
        help_text="The number in the address of their record's page. Leave empty otherwise.",
        error_messages={"invalid": "Enter the record number as digits, like 1093"},
    )
    name = text("Name", 200, help_text="If they are not on the register.")
    date_of_birth = GovukDateField(label="Date of birth", required=False)
    school: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Their school",
        queryset=None,
        required=False,
        empty_label="Not known",
        widget=FastSelect,
        help_text="The CME team asks this school when the child is missing.",
    )
    relationship = text("Relationship", 60, help_text="For example, half-brother.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["school"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = _schools()
