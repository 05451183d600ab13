"""Register and case pages. Each view parses input, calls one selector or service, renders."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from cme.accounts.permissions import Action, Part, can
from cme.core.errors import NotAllowed
from cme.core.forms import add_service_errors
from cme.core.http import AuthedRequest, post_only
from cme.rules.age import school_age_concern

from . import services
from .closing import reason_needed
from .forms import (
    AssignForm,
    ClockStartsForm,
    CloseForm,
    FlagForm,
    NoteForm,
    RegisterFilterForm,
    ReopenForm,
    ResolveFlagForm,
    TransitionForm,
)
from .register_search import register_search_get, register_search_save
from .selectors import RegisterFilters, case_get, case_record_get, flag_get, register_view


@login_required
def register(request: AuthedRequest) -> HttpResponse:
    """The register, filtered by a search posted here and then held in the session."""
    if request.method == "POST":
        form = RegisterFilterForm(request.POST, user=request.user)
        if form.is_valid():
            search_id = register_search_save(
                session=request.session, data=request.POST, fields=form.fields
            )
            return redirect(f"{reverse('cases:register')}?search={search_id}")
        return _register_render(request, form, RegisterFilters(status="open"), search_id="")
    search_id = request.GET.get("search", "")
    typed = register_search_get(session=request.session, search_id=search_id)
    if typed is None:
        # No search, or one this session does not hold (signed out since, or a shared link).
        return _register_render(
            request, RegisterFilterForm(user=request.user), RegisterFilters(), search_id=""
        )
    form = RegisterFilterForm(typed, user=request.user)
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
    return _register_render(request, form, filters, search_id=search_id)


def _register_render(
    request: AuthedRequest, form: RegisterFilterForm, filters: RegisterFilters, *, search_id: str
) -> HttpResponse:
    page, rows = register_view(
        user=request.user,
        filters=filters,
        page_number=request.GET.get("page", 1),
        today=timezone.localdate(),
    )
    # Pagination links carry the search's id and the page number, nothing that was typed.
    query = urlencode({"search": search_id}) if search_id else ""
    return render(
        request,
        "cases/register.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query,
            "today": timezone.localdate(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _case_context(request: AuthedRequest, case_id: int, **forms: Any) -> dict[str, Any]:
    """The page gets the reader's record view, never the Case itself: what the view leaves
    out (cme.cases.record_view) the template cannot show. `case` stays in the context only
    for the CME team's own action pages (they see the whole record anyway)."""
    case, record = case_record_get(user=request.user, case_id=case_id)
    context: dict[str, Any] = {
        "record": record,
        "next_statuses": services.next_statuses(case) if record.can_triage else [],
        "age_concern": school_age_concern(case.child.date_of_birth, on=timezone.localdate())
        if record.identity
        else None,
        "_case": case,
        **forms,
    }
    return context


def _resolve_forms(record: Any, bound: ResolveFlagForm | None = None) -> dict[int, Any]:
    """One "resolve" form per open flag, each with its own ids; `bound` is the one refused."""
    flags = record.safeguarding.open_flags if record.safeguarding else []
    forms = {flag.pk: ResolveFlagForm(auto_id=f"flag-{flag.pk}-%s") for flag in flags}
    if bound is not None:
        forms[bound.flag_id] = bound
    return forms


@login_required
def detail(request: AuthedRequest, case_id: int) -> HttpResponse:
    context = _case_context(request, case_id, note_form=NoteForm())
    context.pop("_case")
    context["resolve_forms"] = _resolve_forms(context["record"])
    return render(request, "cases/detail.html", context)


# The heading and button of each action page, in plain words.
ACTION_TEXT = {
    "cases/close.html": ("Close the case", "Close the case"),
    "cases/reopen.html": ("Reopen the case", "Reopen the case"),
    "cases/transition.html": ("Move the case on", "Save"),
    "cases/assign.html": ("Name the workers for this case", "Save"),
    "cases/flag.html": ("Raise a flag", "Raise the flag"),
    "cases/clocks.html": ("Absence and leaving dates", "Save"),
}


# What each action page would do, for the page that says a closed case must be reopened first
# (a closed case offers only Reopen; its services refuse the rest in the same words).
CLOSED_REFUSAL = {
    "cases/close.html": "closing it",
    "cases/transition.html": "moving it on",
    "cases/assign.html": "naming its workers",
    "cases/flag.html": "raising a flag",
    "cases/clocks.html": "recording its absence and leaving dates",
}


def _post_form(request, case_id, form_class, action, template, success, **form_kwargs):
    """The shared shape of every case action: validate, call the service, or re-show with errors."""
    context = _case_context(request, case_id)
    case = context.pop("_case")
    context["case"], context["child"] = case, case.child
    if not case.is_open and template in CLOSED_REFUSAL:
        # Reloaded, bookmarked or sent from a page opened before the case closed: nothing to
        # fill in, so no form (it would offer no choices, then "select one").
        context["doing"] = CLOSED_REFUSAL[template]
        context["heading"] = ACTION_TEXT[template][0]
        context["can_reopen"] = can(request.user, Action.REOPEN_CASE)
        # What was written is shown back, so that it is not lost with the refusal.
        context["typed"] = [
            (field.label, request.POST.get(name, "").strip())
            for name, field in form_class(**form_kwargs).fields.items()
            if isinstance(field.widget, forms.Textarea) and request.POST.get(name, "").strip()
        ]
        return render(request, "cases/closed.html", context, status=409)
    if form_class is AssignForm:
        form_kwargs["current_key_worker"] = case.key_worker
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
        initial = {
            "version": case.version,
            "first_day_absent": case.first_day_absent,
            "left_roll_on": case.left_roll_on,
            "key_worker": case.key_worker_id,
            "paews_officer": case.paews_officer_id,
            "school": case.school.urn if case.school else None,
        }
        form = form_class(initial=initial, **form_kwargs)
    context["form"] = form
    context["heading"], context["button"] = ACTION_TEXT[template]
    return render(request, template, context, status=400 if form.errors else 200)


@login_required
def close(request: AuthedRequest, case_id: int) -> HttpResponse:
    if not can(request.user, Action.CLOSE_CASE):
        raise NotAllowed
    prompt = reason_needed(case_get(user=request.user, case_id=case_id))

    def act(case, data):
        services.case_close(
            case=case,
            outcome=data["outcome"],
            note=data["note"],
            by=request.user,
            closed_on=data.get("closed_on"),
            school=data.get("school"),
            reason=data.get("reason", ""),
            expected_version=data["version"],
        )

    return _post_form(
        request, case_id, CloseForm, act, "cases/close.html", "Case closed", reason_prompt=prompt
    )


@login_required
def reopen(request: AuthedRequest, case_id: int) -> HttpResponse:
    if not can(request.user, Action.REOPEN_CASE):
        raise NotAllowed

    def act(case, data):
        services.case_reopen(
            case=case, reason=data["reason"], by=request.user, expected_version=data["version"]
        )

    return _post_form(request, case_id, ReopenForm, act, "cases/reopen.html", "Case reopened")


@login_required
def transition(request: AuthedRequest, case_id: int) -> HttpResponse:
    if not can(request.user, Action.TRIAGE):
        raise NotAllowed
    allowed = services.next_statuses(case_get(user=request.user, case_id=case_id))

    def act(case, data):
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

    def act(case, data):
        services.case_assign(
            case=case,
            by=request.user,
            # Both are always posted: a blank choice un-names the worker.
            key_worker=data.get("key_worker"),
            paews_officer=data.get("paews_officer"),
            expected_version=data["version"],
        )

    return _post_form(request, case_id, AssignForm, act, "cases/assign.html", "Workers updated")


@login_required
@post_only("cases:detail", "case_id")
def add_note(request: AuthedRequest, case_id: int) -> HttpResponse:
    context = _case_context(request, case_id)
    case = context.pop("_case")
    # Whether this reader writes notes at all; a closed case is refused by the service, with
    # words that say to reopen it and the note kept in the box.
    if not context["record"].access.writes(Part.NOTES):
        raise NotAllowed
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.case_add_note(
                case=case,
                by=request.user,
                text=form.cleaned_data["text"],
                shared_with=form.cleaned_data["shared_with"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Update added")
            return redirect("cases:detail", case_id=case_id)
    context["note_form"] = form
    return render(request, "cases/detail.html", context, status=400)


@login_required
def raise_flag(request: AuthedRequest, case_id: int) -> HttpResponse:
    # The role first (403 before any lookup), then this reader's part of this case's record.
    if not can(request.user, Action.ADD_NOTE):
        raise NotAllowed
    if not _case_context(request, case_id)["record"].access.writes(Part.SAFEGUARDING):
        raise NotAllowed

    def act(case, data):
        services.flag_raise(
            case=case,
            kind=data["kind"],
            description=data["description"],
            by=request.user,
            escalated_to=data.get("escalated_to", ""),
            escalated_on=data.get("escalated_on"),
            escalation_reference=data.get("escalation_reference", ""),
        )

    return _post_form(request, case_id, FlagForm, act, "cases/flag.html", "Flag raised")


@login_required
@post_only("cases:detail", "case_id")
def resolve_flag(request: AuthedRequest, case_id: int, flag_id: int) -> HttpResponse:
    flag = flag_get(user=request.user, case_id=case_id, flag_id=flag_id)
    form = ResolveFlagForm(request.POST, auto_id=f"flag-{flag_id}-%s")
    form.flag_id = flag_id
    if form.is_valid():
        try:
            services.flag_resolve(
                flag=flag, by=request.user, resolution=form.cleaned_data["resolution"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Flag resolved")
            return redirect("cases:detail", case_id=case_id)
    # Refused: the case page again, the reason's box open beside its flag with what was typed.
    context = _case_context(request, case_id, note_form=NoteForm())
    context.pop("_case")
    context["resolve_forms"] = _resolve_forms(context["record"], bound=form)
    context["resolving"] = form
    return render(request, "cases/detail.html", context, status=400)


@login_required
def clock_starts(request: AuthedRequest, case_id: int) -> HttpResponse:
    if not can(request.user, Action.TRIAGE):
        raise NotAllowed

    def act(case, data):
        services.case_set_clock_starts(
            case=case,
            by=request.user,
            first_day_absent=data.get("first_day_absent"),
            left_roll_on=data.get("left_roll_on"),
            expected_version=data["version"],
        )

    return _post_form(request, case_id, ClockStartsForm, act, "cases/clocks.html", "Dates saved")
