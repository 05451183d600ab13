"""Forms to correct and update a child's record. Parse and check the input only: the services
(cme.people.services) decide and write. Every message is written for this service."""

from __future__ import annotations

from typing import Any

from django import forms

from cme.core.forms import FastSelect, GovukDateField, GovukForm

from .models import Sex


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
