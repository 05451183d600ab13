"""CME4s between councils the other way round: another council's staff send this council a
CME4 and read its answer (the "sent" pages); the CME team checks the sources and answers
(the "incoming" pages). Who reads what is decided in cme.accounts.record_access."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cme.accounts.models import Role
from cme.core.errors import NotAllowed
from cme.core.forms import add_service_errors
from cme.core.http import AuthedRequest

from . import services
from .forms import IncomingAnswerForm, IncomingForm
from .models import IncomingEnquiry
from .selectors import incoming_get, incoming_page, sent_by_organisation


def _other_council(request: AuthedRequest) -> None:
    if request.user.role != Role.OTHER_LA or request.user.organisation_id is None:
        raise NotAllowed


@login_required
def sent_list(request: AuthedRequest) -> HttpResponse:
    _other_council(request)
    return render(request, "enquiries/sent.html", {"sent": sent_by_organisation(user=request.user)})


@login_required
def sent_new(request: AuthedRequest) -> HttpResponse:
    _other_council(request)
    form = IncomingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            incoming = services.incoming_receive(
                by=request.user,
                child=form.child(),
                their_reference=form.cleaned_data.get("their_reference", ""),
                contact=form.cleaned_data.get("contact", ""),
                due_on=form.cleaned_data.get("due_on"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"CME4 {incoming.reference} sent. The CME team will check and answer it by "
                f"{incoming.due_on:%-d %B %Y}",
            )
            return redirect("enquiries:sent-detail", incoming.pk)
    return render(
        request, "enquiries/sent_new.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def sent_detail(request: AuthedRequest, incoming_id: int) -> HttpResponse:
    incoming = incoming_get(user=request.user, incoming_id=incoming_id, as_sender=True)
    return render(request, "enquiries/sent_detail.html", {"incoming": incoming})


@login_required
def incoming_list(request: AuthedRequest) -> HttpResponse:
    waiting, answered = incoming_page(user=request.user)
    return render(request, "enquiries/incoming.html", {"waiting": waiting, "answered": answered})


def _suggested(incoming: IncomingEnquiry) -> dict[str, object]:
    """The answer the check points to: the best likely match on a school roll (EMS), else a
    likely match on the register (known to our CME team)."""
    for result in incoming.check_results:
        for found in result["found"]:
            details = found.get("details", {})
            if result["source"] == "ems" and details.get("on_roll") and found["band"] == "likely":
                return {"outcome": "on_roll", "urn": details.get("urn"), "found": found}
    for result in incoming.check_results:
        if result["source"] == "register":
            for found in result["found"]:
                if found["band"] == "likely":
                    return {"outcome": "known_to_cme", "found": found}
    return {}


@login_required
def incoming_detail(request: AuthedRequest, incoming_id: int) -> HttpResponse:
    incoming = incoming_get(user=request.user, incoming_id=incoming_id)
    suggested = _suggested(incoming) if incoming.checked_at else {}
    initial: dict[str, object] = {"version": incoming.version}
    if suggested.get("outcome"):
        initial["outcome"] = suggested["outcome"]
    form = IncomingAnswerForm(request.POST if request.method == "POST" else None, initial=initial)
    if suggested.get("urn"):
        school = form.fields["on_roll_school"].queryset.filter(urn=suggested["urn"]).first()  # type: ignore[attr-defined]
        if school is not None and request.method != "POST":
            form.initial["on_roll_school"] = school.pk
    if request.method == "POST" and form.is_valid():
        try:
            services.incoming_answer(
                incoming=incoming,
                answer=form.answer(),
                by=request.user,
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"Answer to {incoming.reference} sent to {incoming.from_name}"
            )
            return redirect("enquiries:incoming")
    return render(
        request,
        "enquiries/incoming_detail.html",
        {"incoming": incoming, "form": form, "suggested": suggested},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def incoming_check(request: AuthedRequest, incoming_id: int) -> HttpResponse:
    incoming = incoming_get(user=request.user, incoming_id=incoming_id)
    try:
        services.incoming_check(incoming=incoming, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Checked every source. The results are below.")
    return redirect("enquiries:incoming-detail", incoming.pk)
