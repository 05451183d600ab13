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
