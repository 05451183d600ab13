"""Transfer duty pages: the CME team's overview by school, a school's own duties, one duty."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cme.cases.selectors import case_get
from cme.core.errors import NotAllowed
from cme.core.forms import add_service_errors
from cme.core.http import AuthedRequest, post_only
from cme.people.ctf_store import ctf_read
from cme.people.selectors import child_get
from cme.schools.models import Establishment

from . import services
from .export import child_ctf_export
from .forms import ExportForm, LeftRollForm, MarkSentForm, ReasonForm, UploadForm
from .selectors import (
    is_cme_team,
    may_act_for_school,
    transfer_get,
    transfers_by_school,
    transfers_closed,
)


def _attachment(name: str, data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def overview(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    groups = transfers_by_school(user=request.user, today=today)
    return render(
        request,
        "transfers/overview.html",
        {
            "groups": groups,
            "closed": transfers_closed(user=request.user),
            "team": is_cme_team(request.user),
            "today": today,
            "overdue_count": sum(len(g.overdue) for g in groups),
        },
    )


def _detail(
    request: AuthedRequest, transfer_id: int, *, status: int = 200, **extra: Any
) -> HttpResponse:
    transfer = transfer_get(user=request.user, transfer_id=transfer_id)
    context = {
        "transfer": transfer,
        "team": is_cme_team(request.user),
        "school": may_act_for_school(request.user, transfer.from_school_id),
        "overdue": transfer.is_overdue(timezone.localdate()),
        "sent_form": MarkSentForm(),
        "upload_form": UploadForm(),
        "reason_form": ReasonForm(),
        **extra,
    }
    return render(request, "transfers/detail.html", context, status=status)


@login_required
def detail(request: AuthedRequest, transfer_id: int) -> HttpResponse:
    return _detail(request, transfer_id)


@login_required
@post_only("transfers:detail", "transfer_id")
def mark_sent(request: AuthedRequest, transfer_id: int) -> HttpResponse:
    transfer = transfer_get(user=request.user, transfer_id=transfer_id)
    form = MarkSentForm(request.POST)
    if form.is_valid():
        try:
            services.transfer_mark_sent(
                transfer=transfer, sent_on=form.cleaned_data["sent_on"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Recorded as sent")
            return redirect("transfers:detail", transfer_id=transfer_id)
    return _detail(request, transfer_id, status=400, sent_form=form)


@login_required
@post_only("transfers:detail", "transfer_id")
def upload(request: AuthedRequest, transfer_id: int) -> HttpResponse:
    transfer = transfer_get(user=request.user, transfer_id=transfer_id)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.transfer_upload_file(
                transfer=transfer, data=upload.read(), name=upload.name or "", by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "File uploaded and recorded as sent")
            return redirect("transfers:detail", transfer_id=transfer_id)
    return _detail(request, transfer_id, status=400, upload_form=form)


def _with_reason(request: AuthedRequest, transfer_id: int, act: Any, done: str) -> HttpResponse:
    transfer = transfer_get(user=request.user, transfer_id=transfer_id)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        act(transfer=transfer, by=request.user, reason=form.cleaned_data.get("reason", ""))
    except ValidationError as error:
        add_service_errors(form, error)
        return _detail(request, transfer_id, status=400, reason_form=form)
    messages.success(request, done)
    return redirect("transfers:detail", transfer_id=transfer_id)


@login_required
@post_only("transfers:detail", "transfer_id")
def confirm(request: AuthedRequest, transfer_id: int) -> HttpResponse:
    transfer = transfer_get(user=request.user, transfer_id=transfer_id)
    try:
        services.transfer_confirm(transfer=transfer, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Confirmed: the transfer duty is closed")
    return redirect("transfers:detail", transfer_id=transfer_id)


@login_required
@post_only("transfers:detail", "transfer_id")
def send_back(request: AuthedRequest, transfer_id: int) -> HttpResponse:
    return _with_reason(request, transfer_id, services.transfer_return, "Sent back to the school")


@login_required
@post_only("transfers:detail", "transfer_id")
def cancel(request: AuthedRequest, transfer_id: int) -> HttpResponse:
    return _with_reason(request, transfer_id, services.transfer_cancel, "Transfer duty cancelled")


@login_required
def file_download(request: AuthedRequest, transfer_id: int) -> HttpResponse:
    """The uploaded file, for the CME team only; every download is audited."""
    transfer = transfer_get(user=request.user, transfer_id=transfer_id)
    if not is_cme_team(request.user):
        raise NotAllowed
    if transfer.file is None:
        messages.error(request, "No file was uploaded for this transfer")
        return redirect("transfers:detail", transfer_id=transfer_id)
    data = ctf_read(user=request.user, stored=transfer.file, purpose="download")
    return _attachment(transfer.file.name, data)


@login_required
def left_roll(request: AuthedRequest, case_id: int) -> HttpResponse:
    """The officer records that the case's child left a roll: a transfer duty opens."""
    if not is_cme_team(request.user):
        raise NotAllowed
    case = case_get(user=request.user, case_id=case_id)
    initial = {"from_school_laestab": case.school.laestab if case.school else ""}
    form = LeftRollForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        code = "".join(data["from_school_laestab"].split())
        school = Establishment.objects.filter(laestab=code).first()
        if school is None:
            form.add_error(
                "from_school_laestab", f"LAESTAB {code} is not a school in the establishments list"
            )
        else:
            try:
                transfer = services.transfer_open(
                    child=case.child,
                    case=case,
                    from_school=school,
                    left_on=data["left_on"],
                    destination_kind=data["destination_kind"],
                    destination_laestab=data["destination_laestab"],
                    requested_on=data["requested_on"],
                    by=request.user,
                    note=data["note"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, f"Transfer duty recorded: due {transfer.due_on:%-d %B %Y}"
                )
                return redirect("transfers:detail", transfer_id=transfer.pk)
    return render(
        request,
        "transfers/left_roll.html",
        {"form": form, "case": case},
        status=400 if form.errors else 200,
    )


@login_required
def child_export(request: AuthedRequest, child_id: int) -> HttpResponse:
    """Download a one-pupil CTF for the child (CME team only; audited)."""
    if not is_cme_team(request.user):
        raise NotAllowed
    child = child_get(user=request.user, child_id=child_id)
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            exported = child_ctf_export(user=request.user, child=child, to=form.cleaned_data["to"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _attachment(exported.name, exported.data)
    return render(
        request,
        "transfers/export.html",
        {"form": form, "child": child},
        status=400 if form.errors else 200,
    )
