"""Report pages: parse the question, call one selector, render."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cme.accounts.permissions import Action, can
from cme.core.errors import NotAllowed
from cme.core.http import AuthedRequest

from . import selectors
from .dfe_return import COLUMNS, Key, by_topic
from .forms import CensusForm


def _reader(request: AuthedRequest) -> None:
    if not can(request.user, Action.VIEW_REPORTS):
        raise NotAllowed


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Http404 from None


@login_required
def index(request: AuthedRequest) -> HttpResponse:
    _reader(request)
    return render(request, "reports/index.html", {})


@login_required
def dfe_return_page(request: AuthedRequest) -> HttpResponse:
    """The return for a census date, each figure linking to the children behind it."""
    _reader(request)
    form = CensusForm(request.GET if "census_date_0" in request.GET else None)
    context: dict[str, object] = {"form": form}
    if form.is_bound and form.is_valid():
        day = form.cleaned_data["census_date"]
        try:
            census, result = selectors.dfe_return_run(
                user=request.user, census_date=day, today=timezone.localdate()
            )
        except ValidationError as exc:
            form.add_error("census_date", exc.messages)
        else:
            context.update(census=census, groups=by_topic(result), census_iso=day.isoformat())
    return render(request, "reports/dfe_return.html", context)


@login_required
def dfe_return_csv(request: AuthedRequest, census: str) -> HttpResponse:
    """The same file `cme report dfe-return` writes: figures only, never a child."""
    _reader(request)
    try:
        _, result = selectors.dfe_return_run(
            user=request.user, census_date=_day(census), today=timezone.localdate()
        )
    except ValidationError:
        raise Http404 from None
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(result.rows())
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="dfe-return-{census}.csv"'
    return response


@login_required
def figure_page(request: AuthedRequest, census: str, slug: str) -> HttpResponse:
    """The children behind one figure, as far as the reader's scope reaches."""
    _reader(request)
    try:
        key = Key.from_slug(slug)
        children = selectors.figure_children(
            user=request.user, census_date=_day(census), key=key, today=timezone.localdate()
        )
    except (ValueError, KeyError, ValidationError):
        raise Http404 from None
    return render(
        request,
        "reports/figure.html",
        {"children": children, "key": key, "census_iso": census},
    )
