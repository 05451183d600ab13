"""The officer's watch list: pupils still on a roll whom the returns show at risk, each with
its clocks, and the schools whose attendance return is late."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from cme.accounts.permissions import Action, can
from cme.core.errors import NotAllowed
from cme.core.forms import add_service_errors
from cme.core.http import AuthedRequest, post_only

from .loop import new_pupil_match_confirm, new_pupil_match_reject
from .school_forms import EndWatchForm, MatchDecisionForm
from .watch import watch_end
from .watch_models import MatchDecision, NewPupilMatch, WatchedPupil, WatchStatus
from .watch_selectors import attendance_returns_late, new_pupil_matches, watch_list


def _page(
    request: AuthedRequest,
    *,
    status: int = 200,
    form: EndWatchForm | None = None,
    failed: int | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    rows = watch_list(user=request.user, today=today)
    # One form a row, each with its own prefix so no two inputs share an id.
    forms = {
        row.watched.pk: form
        if form is not None and row.watched.pk == failed
        else EndWatchForm(prefix=f"w{row.watched.pk}")
        for row in rows
    }
    return render(
        request,
        "roll/watch_list.html",
        {
            "rows": [(row, forms[row.watched.pk]) for row in rows],
            "late": attendance_returns_late(user=request.user, today=today),
            "may_end": can(request.user, Action.TRIAGE),
            "end_form": form,
            "failed": failed,
            "interval_days": settings.CME_ATTENDANCE_RETURN_INTERVAL_DAYS,
        },
        status=status,
    )


@login_required
def watch_list_page(request: AuthedRequest) -> HttpResponse:
    return _page(request)


@login_required
@post_only("watch:list")
def watch_end_view(request: AuthedRequest, watched_id: int) -> HttpResponse:
    if not can(request.user, Action.TRIAGE):
        raise NotAllowed
    watched = get_object_or_404(WatchedPupil, pk=watched_id, status=WatchStatus.WATCHING)
    form = EndWatchForm(request.POST, prefix=f"w{watched.pk}")
    if form.is_valid():
        try:
            watch_end(watched=watched, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason", error.messages)
        else:
            messages.success(request, f"{watched.pupil_name} is no longer on the watch list")
            return redirect("watch:list")
    return _page(request, status=400, form=form, failed=watched.pk)


def _matches_page(
    request: AuthedRequest, *, status: int = 200, form: Any = None, failed: int | None = None
) -> HttpResponse:
    rows = new_pupil_matches(user=request.user)
    forms = {
        m.pk: form if form is not None and m.pk == failed else MatchDecisionForm(prefix=f"m{m.pk}")
        for m in rows
    }
    return render(
        request,
        "roll/new_pupil_matches.html",
        {"rows": [(m, forms[m.pk]) for m in rows], "failed": failed, "failed_form": form},
        status=status,
    )


@login_required
def matches_page(request: AuthedRequest) -> HttpResponse:
    return _matches_page(request)


@login_required
@post_only("watch:matches")
def match_decide(request: AuthedRequest, match_id: int) -> HttpResponse:
    if not can(request.user, Action.TRIAGE):
        raise NotAllowed
    match = get_object_or_404(NewPupilMatch, pk=match_id, decision=MatchDecision.PENDING)
    form = MatchDecisionForm(request.POST, prefix=f"m{match.pk}")
    if form.is_valid():
        act = (
            new_pupil_match_confirm
            if form.cleaned_data["action"] == "confirm"
            else new_pupil_match_reject
        )
        try:
            act(match=match, by=request.user, reason=form.cleaned_data.get("reason", ""))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            done = (
                "Match confirmed" if form.cleaned_data["action"] == "confirm" else "Match rejected"
            )
            if form.cleaned_data["action"] == "confirm" and match.case_id:
                done += f": case {match.case_id} closed as on roll"
            messages.success(request, done)
            return redirect("watch:matches")
    return _matches_page(request, status=400, form=form, failed=match.pk)
