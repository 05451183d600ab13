"""Forms for transfer duties: parse and check input; the services decide."""

from __future__ import annotations

from django import forms

from cme.core.forms import GovukDateField, GovukForm, LongTextField
from cme.ctf import MAX_BYTES

from .models import DestinationKind


class LeftRollForm(GovukForm):
    from_school_laestab = forms.CharField(
        label="The school the child left (LAESTAB)",
        help_text="7 digits: the LA code and the school's number, for example 3412001",
        max_length=20,
    )
    left_on = GovukDateField(label="The date the child came off the roll")
    destination_kind = forms.ChoiceField(
        label="Where did the child go?",
        choices=DestinationKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the child went"},
    )
    destination_laestab = forms.CharField(
        label="The new school's LAESTAB (a school in England or Wales only)",
        required=False,
        max_length=20,
    )
    requested_on = GovukDateField(
        label="The date the new school asked for the file (if it did)", required=False
    )
    note = LongTextField(label="Note (optional)", required=False)


class MarkSentForm(GovukForm):
    sent_on = GovukDateField(label="The date the file was sent")


class UploadForm(GovukForm):
    file = forms.FileField(label="The CTF file you sent (XML)")

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("The file is larger than 20 MB: upload one pupil's file")
        return upload


class ReasonForm(GovukForm):
    reason = LongTextField(label="Why", required=False)


class ExportForm(GovukForm):
    to = forms.CharField(
        label="Send the file to",
        help_text="The admitting school's 7-digit LAESTAB, XXXXXXX (destination unknown) or "
        "MMMMMMM (independent school, Scotland or abroad)",
        max_length=20,
    )
