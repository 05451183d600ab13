from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import render

from cme.accounts.permissions import Action, can
from cme.core.errors import NotAllowed
from cme.core.http import AuthedRequest

from .forms import TrailFilterForm
from .selectors import (
    TrailFilter,
    TrailPage,
    child_for_trail,
    child_trail,
    trail_people,
    whole_trail,
)

CURSORS = ("older_than", "newer_than")


def _cursor(request: AuthedRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


def _query(request: AuthedRequest) -> str:
    """The filters as typed, for the paging links (ids, codes and dates: no names)."""
    query: QueryDict = request.GET.copy()
    for name in CURSORS:
        query.pop(name, None)
    return query.urlencode()


def _filters(form: TrailFilterForm) -> TrailFilter | None:
    if not form.is_bound:
        return TrailFilter()
    return form.trail_filter() if form.is_valid() else None


@login_required
def child_audit(request: AuthedRequest, child_id: int) -> HttpResponse:
    """Who has looked at or changed this child's record."""
    record = child_for_trail(user=request.user, child_id=child_id)
    form = TrailFilterForm(
        request.GET or None,
        people=trail_people(user=request.user, child_id=child_id),
        with_child=False,
    )
    filters = _filters(form)
    page: TrailPage | None = None
    if filters is not None:
        page = child_trail(
            user=request.user,
            record=record,
            filters=filters,
            older_than=_cursor(request, "older_than"),
            newer_than=_cursor(request, "newer_than"),
        )
    return render(
        request,
        "oversight/child_audit.html",
        {"record": record, "form": form, "page": page, "query": _query(request)},
    )


@login_required
def audit(request: AuthedRequest) -> HttpResponse:
    """The whole audit trail: every event on the register (CME managers)."""
    people = trail_people(user=request.user, child_id=None)
    form = TrailFilterForm(request.GET or None, people=people, with_child=True)
    filters = _filters(form)
    page: TrailPage | None = None
    if filters is not None:
        page = whole_trail(
            user=request.user,
            filters=filters,
            older_than=_cursor(request, "older_than"),
            newer_than=_cursor(request, "newer_than"),
        )
    return render(
        request, "oversight/audit.html", {"form": form, "page": page, "query": _query(request)}
    )


@login_required
def reference_data(request: AuthedRequest) -> HttpResponse:
    """The CME manager's index of the lists the register works from."""
    if not can(request.user, Action.MANAGE_REFERENCE_DATA):
        raise NotAllowed
    return render(request, "oversight/reference_data.html")
