from __future__ import annotations

from django import forms

from cme.core.forms import GovukForm

from .models import Organisation
from .services import ASSIGNABLE_ROLES


class RoleChangeForm(GovukForm):
    role = forms.ChoiceField(
        label="Role",
        choices=[(role.value, role.label) for role in ASSIGNABLE_ROLES],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role"},
    )
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.order_by("name"),
        help_text="Who they work for. Their role must fit it: school staff belong to a school.",
        error_messages={"required": "Choose the organisation this person works for"},
    )


class PartnerAgencyForm(GovukForm):
    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="As your staff know it, for example Merseyside Police Public Protection Unit",
        error_messages={
            "required": "Enter the agency's name",
            "max_length": "The name must be 200 characters or fewer",
        },
    )
    safeguarding_role = forms.TypedChoiceField(
        label="Is it children's social care, or does it have a safeguarding role?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text="If yes, its key workers see the safeguarding flags and child protection "
        "status on the cases they hold.",
        error_messages={"required": "Say whether it has a safeguarding role"},
    )
    # What the form showed, so that a change made meanwhile is refused, not overwritten.
    shown_name = forms.CharField(required=False, widget=forms.HiddenInput)
    shown_safeguarding = forms.CharField(required=False, widget=forms.HiddenInput)
