from __future__ import annotations

from django import forms

from cme.accounts.models import Role, User
from cme.core.forms import GovukDateField, GovukForm, LongTextField

from .models import PlanTemplate


class StartPlanForm(GovukForm):
    template = forms.ModelChoiceField(
        label="Start from the template",
        queryset=PlanTemplate.objects.all(),
        empty_label=None,
        help_text="The council keeps its templates; each step gets a due date in school days.",
        error_messages={
            "required": "Choose a template (if there are none, ask the administrator for one)",
        },
    )


class ActionForm(GovukForm):
    title = forms.CharField(
        label="What needs doing",
        max_length=200,
        error_messages={"required": "Enter what needs doing"},
    )
    due_on = GovukDateField(
        label="Due by",
        help_text="For example, 27 3 2027",
        error_messages={"required": "Enter the date it is due"},
    )
    owner = forms.ModelChoiceField(
        label="Who will do it",
        queryset=User.objects.filter(is_active=True).exclude(role=Role.SYSTEM_ADMIN),
        required=False,
        empty_label="The key worker",
    )


class CompleteForm(GovukForm):
    note = LongTextField(label="What happened (optional)", required=False, rows=2)
