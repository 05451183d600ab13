"""Register and case pages. Each view parses input, calls one selector or service, renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cme.accounts.permissions import Action, can, sees_full_record
from cme.core.errors import NotAllowed
from cme.core.http import AuthedRequest
from cme.core.forms import add_service_errors

from . import services
from .forms import AssignForm, CloseForm, NoteForm, RegisterFilterForm, ReopenForm, TransitionForm
from .selectors import RegisterFilters, case_get, register_page


@login_required
def register(request: AuthedRequest) -> HttpResponse:
    form = RegisterFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = RegisterFilters(
        status=data.get("status") or "open",
        school_id=data["school"].pk if data.get("school") else None,
        key_worker_id=data["key_worker"].pk if data.get("key_worker") else None,
        risk_factor=data["risk"].code if data.get("risk") else "",
        min_age=data.get("min_age"),
        max_age=data.get("max_age"),
        query=data.get("q") or "",
    )
    page = register_page(
        user=request.user,
        filters=filters,
        page_number=request.GET.get("page", 1),
        today=timezone.localdate(),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/register.html",
        {"form": form, "page": page, "query": query.urlencode(), "today": timezone.localdate()},
    )


def _case_context(request: AuthedRequest, case_id: int, **forms: Any) -> dict[str, Any]:
    case = case_get(user=request.user, case_id=case_id)
    user = request.user
    return {
        "case": case,
        "child": case.child,
        "full_record": sees_full_record(user, case),
        "can_triage": can(user, Action.TRIAGE) and case.is_open,
        "can_close": can(user, Action.CLOSE_CASE) and case.is_open,
        "can_reopen": can(user, Action.REOPEN_CASE) and not case.is_open,
        "can_note": can(user, Action.ADD_NOTE) and case.is_open,
        "can_audit": can(user, Action.VIEW_AUDIT),
        "next_statuses": services.next_statuses(case),
        **forms,
    }


@login_required
def detail(request: AuthedRequest, case_id: int) -> HttpResponse:
    context = _case_context(request, case_id, note_form=NoteForm())
    return render(request, "cases/detail.html", context)


# The heading and button of each action page, in plain words.
ACTION_TEXT = {
    "cases/close.html": ("Close the case", "Close the case"),
    "cases/reopen.html": ("Reopen the case", "Reopen the case"),
    "cases/transition.html": ("Move the case on", "Save"),
    "cases/assign.html": ("Name the workers for this case", "Save"),
}


def _post_form(request, case_id, form_class, action, template, success, **form_kwargs):  # type: ignore[no-untyped-def]
    """The shared shape of every case action: validate, call the service, or re-show with errors."""
    context = _case_context(request, case_id)
    case = context["case"]
    form = form_class(request.POST or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            action(case, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("cases:detail", case_id=case.pk)
    if request.method != "POST":
        form = form_class(initial={"version": case.version}, **form_kwargs)
    context["form"] = form
    context["heading"], context["button"] = ACTION_TEXT[template]
    return render(request, template, context, status=400 if form.errors else 200)


@login_required
def close(request: AuthedRequest, case_id: int) -> HttpResponse:
    if not can(request.user, Action.CLOSE_CASE):
        raise NotAllowed

    def act(case, data):  # type: ignore[no-untyped-def]
        services.case_close(
            case=case,
            outcome=data["outcome"],
            note=data["note"],
            by=request.user,
            closed_on=data.get("closed_on"),
            expected_version=data["version"],
        )

    return _post_form(request, case_id, CloseForm, act, "cases/close.html", "Case closed")


@login_required
def reopen(request: AuthedRequest, case_id: int) -> HttpResponse:
    if not can(request.user, Action.REOPEN_CASE):
        raise NotAllowed

    def act(case, data):  # type: ignore[no-untyped-def]
        services.case_reopen(
            case=case, reason=data["reason"], by=request.user, expected_version=data["version"]
        )

    return _post_form(request, case_id, ReopenForm, act, "cases/reopen.html", "Case reopened")


@login_required
def transition(request: AuthedRequest, case_id: int) -> HttpResponse:
    if not can(request.user, Action.TRIAGE):
        raise NotAllowed
    allowed = services.next_statuses(case_get(user=request.user, case_id=case_id))

    def act(case, data):  # type: ignore[no-untyped-def]
        services.case_transition(
            case=case,
            to=data["to"],
            note=data["note"],
            by=request.user,
            expected_version=data["version"],
        )

    return _post_form(
        request,
        case_id,
        TransitionForm,
        act,
        "cases/transition.html",
        "Case status changed",
        allowed=allowed,
    )


@login_required
def assign(request: AuthedRequest, case_id: int) -> HttpResponse:
    if not can(request.user, Action.TRIAGE):
        raise NotAllowed

    def act(case, data):  # type: ignore[no-untyped-def]
        services.case_assign(
            case=case,
            by=request.user,
            key_worker=data.get("key_worker"),
            paews_officer=data.get("paews_officer"),
            expected_version=data["version"],
        )

    return _post_form(request, case_id, AssignForm, act, "cases/assign.html", "Workers updated")


@login_required
@require_POST
def add_note(request: AuthedRequest, case_id: int) -> HttpResponse:
    context = _case_context(request, case_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.case_add_note(
                case=context["case"], by=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Update added")
            return redirect("cases:detail", case_id=case_id)
    context["note_form"] = form
    return render(request, "cases/detail.html", context, status=400)
