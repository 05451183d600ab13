"""The public online referral's questions, one thing per page, in plain words.

Each form turns its answers into JSON-safe values for the session (``answers``) and back
(``initial_from``), so that Back and Change links show what was given.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.utils import timezone

from cme.core.forms import GovukDateField, GovukForm, LongTextField, UKPostcodeField
from cme.rules import RulesError
from cme.rules.age import school_age_on, years_old_school_age

from .description import describe_child
from .models import Reason

PHONE = re.compile(r"^\+?[0-9 ()\-]{10,20}$")
# "11", "about 11", "11 years old", "10 or 11", "around 10-11 yrs": the years a person gave.
_AGE = re.compile(
    r"^(?:about|around|roughly|approx(?:imately|\.)?|maybe|nearly|almost|over|under|c\.?)?\s*"
    r"(\d{1,2})(?:\s*(?:-|to|or|/)\s*(\d{1,2}))?"
    r"\s*(?:years?(?:\s*old)?|yrs?(?:\s*old)?|y/?o)?\.?$",
    re.IGNORECASE,
)


def approximate_years(typed: str) -> tuple[int, ...]:
    """The ages in years a guess at a child's age names ("about 11" -> (11,); "10 or 11" ->
    (10, 11)); () when it names none we can read ("a teenager")."""
    found = _AGE.match(" ".join((typed or "").split()))
    if not found:
        return ()
    return tuple(int(n) for n in found.groups() if n is not None)


def approximate_age_words(typed: str) -> str:
    """A guess at the child's age as the check page and the officer read it: "About 11 years
    old" however it was typed ("about 11", "11", "11 yrs"); a guess in other words as given."""
    years = approximate_years(typed)
    if len(years) == 1:
        return f"About {years[0]} year{'' if years[0] == 1 else 's'} old"
    if len(years) == 2:
        return f"About {years[0]} to {years[1]} years old"
    typed = " ".join((typed or "").split())
    return typed[:1].upper() + typed[1:]


NOT_FOR_ME = {"autocomplete": "off"}  # the child's details: never fill in the user's own


class PublicForm(GovukForm):
    """A question page's form: what it keeps in the session, and what it shows back."""

    date_fields: ClassVar[tuple[str, ...]] = ()

    def answers(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in self.date_fields:
            value = data.get(name)
            data[name] = value.isoformat() if isinstance(value, date) else ""
        return data

    @classmethod
    def initial_from(cls, answers: dict[str, Any]) -> dict[str, Any]:
        initial = dict(answers)
        for name in cls.date_fields:
            value = initial.get(name)
            initial[name] = date.fromisoformat(value) if value else None
        return initial


class ChildNameForm(PublicForm):
    first_name = forms.CharField(
        label="First name",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={**NOT_FOR_ME, "spellcheck": "false"}),
        error_messages={"max_length": "First name must be 100 characters or fewer"},
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={**NOT_FOR_ME, "spellcheck": "false"}),
        error_messages={"max_length": "Last name must be 100 characters or fewer"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not (data.get("first_name") or data.get("last_name")):
            self.add_error("first_name", "Enter the child's first name or last name")
        return data


class DateOfBirthForm(PublicForm):
    date_fields = ("date_of_birth",)

    known = forms.ChoiceField(
        label="Do you know the child's date of birth?",
        choices=[("yes", "Yes"), ("no", "No, I do not know it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if you know the child's date of birth"},
    )
    date_of_birth = GovukDateField(
        label="Date of birth", help_text="For example, 27 3 2014", required=False
    )
    approximate_age = forms.CharField(
        label="How old do you think they are? (optional)",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={**NOT_FOR_ME, "inputmode": "numeric"}),
        error_messages={"max_length": "Age must be 20 characters or fewer"},
    )

    # The answer the person was asked about and chose to keep (see age_question): a hidden
    # copy of it, so that the same answer sent again goes through.
    age_checked = forms.CharField(required=False, widget=forms.HiddenInput, max_length=100)

    def answers(self) -> dict[str, Any]:
        data = super().answers()
        data.pop("age_checked", None)
        return data

    def _answer(self) -> str:
        data = self.cleaned_data
        born = data.get("date_of_birth")
        return (
            f"{data.get('known')}|{born.isoformat() if born else ''}|{data.get('approximate_age')}"
        )

    def _outside(self) -> str:
        """ "below" or "above" compulsory school age for the answer given (cme.rules), or ""."""
        data, today = self.cleaned_data, timezone.localdate()
        try:
            if data.get("known") == "yes" and data.get("date_of_birth"):
                where = school_age_on(data["date_of_birth"], on=today)
            else:
                verdicts = {
                    years_old_school_age(y, on=today)
                    for y in approximate_years(data.get("approximate_age") or "")
                }
                where = verdicts.pop() if len(verdicts) == 1 else "within"
        except RulesError:
            return ""
        return "" if where == "within" else where

    def age_question(self) -> dict[str, str] | None:
        """A gentle question, not a refusal, for an age outside compulsory school age that the
        person has not yet been asked about: what they said, and which side it falls."""
        outside = self._outside()
        if not outside or self.cleaned_data.get("age_checked") == self._answer():
            return None
        born = self.cleaned_data.get("date_of_birth")
        said = (
            f"was born on {born.day} {born:%B %Y}"
            if self.cleaned_data.get("known") == "yes" and born
            else f"is {approximate_age_words(self.cleaned_data['approximate_age']).lower()}"
        )
        return {"said": said, "outside": outside, "answer": self._answer()}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("known") == "yes":
            born = data.get("date_of_birth")
            if born is None and "date_of_birth" not in self.errors:
                self.add_error("date_of_birth", "Enter the child's date of birth")
            elif born is not None and born >= timezone.localdate():
                self.add_error("date_of_birth", "Date of birth must be in the past")
            data["approximate_age"] = ""
        elif data.get("known") == "no":
            # Whatever was in the date boxes is not an answer once "No" is chosen.
            self.errors.pop("date_of_birth", None)
            data["date_of_birth"] = None
        return data


class AddressForm(PublicForm):
    address_line_1 = forms.CharField(
        label="Address line 1", max_length=200, required=False, widget=forms.TextInput(NOT_FOR_ME)
    )
    address_line_2 = forms.CharField(
        label="Address line 2 (optional)",
        max_length=200,
        required=False,
        widget=forms.TextInput(NOT_FOR_ME),
    )
    town = forms.CharField(
        label="Town or city", max_length=100, required=False, widget=forms.TextInput(NOT_FOR_ME)
    )
    postcode = UKPostcodeField(label="Postcode", required=False, widget=forms.TextInput(NOT_FOR_ME))


class SchoolForm(PublicForm):
    school_name = forms.CharField(
        label="Which school did the child last go to?",
        help_text="If you know. For example, the school's name and the area it is in.",
        max_length=200,
        required=False,
        widget=forms.TextInput(NOT_FOR_ME),
        error_messages={"max_length": "School must be 200 characters or fewer"},
    )


def reason_choices() -> list[tuple[str, str]]:
    """Reason, in the words a neighbour or relative would use."""
    words = {
        Reason.NEVER_ENTERED: "They have never been to school",
        Reason.EXCLUSION: "They stopped going to school after being excluded",
        Reason.WITHDRAWAL: "Their family took them out of school and they have no new school",
        Reason.REMOVED_FROM_ROLL: "Their school took them off its list and they have no new school",
        Reason.FAILED_TRANSITION: "They did not start at their new school, for example secondary",
        Reason.NEW_TO_CITY: f"They moved to {settings.CME_LA_NAME} and have no school place",
        Reason.WHEREABOUTS_UNKNOWN: "They left their school and nobody knows where they went",
        Reason.OTHER: "Another reason, or I am not sure",
    }
    return [(str(reason.value), words[reason]) for reason in Reason]


class ReasonForm(PublicForm):
    reason = forms.ChoiceField(
        label="Why do you think the child is not in school?",
        choices=reason_choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why you think the child is not in school"},
    )


class MoreForm(PublicForm):
    details = LongTextField(
        label="Is there anything else you can tell us? (optional)",
        help_text=(
            "For example, when you last saw the child, who they live with, "
            "or why you are worried about them."
        ),
        max_length=5000,
        required=False,
        rows=6,
        error_messages={"max_length": "This must be 5,000 characters or fewer"},
    )


class YourDetailsForm(PublicForm):
    name = forms.CharField(
        label="Your name (optional)",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"max_length": "Your name must be 200 characters or fewer"},
    )
    relationship = forms.CharField(
        label="How do you know the child? (optional)",
        help_text="For example, neighbour, relative or family friend",
        max_length=200,
        required=False,
        error_messages={"max_length": "This must be 200 characters or fewer"},
    )
    phone = forms.CharField(
        label="Phone number (optional)",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        error_messages={"max_length": "Enter a phone number, like 0151 496 0000"},
    )
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )

    def clean_phone(self) -> str:
        phone = " ".join(self.cleaned_data["phone"].split())
        if phone and not PHONE.match(phone):
            raise forms.ValidationError("Enter a phone number, like 0151 496 0000")
        return phone


# The pages in order: (slug in the URL, form, the question as the page's heading).
STEPS: tuple[tuple[str, type[PublicForm], str], ...] = (
    ("child-name", ChildNameForm, "What is the child's name?"),
    ("date-of-birth", DateOfBirthForm, "Do you know the child's date of birth?"),
    ("address", AddressForm, "Where does the child live?"),
    ("school", SchoolForm, "Which school did the child last go to?"),
    ("reason", ReasonForm, "Why do you think the child is not in school?"),
    ("anything-else", MoreForm, "Is there anything else you can tell us?"),
    ("your-details", YourDetailsForm, "Your details"),
)


def described_from(answers: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The child as the member of the public described them, for keeping unchanged."""
    name = answers.get("child-name", {})
    born = answers.get("date-of-birth", {})
    dob = born.get("date_of_birth")
    return describe_child(
        {
            "forename": name.get("first_name", ""),
            "surname": name.get("last_name", ""),
            "date_of_birth": date.fromisoformat(dob) if dob else None,
            **answers.get("address", {}),
        },
        approximate_age=born.get("approximate_age", ""),
        school_name=answers.get("school", {}).get("school_name", ""),
    )


def referrer_from(answers: dict[str, dict[str, Any]]) -> dict[str, str]:
    you = answers.get("your-details", {})
    return {
        "name": you.get("name", ""),
        "role": you.get("relationship", ""),
        "phone": you.get("phone", ""),
        "email": you.get("email", ""),
    }


def _lines(*values: str) -> list[str]:
    return [value for value in values if value]


def _date_of_birth_lines(born: dict[str, Any]) -> list[str]:
    if born.get("date_of_birth"):
        born_on = date.fromisoformat(born["date_of_birth"])
        return [f"{born_on.day} {born_on:%B %Y}"]
    if born.get("approximate_age"):
        return ["Not known", approximate_age_words(born["approximate_age"])]
    return ["Not known"]


def check_rows(answers: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Check your answers: each row's key, value (lines), and the page that changes it."""
    described = described_from(answers)
    you = referrer_from(answers)
    reasons = dict(reason_choices())
    rows = [
        ("child-name", "Child's name", _lines(described["forename"], described["surname"])),
        ("date-of-birth", "Date of birth", _date_of_birth_lines(answers.get("date-of-birth", {}))),
        (
            "address",
            "Where they live",
            _lines(
                described["address_line_1"],
                described["address_line_2"],
                described["town"],
                described["postcode"],
            ),
        ),
        ("school", "School", _lines(described["school_name"])),
        ("reason", "Why they are not in school", _lines(reasons.get(_reason(answers), ""))),
        (
            "anything-else",
            "Anything else",
            _lines(answers.get("anything-else", {}).get("details", "")),
        ),
        (
            "your-details",
            "Your details",
            _lines(you["name"], you["role"], you["phone"], you["email"]),
        ),
    ]
    empty = {
        "child-name": "Not given",
        "anything-else": "Nothing more",
        "your-details": "Not given",
    }
    return [
        {
            "slug": slug,
            "key": key,
            "lines": lines or [empty.get(slug, "Not known")],
        }
        for slug, key, lines in rows
    ]


def _reason(answers: dict[str, dict[str, Any]]) -> str:
    return str(answers.get("reason", {}).get("reason", ""))
