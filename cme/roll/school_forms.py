"""The forms on which a school's staff make the four returns of SI 2024/208 reg 13.

Each form asks for what the regulation asks and nothing the register can find out for itself;
the services in `cme.roll.services` check it (the same checks as the API's), so a page and an
MIS are refused for the same reasons, in the same words.
"""

from __future__ import annotations

from typing import Any

from django import forms

from cme.core.forms import GovukDateField, GovukForm, LongTextField, UKPostcodeField
from cme.people.models import Sex
from cme.rules import ground_for_reference, return_ground_references

from .models import AttendanceReason, SicknessBasis

YES_NO = [("yes", "Yes"), ("no", "No")]


def _optional(label: str, max_length: int = 200, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=False, **kwargs)


class PupilForm(GovukForm):
    """The pupil, as the admission register gives them (reg 8(2)(a), (c), (d), (g))."""

    forename = forms.CharField(
        label="First name", max_length=100, error_messages={"required": "Enter the first name"}
    )
    middle_names = _optional("Middle names")
    surname = forms.CharField(
        label="Last name", max_length=100, error_messages={"required": "Enter the last name"}
    )
    date_of_birth = GovukDateField(
        label="Date of birth",
        help_text="For example, 27 3 2014",
        error_messages={"required": "Enter the date of birth"},
    )
    sex = forms.ChoiceField(
        label="Sex", choices=Sex.choices, initial=Sex.UNKNOWN, widget=forms.RadioSelect
    )
    upn = _optional(
        "Unique pupil number (UPN)",
        max_length=20,
        help_text="13 characters, starting with a letter, for example A123456789012",
    )
    address_line_1 = _optional("Address")
    town = _optional("Town or city", max_length=100)
    postcode = UKPostcodeField(label="Postcode", required=False)

    pupil_fields = (
        "forename",
        "middle_names",
        "surname",
        "date_of_birth",
        "sex",
        "upn",
        "address_line_1",
        "town",
        "postcode",
    )

    def pupil(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.pupil_fields}


class ParentFields(GovukForm):
    """One parent (reg 8(2)(e)-(f), 13(4)(c)-(d)). What the school could not obtain is left
    empty and marked missing, as guidance asks schools to say what they could not get."""

    parent_name = _optional("Parent's full name")
    parent_address = _optional("Parent's address", help_text="Leave empty if the same as above")
    parent_postcode = UKPostcodeField(label="Parent's postcode", required=False)
    parent_telephone = _optional("Parent's emergency telephone number", max_length=40)
    parent_lives_with = forms.ChoiceField(
        label="Does the pupil normally live with this parent?",
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
    )

    def parents(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        if not any(data.get(f) for f in ("parent_name", "parent_telephone")):
            return []
        return [
            {
                "name": data.get("parent_name", ""),
                "address_line_1": data.get("parent_address") or data.get("address_line_1", ""),
                "postcode": data.get("parent_postcode") or data.get("postcode", ""),
                "telephone": data.get("parent_telephone", ""),
                "lives_with": data.get("parent_lives_with") == "yes",
            }
        ]


class NewPupilReturnForm(PupilForm, ParentFields):
    """Reg 13(1): within five days of the pupil's name going on the admission register."""

    admitted_on = GovukDateField(
        label="Starting day at the school",
        help_text="For example, 2 9 2025",
        error_messages={"required": "Enter the pupil's starting day"},
    )
    name_used = _optional("Name the pupil uses at school, if different")
    last_school = _optional("Name and address of the last school attended, if any", 300)
    boarder = forms.ChoiceField(
        label="Is the pupil a boarder?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the pupil is a boarder"},
    )

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "pupil": self.pupil(),
            "admitted_on": data["admitted_on"],
            "parents": self.parents(),
            "name_used": data.get("name_used", ""),
            "last_school": data.get("last_school", ""),
            "boarder": data.get("boarder") == "yes",
        }


def _ground_choices() -> list[tuple[str, str]]:
    return [("", "Choose the ground")] + [
        (ref, f"{ref}: {ground_for_reference(ref).title}") for ref in return_ground_references()
    ]


# What a school can say about the ground (the rules engine's DeletionFacts it may speak to),
# in the school's words. The council's part in enquiries and CME1 is the register's to say.
FACTS = [
    ("registered_at_another_school", "The pupil has been registered at another school"),
    ("whereabouts_known", "We know where the pupil is now"),
    ("moved_within_city", "The family has moved within the city"),
    ("ceased_to_attend", "The pupil has stopped attending"),
    ("expected_to_attend_again", "We think the pupil may come back"),
    (
        "parent_written_notice_home_education",
        "A parent told us in writing the pupil will be educated at home",
    ),
    ("lives_beyond_reasonable_distance", "The pupil no longer lives a reasonable distance away"),
    ("sickness_or_unavoidable_cause_believed", "We believe sickness or an unavoidable cause"),
    ("boarder", "The pupil is a boarder"),
    ("permanently_excluded", "The pupil has been permanently excluded"),
    ("died", "The pupil has died"),
]


class DeletionReturnForm(PupilForm, ParentFields):
    """Reg 13(4)(a)-(g); the answer says whether the deletion is lawful."""

    ground = forms.ChoiceField(
        label="Ground for the deletion (SI 2024/208 reg 9)",
        choices=_ground_choices,
        error_messages={"required": "Choose the ground for the deletion"},
    )
    deleted_on = GovukDateField(
        label="Date of deletion",
        help_text="For example, 13 3 2026",
        error_messages={"required": "Enter the date of deletion"},
    )
    admitted_on = GovukDateField(label="Date of admission (if known)", required=False)
    future_school_name = _optional("The pupil's new school (if known)")
    future_school_laestab = _optional(
        "The new school's LAESTAB (if known)", max_length=7, help_text="7 digits, like 3412345"
    )
    future_school_starts_on = GovukDateField(
        label="When the pupil starts at the new school (if known)", required=False
    )
    future_address_line_1 = _optional("The pupil's future address (if known)")
    future_address_postcode = UKPostcodeField(label="Future postcode", required=False)
    facts = forms.MultipleChoiceField(
        label="What applies?", choices=FACTS, required=False, widget=forms.CheckboxSelectMultiple
    )
    first_day_absent = GovukDateField(
        label="First day of the absence (if the pupil stopped attending)", required=False
    )
    absence_codes = _optional(
        "Attendance codes of every session of the absence (if the pupil stopped attending)",
        max_length=400,
        help_text="As your attendance register holds them, for example GGNNOO",
    )
    traveller_left_on = GovukDateField(
        label="The day a traveller family left (if a traveller)", required=False
    )
    traveller_return_date = GovukDateField(
        label="The traveller family's return date (if they gave one)", required=False
    )
    safeguarding_context = LongTextField(
        label="Anything the council should know (optional)", required=False, rows=3
    )

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        facts: dict[str, Any] = {name: True for name in data.get("facts") or []}
        for name in ("first_day_absent", "traveller_left_on", "traveller_return_date"):
            if data.get(name):
                facts[name] = data[name]
        codes = "".join((data.get("absence_codes") or "").split()).upper()
        if codes:
            facts["absence_codes"] = list(codes)
        return {
            "pupil": self.pupil(),
            "parents": self.parents(),
            "ground": data["ground"],
            "deleted_on": data["deleted_on"],
            "admitted_on": data.get("admitted_on"),
            "future_school": {
                "name": data.get("future_school_name", ""),
                "laestab": data.get("future_school_laestab", ""),
                "starts_on": data.get("future_school_starts_on"),
            },
            "future_address": {
                "address_line_1": data.get("future_address_line_1", ""),
                "postcode": data.get("future_address_postcode", ""),
            },
            "facts": facts,
            "safeguarding_context": data.get("safeguarding_context", ""),
        }


class AttendanceReturnForm(GovukForm):
    """Reg 13(7)-(8): one pupil a return on this page (a CSV upload lists many), or a nil
    return saying no pupil qualified in the period."""

    period_from = GovukDateField(
        label="First day the return covers",
        error_messages={"required": "Enter the first day the return covers"},
    )
    period_to = GovukDateField(
        label="Last day the return covers",
        error_messages={"required": "Enter the last day the return covers"},
    )
    nil = forms.MultipleChoiceField(
        label="Nil return",
        choices=[("nil", "No pupil qualified in this period")],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    forename = _optional("Pupil's first name", 100)
    surname = _optional("Pupil's last name", 100)
    date_of_birth = GovukDateField(label="Pupil's date of birth", required=False)
    upn = _optional("Unique pupil number (UPN)", max_length=20)
    address_line_1 = _optional("Pupil's address")
    postcode = UKPostcodeField(label="Postcode", required=False)
    reason = forms.ChoiceField(
        label="Why the pupil is on the return",
        choices=AttendanceReason.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    first_day_absent = GovukDateField(label="First day of the absence", required=False)
    school_days_absent = forms.IntegerField(
        label="School days absent so far", required=False, min_value=0, max_value=400
    )
    codes = _optional(
        "Attendance codes of the absence", 40, help_text="For example, GGNNOO (G, N, O or U)"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("nil"):
            return data
        if not (data.get("forename") or data.get("surname")):
            self.add_error(
                "surname", "Enter the pupil's name, or tick 'No pupil qualified' for a nil return"
            )
        if not data.get("reason"):
            self.add_error("reason", "Choose why the pupil is on the return")
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        pupils = []
        if not data.get("nil"):
            pupils.append(
                {
                    "pupil": {
                        k: data.get(k)
                        for k in (
                            "forename",
                            "surname",
                            "date_of_birth",
                            "upn",
                            "address_line_1",
                            "postcode",
                        )
                    },
                    "reason": data.get("reason"),
                    "first_day_absent": data.get("first_day_absent"),
                    "school_days_absent": data.get("school_days_absent"),
                    "codes": data.get("codes", ""),
                }
            )
        return {
            "period_from": data["period_from"],
            "period_to": data["period_to"],
            "pupils": pupils,
        }


class SicknessReturnForm(PupilForm):
    """Reg 13(9)-(10): as soon as possible once the school believes 15 days will be missed."""

    absent_from = GovukDateField(
        label="First day of absence through sickness",
        error_messages={"required": "Enter the first day of absence"},
    )
    basis = forms.ChoiceField(
        label="Why you are making the return",
        choices=SicknessBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why you are making the return"},
    )
    expected_back_on = GovukDateField(label="When the pupil is expected back", required=False)

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "pupil": self.pupil(),
            "absent_from": data["absent_from"],
            "basis": data["basis"],
            "expected_back_on": data.get("expected_back_on"),
        }


class TravellerAbsenceForm(PupilForm):
    """A traveller pupil away with their family: kept on roll (policy FAQ 7)."""

    left_on = GovukDateField(
        label="The day the family left to travel",
        help_text="For example, 2 2 2026",
        error_messages={"required": "Enter the day the family left"},
    )
    return_date = GovukDateField(
        label="The return date the parents gave (leave empty if they gave none)",
        required=False,
        help_text="With no return date, the CME1 checklist starts after four weeks away",
    )

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "pupil": self.pupil(),
            "left_on": data["left_on"],
            "return_date": data.get("return_date"),
        }


class ReturnsUploadForm(GovukForm):
    """A CSV of returns, checked whole: one problem refuses the file and nothing is kept."""

    kind = forms.ChoiceField(
        label="Which returns are in the file?",
        choices=[
            ("new_pupil", "New pupil returns"),
            ("deletion", "Deletion returns"),
            ("attendance", "Attendance returns"),
            ("sickness", "Sickness returns"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which returns are in the file"},
    )
    file = forms.FileField(
        label="The CSV file", error_messages={"required": "Choose the CSV file to upload"}
    )


class EndWatchForm(GovukForm):
    reason = LongTextField(
        label="Why is the pupil no longer watched?",
        rows=2,
        max_length=2000,
        help_text="For example, back at school every day since 9 March; on roll at another school",
        error_messages={"required": "Say why the pupil is no longer watched"},
    )


class MatchDecisionForm(GovukForm):
    action = forms.ChoiceField(
        choices=[("confirm", "Confirm"), ("reject", "Reject")], widget=forms.HiddenInput
    )
    reason = LongTextField(
        label="Reason",
        required=False,
        max_length=2000,
        rows=2,
        help_text=(
            "Needed to reject, and to close a case whose action plan still has open actions"
        ),
    )


class ReinstatedForm(GovukForm):
    """The school confirms it has done what a reinstatement direction asks."""

    reinstated_on = GovukDateField(
        label="Date the pupil was put back on your admission register",
        help_text="For example, 16 3 2026",
        error_messages={"required": "Enter the date the pupil was put back on your roll"},
    )
    note = LongTextField(
        label="Anything the council should know (optional)",
        rows=2,
        max_length=2000,
        required=False,
        help_text="For example, the pupil is attending again; the family has been visited",
    )
