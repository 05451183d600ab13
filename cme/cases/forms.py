from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef

from cme.accounts.models import Role, User
from cme.core.forms import FastSelect, GovukDateField
from cme.people.models import RiskFactor
from cme.schools.models import Establishment

from .models import Case, CaseStatus, FlagKind, Outcome

STATUS_FILTER_CHOICES = [("open", "Open cases"), *CaseStatus.choices, ("all", "All cases")]


class RegisterFilterForm(forms.Form):
    """The register's filters. Posted, then kept in the session (``register_search``), so that
    a name or UPN typed here never reaches a URL."""

    q = forms.CharField(label="Name or UPN", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Status", choices=STATUS_FILTER_CHOICES, required=False, widget=FastSelect
    )
    # Only this authority's schools and the people who are key workers (a national GIAS file
    # holds about 50,000 establishments); options render in Python, not a template each.
    school = forms.ModelChoiceField(
        label="School",
        queryset=Establishment.objects.none(),
        required=False,
        empty_label="Any school",
        widget=FastSelect,
    )
    key_worker = forms.ModelChoiceField(
        label="Key worker",
        queryset=User.objects.none(),
        required=False,
        empty_label="Anyone",
        widget=FastSelect,
    )
    risk = forms.ModelChoiceField(
        label="Risk factor",
        queryset=RiskFactor.objects.all(),
        to_field_name="code",
        required=False,
        empty_label="Any",
        widget=FastSelect,
    )
    min_age = forms.IntegerField(
        label="Age from",
        min_value=0,
        max_value=25,
        required=False,
        error_messages={"invalid": "Enter the age from as a whole number of years, like 11"},
    )
    max_age = forms.IntegerField(
        label="Age to",
        min_value=0,
        max_value=25,
        required=False,
        error_messages={"invalid": "Enter the age to as a whole number of years, like 16"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = Establishment.objects.filter(  # type: ignore[attr-defined]
            la_code=settings.CME_LA_CODE
        ).only("pk", "name")
        self.fields["key_worker"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            Exists(Case.objects.filter(key_worker_id=OuterRef("pk")))
        ).only("pk", "first_name", "last_name", "username")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and low > high:
            self.add_error("max_age", "Age to must be the same as age from or more")
        return data


class TransitionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    to = forms.ChoiceField(
        label="Move the case to", choices=CaseStatus.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, allowed: list[CaseStatus], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(s.value, s.label) for s in allowed]  # type: ignore[attr-defined]


class CloseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label="How did the case end?",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the case ended"},
    )
    closed_on = GovukDateField(
        label="Date closed", help_text="For example, 27 3 2026", required=False
    )
    note = forms.CharField(
        label="Why can the case close?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say briefly why the case can close"},
    )


class ReopenForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Why is the case being reopened?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why the case is being reopened"},
    )


class AssignForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    key_worker = forms.ModelChoiceField(
        label="Key worker",
        help_text="The person in regular contact with the child, from any agency.",
        queryset=User.objects.filter(is_active=True).exclude(role=Role.SYSTEM_ADMIN),
        required=False,
        empty_label="Choose a key worker",
        widget=FastSelect,
    )
    paews_officer = forms.ModelChoiceField(
        label="PAEWS officer",
        queryset=User.objects.filter(is_active=True, role=Role.PAEWS_OFFICER),
        required=False,
        empty_label="Choose a PAEWS officer",
        widget=FastSelect,
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Add an update",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the update"},
    )


class FlagForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of flag?",
        choices=FlagKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of flag"},
    )
    description = forms.CharField(
        label="Describe the concern",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe the concern"},
    )
    escalated_to = forms.CharField(
        label="Who in children's social care did you tell?",
        max_length=200,
        required=False,
        help_text="Needed for a safeguarding concern. Name the team or person.",
    )
    escalated_on = GovukDateField(
        label="When did you tell them?", required=False, help_text="For example, 27 3 2026"
    )
    escalation_reference = forms.CharField(
        label="Their reference (optional)", max_length=100, required=False
    )


class ResolveFlagForm(forms.Form):
    resolution = forms.CharField(
        label="Why can the flag be resolved?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the flag can be resolved"},
    )


class ClockStartsForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    first_day_absent = GovukDateField(
        label="First school day the child was absent",
        required=False,
        help_text="If known. The 20 school days of continuous absence count from here.",
    )
    left_roll_on = GovukDateField(
        label="Day the child came off the last school's roll",
        required=False,
        help_text="If known. The Common Transfer File is due 15 school days after.",
    )
