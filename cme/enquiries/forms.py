"""The enquiry forms: parse and check what was typed; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from cme.accounts.models import Organisation, OrganisationKind, Role, User
from cme.core.forms import FastSelect, GovukDateField, GovukForm, GovukModelForm
from cme.schools.models import Establishment

from .models import (
    INCOMING_OUTCOMES,
    INCOMING_WORDING,
    OUTCOMES,
    AgencyArea,
    Kind,
    LetterTemplate,
    Outcome,
    SchoolReason,
    outcome_label,
)
from .services.answering import Answer
from .services.incoming import IncomingAnswer, IncomingChild

DATE_FIELDS = frozenset({"on_roll_from", "left_on", "visited_on"})


def _required(message: str) -> dict[str, str]:
    return {"required": message}


def _email(label: str = "Email address for the secure link") -> forms.EmailField:
    return forms.EmailField(
        label=label,
        required=False,
        max_length=254,
        help_text="Only if they have no account in the register. The email carries a link and "
        "a reference, never the child's name.",
        error_messages={"invalid": "Enter an email address like name@school.example.org"},
    )


def _due() -> GovukDateField:
    return GovukDateField(
        label="Answer due by",
        required=False,
        help_text="Leave empty to use the usual time for this kind of enquiry.",
    )


OTHER_ROWS = 3


class SchoolsForm(GovukForm):
    """A CME3a to one or many schools: the suggested schools as checkboxes (with an email box
    for those with no account), and any other school of the authority."""

    other_school = forms.ModelChoiceField(
        label="Another school",
        queryset=Establishment.objects.none(),
        required=False,
        empty_label="None",
        widget=FastSelect,
    )
    other_reason = forms.ChoiceField(
        label="Why ask that school",
        choices=[("", "Choose"), *SchoolReason.choices],
        required=False,
        widget=FastSelect,
    )
    other_email = _email()
    due_on = _due()

    def __init__(
        self, *args: Any, suggestions: list[tuple[Establishment, str, bool]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.suggestions = suggestions
        for school, reason, has_account in suggestions:
            self.fields[f"school_{school.pk}"] = forms.BooleanField(
                label=f"{school.name} ({SchoolReason(reason).label.lower()})", required=False
            )
            if not has_account:
                self.fields[f"email_{school.pk}"] = _email(f"Email address for {school.name}")
        # Up to three more schools (a sibling's school, another near the address): the first
        # row is declared above, the others are numbered.
        for n in range(2, OTHER_ROWS + 1):
            self.fields[f"other_school_{n}"] = forms.ModelChoiceField(
                label=f"Another school ({n})",
                queryset=Establishment.objects.none(),
                required=False,
                empty_label="None",
                widget=FastSelect,
            )
            self.fields[f"other_reason_{n}"] = forms.ChoiceField(
                label=f"Why ask that school ({n})",
                choices=[("", "Choose"), *SchoolReason.choices],
                required=False,
                widget=FastSelect,
            )
            self.fields[f"other_email_{n}"] = _email(f"Email address for that school ({n})")
        schools = Establishment.objects.filter(la_code=settings.CME_LA_CODE).only("pk", "name")
        for suffix in self._suffixes():
            field = self.fields[f"other_school{suffix}"]
            assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - made just above
            field.queryset = schools

    @staticmethod
    def _suffixes() -> list[str]:
        return ["", *(f"_{n}" for n in range(2, OTHER_ROWS + 1))]

    def other_rows(self) -> list[tuple[Any, Any, Any]]:
        """(school, reason, email) bound fields of each "another school" row."""
        return [
            (self[f"other_school{s}"], self[f"other_reason{s}"], self[f"other_email{s}"])
            for s in self._suffixes()
        ]

    def chosen(self) -> list[tuple[Establishment, str, str]]:
        """(school, reason, email) for every school ticked or added."""
        data = self.cleaned_data
        picked = [
            (school, reason, data.get(f"email_{school.pk}", "") or "")
            for school, reason, _ in self.suggestions
            if data.get(f"school_{school.pk}")
        ]
        for suffix in self._suffixes():
            if data.get(f"other_school{suffix}"):
                picked.append(
                    (
                        data[f"other_school{suffix}"],
                        data.get(f"other_reason{suffix}") or SchoolReason.OTHER,
                        data.get(f"other_email{suffix}") or "",
                    )
                )
        return picked

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not self.chosen():
            raise forms.ValidationError("Choose at least one school to ask")
        return data

    def suggestion_rows(self) -> list[dict[str, Any]]:
        rows = []
        for school, _, has_account in self.suggestions:
            rows.append(
                {
                    "school": school,
                    "box": self[f"school_{school.pk}"],
                    "email": None if has_account else self[f"email_{school.pk}"],
                    "has_account": has_account,
                }
            )
        return rows


class CouncilForm(GovukForm):
    """A CME4 or a CME5a: the council, by its account here or its LA code."""

    council = forms.ModelChoiceField(
        label="Council",
        queryset=Organisation.objects.filter(kind=OrganisationKind.OTHER_LA),
        required=False,
        empty_label="Not listed: give its LA code",
        widget=FastSelect,
    )
    la_code = forms.CharField(
        label="LA code",
        required=False,
        max_length=3,
        help_text="DfE's 3-digit number for the council, like 343 for Sefton.",
    )
    recipient_email = _email()
    due_on = _due()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("council") and not (data.get("la_code") or "").strip():
            self.add_error("la_code", "Choose the council, or give its 3-digit LA code")
        return data


class AgencyForm(GovukForm):
    agency_area = forms.ChoiceField(
        label="Which agency",
        choices=AgencyArea.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Choose which agency to check with"),
    )
    organisation = forms.ModelChoiceField(
        label="The agency, if it has an account here",
        queryset=Organisation.objects.filter(kind=OrganisationKind.AGENCY),
        required=False,
        empty_label="It has no account",
        widget=FastSelect,
    )
    name = forms.CharField(
        label="Team or person asked",
        required=False,
        max_length=200,
        help_text="For example, Housing Options team.",
    )
    recipient_email = _email()
    due_on = _due()


class HomeVisitForm(GovukForm):
    visitor = forms.ModelChoiceField(
        label="PAEWS officer who will visit",
        queryset=User.objects.filter(role=Role.PAEWS_OFFICER, is_active=True),
        empty_label="Choose",
        widget=FastSelect,
        error_messages=_required("Choose the PAEWS officer who will visit"),
    )
    due_on = _due()


class SearchForm(GovukForm):
    """An S2S or lost pupil database search the officer has made: recorded with its result."""

    outcome = forms.ChoiceField(
        label="What did the search find?",
        choices=[(Outcome.FOUND, "A record of the child"), (Outcome.NOT_FOUND, "No record")],
        widget=forms.RadioSelect,
        error_messages=_required("Choose what the search found"),
    )
    details = forms.CharField(
        label="Details",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What was found, such as the school or LA that uploaded the file.",
    )


class AnswerForm(GovukForm):
    """An answer to one enquiry. Which questions appear depends on its kind."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    outcome = forms.ChoiceField(
        label="Answer", widget=forms.RadioSelect, error_messages=_required("Choose an answer")
    )
    on_roll_from = GovukDateField(label="On roll from", required=False)
    on_roll_at = forms.CharField(
        label="School the child is on roll at", required=False, max_length=200
    )
    left_on = GovukDateField(label="Left on", required=False)
    left_for = forms.CharField(
        label="Left for",
        required=False,
        max_length=200,
        help_text="The new school or area, if known.",
    )
    moved_to_la_code = forms.CharField(
        label="LA code of the council they moved to",
        required=False,
        max_length=3,
        help_text="If the child moved to another council's area, like 343 for Sefton.",
    )
    visited_on = GovukDateField(label="Date of the visit", required=False)
    seen = forms.CharField(label="Who was seen", required=False, max_length=300)
    neighbours = forms.CharField(
        label="What the neighbours said",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    agreed_action = forms.CharField(
        label="The action your council has agreed",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    contact = forms.CharField(
        label="Your contact for this child",
        required=False,
        max_length=300,
        help_text="A name and a phone number or email address.",
    )
    details = forms.CharField(
        label="Anything else",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    answered_by_name = forms.CharField(label="Your name", required=False, max_length=200)

    FIELDS_FOR_KIND: dict[str, tuple[str, ...]] = {
        Kind.CME3A: ("on_roll_from", "left_on", "left_for", "moved_to_la_code", "details"),
        Kind.CME4: ("on_roll_at", "on_roll_from", "details"),
        Kind.CME5A: ("agreed_action", "contact", "details"),
        Kind.HOME_VISIT: ("visited_on", "seen", "neighbours", "moved_to_la_code", "details"),
        Kind.AGENCY_CHECK: ("moved_to_la_code", "details"),
        Kind.S2S_SEARCH: ("details",),
        Kind.LOST_PUPIL_SEARCH: ("details",),
    }

    def __init__(self, *args: Any, kind: str, by_link: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        outcome = self.fields["outcome"]
        assert isinstance(outcome, forms.ChoiceField)  # noqa: S101 - declared above
        outcome.choices = [(o.value, outcome_label(kind, o)) for o in OUTCOMES[Kind(kind)]]
        if kind == Kind.CME5A:
            self.fields["outcome"].initial = Outcome.ACTION_AGREED
        keep = {"version", "outcome", *self.FIELDS_FOR_KIND[kind]}
        if by_link:
            keep.add("answered_by_name")
            self.fields["answered_by_name"].required = True
            self.fields["answered_by_name"].error_messages = {"required": "Enter your name"}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]

    def answer(self) -> Answer:
        """The typed answer, for the service (which checks it against the kind)."""
        data = self.cleaned_data
        values: dict[str, Any] = {}
        for name in self.fields:
            if name == "version":
                continue
            value = data.get(name)
            values[name] = value if name in DATE_FIELDS else (value or "")
        return Answer(**values)


class WithdrawForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label="Why is the enquiry no longer needed?",
        max_length=300,
        error_messages=_required("Say why the enquiry is withdrawn"),
    )


class LetterTemplateForm(GovukModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = LetterTemplate
        fields = ["letterhead", "title", "opening", "closing", "signatory_name", "signatory_role"]
        widgets = {
            "letterhead": forms.Textarea(attrs={"rows": 5}),
            "opening": forms.Textarea(attrs={"rows": 6}),
            "closing": forms.Textarea(attrs={"rows": 5}),
        }
        error_messages = {
            name: {"required": "Enter this part of the letter"}
            for name in [
                "letterhead",
                "title",
                "opening",
                "closing",
                "signatory_name",
                "signatory_role",
            ]
        }


class IncomingForm(GovukForm):
    """Another council's CME4 to this council, typed by its staff: only what the search needs."""

    forename = forms.CharField(
        label="First name", max_length=100, error_messages=_required("Enter the child's first name")
    )
    middle_names = forms.CharField(label="Middle names", required=False, max_length=200)
    surname = forms.CharField(
        label="Last name", max_length=100, error_messages=_required("Enter the child's last name")
    )
    former_names = forms.CharField(
        label="Other names the child has been known by",
        required=False,
        max_length=2000,
        help_text="One name on each line, first name then last name.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    date_of_birth = GovukDateField(
        label="Date of birth", error_messages=_required("Enter the child's date of birth")
    )
    sex = forms.ChoiceField(
        label="Sex",
        required=False,
        choices=[("", "Not known"), ("F", "Female"), ("M", "Male")],
        widget=forms.RadioSelect,
    )
    upn = forms.CharField(label="UPN", required=False, max_length=20)
    last_school = forms.CharField(label="Last school", required=False, max_length=200)
    last_address = forms.CharField(
        label="Last known address",
        required=False,
        max_length=300,
        help_text="Where the family lived, or the address in our area you think they moved to.",
    )
    last_postcode = forms.CharField(label="Postcode of that address", required=False, max_length=10)
    their_reference = forms.CharField(
        label="Your reference", required=False, max_length=60, help_text="Your case number."
    )
    contact = forms.CharField(
        label="Who we should contact",
        required=False,
        max_length=300,
        help_text="A name and a phone number or email. Left empty: you.",
    )
    due_on = GovukDateField(
        label="Answer needed by",
        required=False,
        help_text="Leave empty for our usual time (10 working days).",
    )

    def child(self) -> IncomingChild:
        data = self.cleaned_data
        former = [line.strip() for line in (data.get("former_names") or "").splitlines()]
        return IncomingChild(
            forename=data["forename"],
            middle_names=data.get("middle_names", ""),
            surname=data["surname"],
            former_names=[name for name in former if name],
            date_of_birth=data.get("date_of_birth"),
            sex=data.get("sex", ""),
            upn=data.get("upn", ""),
            last_school=data.get("last_school", ""),
            last_address=data.get("last_address", ""),
            last_postcode=data.get("last_postcode", ""),
        )


class IncomingAnswerForm(GovukForm):
    """The officer's answer to another council's CME4, after the check."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    outcome = forms.ChoiceField(
        label="Answer",
        widget=forms.RadioSelect,
        choices=[(o.value, INCOMING_WORDING[o]) for o in INCOMING_OUTCOMES],
        error_messages=_required("Choose an answer"),
    )
    on_roll_school = forms.ModelChoiceField(
        label="School the child is on roll at",
        queryset=Establishment.objects.none(),
        required=False,
        empty_label="Choose a school",
        widget=FastSelect,
    )
    on_roll_from = GovukDateField(label="On roll from", required=False)
    details = forms.CharField(
        label="Details for the other council",
        required=False,
        max_length=2000,
        help_text="What our CME team knows, or what was checked. Needed for known to our CME team.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["on_roll_school"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = Establishment.objects.filter(la_code=settings.CME_LA_CODE).only(
            "pk", "name"
        )

    def answer(self) -> IncomingAnswer:
        data = self.cleaned_data
        return IncomingAnswer(
            outcome=data["outcome"],
            details=data.get("details", ""),
            on_roll_school=data.get("on_roll_school"),
            on_roll_from=data.get("on_roll_from"),
        )
