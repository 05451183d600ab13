"""The officer's watch list: pupils still on a roll whom the returns show at risk, each with
its clocks, and the schools whose attendance return is late."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from cme.accounts.permissions import Action, can
from cme.core.errors import NotAllowed
from cme.core.http import AuthedRequest, post_only

from .school_forms import EndWatchForm
from .watch import watch_end
from .watch_models import WatchedPupil, WatchStatus
from .watch_selectors import attendance_returns_late, watch_list


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
