from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef

from cme.accounts.key_work import eligible_key_workers
from cme.accounts.models import Role, User
from cme.accounts.permissions import WHOLE_REGISTER
from cme.core.forms import FastSelect, GovukDateField, GovukForm, LongTextField
from cme.people.models import RiskFactor
from cme.schools.forms import SchoolUrnField
from cme.schools.models import Establishment

from .models import Case, CaseStatus, FlagKind, Outcome, SharedWith

STATUS_FILTER_CHOICES = [("open", "Open cases"), *CaseStatus.choices, ("all", "All cases")]


class RegisterFilterForm(GovukForm):
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

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = Establishment.objects.filter(  # type: ignore[attr-defined]
            la_code=settings.CME_LA_CODE
        ).only("pk", "name")
        if user is None or user.role not in WHOLE_REGISTER:
            # Filtering by these would reveal parts of records only the CME team may read.
            del self.fields["key_worker"], self.fields["risk"]
            return
        self.fields["key_worker"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            Exists(Case.objects.filter(key_worker_id=OuterRef("pk")))
        ).only("pk", "first_name", "last_name", "username")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and low > high:
            self.add_error("max_age", "Age to must be the same as age from or more")
        return data


class TransitionForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    to = forms.ChoiceField(
        label="Move the case to", choices=CaseStatus.choices, widget=forms.RadioSelect
    )
    note = LongTextField(label="Note (optional)", required=False, rows=3)

    def __init__(self, *args: Any, allowed: list[CaseStatus], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(s.value, s.label) for s in allowed]  # type: ignore[attr-defined]


class CloseForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label="How did the case end?",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the case ended"},
    )
    school = SchoolUrnField(
        label="School the child is on roll at (needed for “Found on a school roll”)",
        required=False,
    )
    closed_on = GovukDateField(
        label="Date closed", help_text="For example, 27 3 2026", required=False
    )
    note = LongTextField(
        label="Why can the case close?",
        rows=4,
        error_messages={"required": "Say briefly why the case can close"},
    )

    def __init__(self, *args: Any, reason_prompt: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Asked only when the closing needs explaining (cme.cases.closing.reason_needed).
        if reason_prompt:
            self.fields["reason"] = forms.CharField(
                label=reason_prompt,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": "Say why the case can close with the plan unfinished"},
            )


class ReopenForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = LongTextField(
        label="Why is the case being reopened?",
        rows=4,
        error_messages={"required": "Say why the case is being reopened"},
    )


def _key_worker_label(user: User) -> str:
    return ", ".join(
        part for part in (user.get_full_name() or user.username, user.job_title) if part
    )


class AssignForm(GovukForm):
    """Name or un-name the case's workers. The key worker list holds only people from
    organisations approved for key work, grouped by organisation, each with their job title,
    so two people of the same name can be told apart; the blank choice un-names."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    key_worker = forms.TypedChoiceField(
        label="Key worker",
        help_text=(
            "The person in regular contact with the child, from an organisation the council "
            "has approved for key work. Type to search by name, job title or organisation."
        ),
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(attrs={"data-picker": "key-worker"}),
    )
    paews_officer = forms.ModelChoiceField(
        label="PAEWS officer",
        queryset=User.objects.filter(is_active=True, role=Role.PAEWS_OFFICER),
        required=False,
        empty_label="No PAEWS officer",
        widget=FastSelect,
    )

    def __init__(self, *args: Any, current_key_worker: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups: dict[str, list[tuple[int, str]]] = {}
        self._eligible = {user.pk: user for user in eligible_key_workers()}
        # Someone named before their organisation lost its approval stays listed, so saving
        # the other field does not quietly un-name them.
        if current_key_worker is not None:
            self._eligible.setdefault(current_key_worker.pk, current_key_worker)
        for user in self._eligible.values():
            groups.setdefault(str(user.organisation), []).append((user.pk, _key_worker_label(user)))
        self.fields["key_worker"].choices = [  # type: ignore[attr-defined]
            ("", "No key worker"),
            *groups.items(),
        ]

    def clean_key_worker(self) -> User | None:
        chosen = self.cleaned_data.get("key_worker")
        return None if chosen is None else self._eligible[chosen]


class NoteForm(GovukForm):
    text = LongTextField(
        label="Add an update",
        rows=4,
        error_messages={"required": "Enter the update"},
    )
    shared_with = forms.ChoiceField(
        label="Who may read it?",
        choices=SharedWith.choices,
        initial=SharedWith.CME_TEAM,
        widget=forms.RadioSelect,
        help_text="The CME team reads every update. Share it further only if they need it.",
        error_messages={"required": "Choose who may read the update"},
    )


class FlagForm(GovukForm):
    kind = forms.ChoiceField(
        label="What kind of flag?",
        choices=FlagKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of flag"},
    )
    description = LongTextField(
        label="Describe the concern",
        rows=4,
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


class ResolveFlagForm(GovukForm):
    flag_id: int | None = None  # which flag it resolves, so the page opens that flag's box

    resolution = LongTextField(
        label="Why can the flag be resolved?",
        rows=3,
        error_messages={"required": "Say why the flag can be resolved"},
    )


class ClockStartsForm(GovukForm):
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
