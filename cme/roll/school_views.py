"""The pages on which a school's staff make the four returns of SI 2024/208 reg 13 and see
what their school has sent, and the CSV upload of many returns at once.

Each page calls the same service as the API (channel `web` or `csv`), so a page is refused
for the same reasons as an MIS; the service's refusal is shown against the field it names,
with what was typed kept.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from cme.checks.imports.common import ImportRejected
from cme.core.errors import NotAllowed
from cme.core.http import AuthedRequest

from . import school_forms as sf
from .models import Channel
from .selectors import own_school, school_returns_page, upload_schools
from .services import (
    attendance_return_record,
    deletion_return_record,
    new_pupil_return_record,
    sickness_return_record,
)
from .uploads import COLUMNS, REQUIRED, returns_upload
from .watch import traveller_absence_record

RETURNS: dict[str, tuple[type[Any], Any, str]] = {
    "new-pupil": (sf.NewPupilReturnForm, new_pupil_return_record, "Make a new pupil return"),
    "deletion": (sf.DeletionReturnForm, deletion_return_record, "Make a deletion return"),
    "attendance": (
        sf.AttendanceReturnForm,
        attendance_return_record,
        "Make an attendance return",
    ),
    "sickness": (sf.SicknessReturnForm, sickness_return_record, "Make a sickness return"),
    "traveller": (
        sf.TravellerAbsenceForm,
        traveller_absence_record,
        "Record a traveller pupil's absence",
    ),
}


def _field(form: Any, dotted: str) -> str | None:
    """The form field a service's dotted name (`pupil.upn`, `pupils.0.codes`, `facts.x`)
    was typed in, or None for the top of the form."""
    last = dotted.rsplit(".", 1)[-1]
    if dotted.startswith("parents."):
        last = {"address_line_1": "parent_address"}.get(last, f"parent_{last}")
    return last if last in form.fields else None


def _service_errors(form: Any, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for dotted, errors in error.message_dict.items():
        form.add_error(_field(form, dotted), errors)


@login_required
def school_returns(request: AuthedRequest) -> HttpResponse:
    school = own_school(request.user)
    shown = school_returns_page(user=request.user)
    return render(
        request,
        "roll/school/returns.html",
        {
            "school": school,
            "new_pupils": shown["new_pupil"],
            "deletions": shown["deletion"],
            "attendance": shown["attendance_return"],
            "sickness": shown["sickness"],
            "notices": shown["notices"],
        },
    )


@login_required
def school_return_new(request: AuthedRequest, kind: str) -> HttpResponse:
    school = own_school(request.user)
    if school is None:
        raise NotAllowed
    form_class, record, title = RETURNS[kind]
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = record(
                school=school, by=request.user, channel=Channel.WEB, **form.service_arguments()
            )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, _sent_message(kind, made))
            return redirect("school-returns:list")
    return render(
        request,
        "roll/school/return_form.html",
        {"form": form, "title": title, "kind": kind, "school": school},
        status=400 if form.errors else 200,
    )


def _sent_message(kind: str, made: Any) -> str:
    if kind == "deletion":
        if made.lawful:
            return "Deletion return sent: the council has assessed the deletion as lawful"
        return (
            "Deletion return sent: the council has assessed the deletion as unlawful. The "
            "pupil must stay on your roll; the reasons are below"
        )
    return {
        "new-pupil": "New pupil return sent",
        "attendance": "Attendance return sent",
        "sickness": "Sickness return sent",
        "traveller": (
            "Traveller's absence recorded: keep the pupil on your roll. With no return date, "
            "the CME1 checklist starts after four weeks away"
        ),
    }[kind]


@login_required
def returns_upload_page(request: AuthedRequest) -> HttpResponse:
    schools = upload_schools(request.user)
    if not schools:
        raise NotAllowed
    form = sf.ReturnsUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = returns_upload(
                file=upload, kind=form.cleaned_data["kind"], by=request.user, name=upload.name
            )
        except ImportRejected as rejected:
            problems = [str(p) for p in rejected.problems]
            form.add_error(
                "file",
                f"The file was not loaded: {len(problems)} problem"
                f"{'s' if len(problems) != 1 else ''} to put right (listed below). "
                "Nothing in it was kept",
            )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, f"File loaded. {result.summary()}")
            return redirect("school-returns:upload")
    return render(
        request,
        "roll/school/upload.html",
        {
            "form": form,
            "problems": problems,
            "schools": schools,
            "columns": [(k, COLUMNS[k], REQUIRED[k]) for k in COLUMNS],
        },
        status=400 if form.errors else 200,
    )
