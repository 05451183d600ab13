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
from cme.rules import not_in_school as cnis

from . import exports, extracts, selectors
from .charts import chart
from .dfe_return import COLUMNS, Key, by_topic
from .forms import CensusForm, PeriodForm
from .not_in_school import HELD_FROM
from .pack import Pack, default_period, previous_school_years


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
    return render(
        request,
        "reports/index.html",
        {
            "may_publish_extracts": can(request.user, Action.PUBLISH_EXTRACTS),
            "may_view_not_in_school": can(request.user, Action.VIEW_NOT_IN_SCHOOL),
        },
    )


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


def _period(request: AuthedRequest) -> tuple[PeriodForm, tuple[date, date] | None]:
    """The period asked for, or this school year to date; None with the form's errors."""
    asked = "period_from_0" in request.GET or "period_to_0" in request.GET
    form = PeriodForm(request.GET if asked else None)
    today = timezone.localdate()
    if not asked:
        return form, default_period(today)
    if not form.is_valid():
        return form, None
    first, last = form.cleaned_data["period_from"], form.cleaned_data["period_to"]
    if first is None or last is None:
        return form, default_period(today)
    return form, (first, last)


def _pack(request: AuthedRequest, output: str) -> tuple[PeriodForm, Pack | None]:
    form, period = _period(request)
    if period is None:
        return form, None
    try:
        pack = selectors.pack_run(
            user=request.user,
            period_from=period[0],
            period_to=period[1],
            today=timezone.localdate(),
            output=output,
        )
    except ValidationError as exc:
        form.add_error("period_to" if exc.code != "order" else "period_from", exc.messages)
        return form, None
    return form, pack


def _query(pack: Pack) -> str:
    return _period_query(pack.period_from, pack.period_to)


def _period_query(first: date, last: date) -> str:
    return (
        f"period_from_0={first.day}&period_from_1={first.month}&period_from_2={first.year}"
        f"&period_to_0={last.day}&period_to_1={last.month}&period_to_2={last.year}"
    )


@login_required
def pack_page(request: AuthedRequest) -> HttpResponse:
    """The dashboard: each section a chart with its data table, and the downloads."""
    _reader(request)
    form, pack = _pack(request, "page")
    context: dict[str, object] = {
        "form": form,
        "years": [
            (f"{first.year}/{str(first.year + 1)[2:]}", first, last)
            for first, last in previous_school_years(timezone.localdate())
        ],
    }
    if pack is not None:
        context.update(
            pack=pack,
            sections=[(s, chart(s)) for s in pack.sections],
            query=_query(pack),
        )
    return render(request, "reports/pack.html", context, status=200 if pack else 400)


@login_required
def pack_download(request: AuthedRequest, output: str) -> HttpResponse:
    """The same pack as CSV, XLSX or PDF."""
    _reader(request)
    if output not in {"csv", "xlsx", "pdf"}:
        raise Http404
    _, pack = _pack(request, output)
    if pack is None:
        raise Http404
    name = f"cme-pack-{pack.period_from}-to-{pack.period_to}"
    if output == "csv":
        response = HttpResponse(exports.pack_csv(pack), content_type="text/csv; charset=utf-8")
    elif output == "xlsx":
        response = HttpResponse(
            exports.pack_xlsx(pack),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(exports.pack_pdf(pack), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.{output}"'
    return response


def _publisher(request: AuthedRequest) -> None:
    if not can(request.user, Action.PUBLISH_EXTRACTS):
        raise NotAllowed


def _extracts(
    request: AuthedRequest, slug: str | None
) -> tuple[PeriodForm, list[selectors.ExtractRun] | None, tuple[date, date] | None]:
    form, period = _period(request)
    if period is None:
        return form, None, None
    try:
        runs = selectors.extracts_run(
            user=request.user,
            period_from=period[0],
            period_to=period[1],
            today=timezone.localdate(),
            slug=slug,
        )
    except ValidationError as exc:
        form.add_error("period_to" if exc.code != "order" else "period_from", exc.messages)
        return form, None, None
    return form, runs, period


@login_required
def extracts_page(request: AuthedRequest) -> HttpResponse:
    """Every partner extract for the period, as it would be circulated."""
    _publisher(request)
    form, runs, period = _extracts(request, None)
    context: dict[str, object] = {"form": form}
    if runs is not None and period is not None:
        context.update(
            period=period,
            query=_period_query(*period),
            runs=[
                (run, extracts.extract_lines(run.published), extracts.how_protected(run.published))
                for run in runs
            ],
        )
    return render(request, "reports/extracts.html", context, status=200 if runs else 400)


@login_required
def extract_csv(request: AuthedRequest, slug: str) -> HttpResponse:
    _publisher(request)
    try:
        extracts.extract_by_slug(slug)
    except KeyError:
        raise Http404 from None
    _, runs, period = _extracts(request, slug)
    if not runs or period is None:
        raise Http404
    run = runs[0]
    text = extracts.extract_csv(run.extract, run.published, *period)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{slug}-{period[0]}-to-{period[1]}.csv"'
    )
    return response


@login_required
def not_in_school_page(request: AuthedRequest) -> HttpResponse:
    """Every child the council knows is not in school, with what the s.436B register will hold
    (not yet in force). No download: every other report's files carry figures, never a child,
    and a list of children's home addresses and parents is not to leave the register."""
    if not can(request.user, Action.VIEW_NOT_IN_SCHOOL):
        raise NotAllowed
    page, lines = selectors.not_in_school_run(
        user=request.user, today=timezone.localdate(), page_number=request.GET.get("page", 1)
    )
    fields = {f.key: f for f in cnis.FIELDS}
    return render(
        request,
        "reports/not_in_school.html",
        {
            "page": page,
            "lines": lines,
            "fields": fields,
            "held": [(f, HELD_FROM.get(f.key, "")) for f in cnis.FIELDS],
            "commencement": cnis.COMMENCEMENT,
            "citation": cnis.CITATION,
        },
    )
