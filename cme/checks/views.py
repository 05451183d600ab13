"""The Check page of a case: run the sources, decide on candidates, refer to PAEWS."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from cme.accounts.permissions import Action, can
from cme.cases.closing import reason_needed
from cme.cases.selectors import case_get
from cme.cases.services import case_close_on_roll
from cme.core.errors import NotAllowed
from cme.core.forms import add_service_errors
from cme.core.http import AuthedRequest, post_only

from . import services
from .forms import (
    DecisionForm,
    EndHomeEducationForm,
    HomeEducationForm,
    OnRollForm,
    PaewsReferralForm,
)
from .lost_pupils import lost_pupil_forward, lost_pupil_match_confirm, lost_pupil_match_reject
from .models import LostPupilMatch
from .selectors import (
    candidate_get,
    check_page,
    home_education_get,
    home_education_page,
    lost_pupil_match_get,
)
from .services import NewEntry, home_education_add, home_education_end

DECIDE = {
    "confirm": services.candidate_confirm,
    "reject": services.candidate_reject,
    "reopen": services.candidate_reopen,
}


def _render(
    request: AuthedRequest, case_id: int, *, status: int = 200, **extra: Any
) -> HttpResponse:
    page = check_page(user=request.user, case_id=case_id)
    context = {
        "page": page,
        "case": page.case,
        "child": page.case.child,
        "paews_form": PaewsReferralForm(),
        "error_for": None,
        "error_messages": [],
        **extra,
    }
    return render(request, "checks/case.html", context, status=status)


@login_required
def case_checks(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _render(request, case_id)


@login_required
@post_only("checks:case", "case_id")
def run(request: AuthedRequest, case_id: int) -> HttpResponse:
    page = check_page(user=request.user, case_id=case_id)
    try:
        services.check_run(case=page.case, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Check run against every source")
    return redirect("checks:case", case_id=case_id)


@login_required
@post_only("worklist:home")
def decide(request: AuthedRequest, candidate_id: int) -> HttpResponse:
    candidate = candidate_get(user=request.user, candidate_id=candidate_id)
    case_id = candidate.check_run.case_id
    form = DecisionForm(request.POST)
    if form.is_valid():
        act = DECIDE[form.cleaned_data["action"]]
        try:
            act(candidate=candidate, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            return _render(
                request, case_id, status=400, error_for=candidate.pk, error_messages=error.messages
            )
        messages.success(request, "Decision recorded")
        candidate.refresh_from_db()
        if form.cleaned_data["action"] == "confirm" and services.offers_close_on_roll(candidate):
            return redirect("checks:on-roll", candidate_id=candidate.pk)
        return redirect(reverse("checks:case", args=[case_id]) + f"#candidate-{candidate.pk}")
    errors = [e for errs in form.errors.values() for e in errs]
    return _render(request, case_id, status=400, error_for=candidate.pk, error_messages=errors)


@login_required
def on_roll(request: AuthedRequest, candidate_id: int) -> HttpResponse:
    """A confirmed match on a school roll: close the case as on roll there, or keep it open."""
    candidate = candidate_get(user=request.user, candidate_id=candidate_id)
    case = candidate.check_run.case
    if not services.offers_close_on_roll(candidate):
        messages.error(request, "This record is no longer a confirmed match on a school roll")
        return redirect("checks:case", case_id=case.pk)
    school = services.roll_school(candidate)
    if school is None:  # offers_close_on_roll found it; only a removed school gets here
        raise Http404
    prompt = reason_needed(case)
    form = OnRollForm(request.POST or None, reason_prompt=prompt)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["next_step"] == "close":
                case_close_on_roll(
                    case=case,
                    school=school,
                    by=request.user,
                    note=data["note"],
                    reason=data.get("reason", ""),
                    expected_version=data["version"],
                )
            else:
                services.case_keep_monitoring(
                    candidate=candidate, by=request.user, note=data["note"]
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            done = "Case closed: on roll" if data["next_step"] == "close" else "Case kept open"
            messages.success(request, f"{done} at {school}")
            return redirect("cases:detail", case_id=case.pk)
    elif request.method != "POST":
        form = OnRollForm(initial={"version": case.version}, reason_prompt=prompt)
    context = {"form": form, "case": case, "child": case.child, "candidate": candidate}
    context["school"] = school
    return render(request, "checks/on_roll.html", context, status=400 if form.errors else 200)


@login_required
@post_only("checks:case", "case_id")
def refer_to_paews(request: AuthedRequest, case_id: int) -> HttpResponse:
    page = check_page(user=request.user, case_id=case_id)
    form = PaewsReferralForm(request.POST)
    if form.is_valid():
        try:
            services.paews_refer(
                case=page.case,
                by=request.user,
                paews_officer=form.cleaned_data["paews_officer"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, "Referred to PAEWS")
            return redirect("checks:case", case_id=case_id)
    return _render(request, case_id, status=400, paews_form=form)


# The elective home education register ------------------------------------------------------


@login_required
def home_education(request: AuthedRequest) -> HttpResponse:
    show_ended = request.GET.get("ended") == "1"
    page = home_education_page(
        user=request.user, show_ended=show_ended, page_number=request.GET.get("page", 1)
    )
    return render(
        request,
        "checks/home_education.html",
        {"page": page, "show_ended": show_ended, "end_form": EndHomeEducationForm()},
    )


@login_required
def home_education_new(request: AuthedRequest) -> HttpResponse:
    if not can(request.user, Action.TRIAGE):
        raise NotAllowed
    form = HomeEducationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            home_education_add(entry=NewEntry(**form.cleaned_data), by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Child added to the home education register")
            return redirect("checks:home-education")
    return render(
        request,
        "checks/home_education_new.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
@post_only("checks:home-education")
def home_education_stop(request: AuthedRequest, entry_id: int) -> HttpResponse:
    entry = home_education_get(user=request.user, entry_id=entry_id)
    form = EndHomeEducationForm(request.POST)
    if form.is_valid():
        try:
            home_education_end(child=entry, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Home education ended for {entry}")
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("checks:home-education")


# Lost pupils offered on a case ---------------------------------------------------------------


def _lost_pupil_page(
    request: AuthedRequest, case_id: int, *, status: int = 200, **extra: Any
) -> HttpResponse:
    if not can(request.user, Action.TRIAGE):
        raise NotAllowed
    case = case_get(user=request.user, case_id=case_id)
    matches = LostPupilMatch.objects.filter(case=case).select_related("lost_pupil", "decided_by")
    context = {"case": case, "matches": matches, "error_for": None, "errors": [], **extra}
    return render(request, "checks/lost_pupils.html", context, status=status)


@login_required
def lost_pupils(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _lost_pupil_page(request, case_id)


def _match(request: AuthedRequest, match_id: int) -> LostPupilMatch:
    return lost_pupil_match_get(user=request.user, match_id=match_id)


@login_required
@post_only("worklist:home")
def lost_pupil_decide(request: AuthedRequest, match_id: int) -> HttpResponse:
    match = _match(request, match_id)
    form = DecisionForm(request.POST)
    if form.is_valid() and form.cleaned_data["action"] in {"confirm", "reject"}:
        act = (
            lost_pupil_match_confirm
            if form.cleaned_data["action"] == "confirm"
            else lost_pupil_match_reject
        )
        try:
            act(match=match, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            return _lost_pupil_page(
                request, match.case_id, status=400, error_for=match.pk, errors=error.messages
            )
        messages.success(request, "Decision recorded")
        return redirect("checks:lost-pupils", case_id=match.case_id)
    errors = [e for errs in form.errors.values() for e in errs] or ["Choose confirm or reject"]
    return _lost_pupil_page(request, match.case_id, status=400, error_for=match.pk, errors=errors)


@login_required
@post_only("worklist:home")
def lost_pupil_forward_view(request: AuthedRequest, match_id: int) -> HttpResponse:
    match = _match(request, match_id)
    try:
        name, data = lost_pupil_forward(match=match, to=request.POST.get("to", ""), by=request.user)
    except ValidationError as error:
        return _lost_pupil_page(
            request, match.case_id, status=400, error_for=match.pk, errors=error.messages
        )
    response = HttpResponse(data, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
