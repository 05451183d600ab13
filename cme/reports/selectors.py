"""Reading reports: each run is audited (who ran what, for which date), and the children behind
a figure are listed only as far as the reader's scope reaches, one audit event per child shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.db import transaction

from cme.accounts.permissions import WHOLE_REGISTER, Action, can
from cme.audit.models import Verb
from cme.audit.services import audit_record, audit_record_many
from cme.cases.models import Case
from cme.cases.record_view import RegisterRow, register_rows
from cme.cases.scopes import case_scope
from cme.checks.models import HomeEducatedChild
from cme.core.errors import NotAllowed
from cme.rules.suppression import Published

from .census import Census, census_for, long_date
from .dfe_return import DfeReturn, Figure, Key, dfe_return
from .extracts import EXTRACTS, Extract, extract_by_slug, extract_publish
from .history import first_record_on
from .not_in_school import Line, register_page
from .pack import Pack, management_pack


def _audit_run(user: Any, report: str, **details: Any) -> None:
    audit_record(
        actor=user,
        verb=Verb.REPORT_RUN,
        subject_type="report",
        details={"report": report, **details},
    )


@transaction.atomic
def dfe_return_run(*, user: Any, census_date: date, today: date) -> tuple[Census, DfeReturn]:
    """The DfE return for `census_date`, for a reader of reports (a command-line run passes
    user=None: the operator of the machine). ValidationError for a date that is no census."""
    if user is not None and not can(user, Action.VIEW_REPORTS):
        raise NotAllowed
    census = census_for(census_date, today=today)
    result = dfe_return(census_date)
    _audit_run(user, "dfe-return", census_date=census_date.isoformat())
    return census, result


@dataclass(frozen=True)
class FigureChildren:
    figure: Figure
    census: Census
    rows: list[RegisterRow]  # each case as this reader may see it (now, not as at the census)
    home_educated: list[HomeEducatedChild]  # EHE entries, for the CME team only
    hidden: int  # children behind the figure this reader may not see


@transaction.atomic
def figure_children(*, user: Any, census_date: date, key: Key, today: date) -> FigureChildren:
    """The children behind one figure of the return, as far as this reader's scope reaches."""
    if not can(user, Action.VIEW_REPORTS):
        raise NotAllowed
    census = census_for(census_date, today=today)
    figure = dfe_return(census_date).figures.get(key)
    if figure is None:
        raise KeyError(key)
    cases = list(
        Case.objects.filter(case_scope(user), pk__in=figure.case_ids)
        .select_related("child", "school", "key_worker")
        .order_by("child__surname", "child__forename", "pk")
    )
    rows = register_rows(user=user, cases=cases)
    entries: list[HomeEducatedChild] = []
    if user.role in WHOLE_REGISTER:
        entries = list(
            HomeEducatedChild.objects.filter(pk__in=figure.ehe_ids).order_by("surname", "forename")
        )
    audit_record_many(
        actor=user, verb=Verb.LIST, subject_type="case", rows=[(c.pk, c.child_id) for c in cases]
    )
    audit_record_many(
        actor=user,
        verb=Verb.LIST,
        subject_type="homeeducatedchild",
        rows=[(e.pk, None) for e in entries],
    )
    _audit_run(user, "dfe-return-children", census_date=census_date.isoformat(), figure=key.slug)
    hidden = len(figure.case_ids) + len(figure.ehe_ids) - len(cases) - len(entries)
    return FigureChildren(figure, census, rows, entries, hidden)


def check_period(period_from: date, period_to: date, *, today: date) -> None:
    """ValidationError, in words a person can act on, for a period no pack can cover."""
    if period_to > today:
        raise ValidationError(
            f"The period must end today or earlier: {long_date(period_to)} is in the future.",
            code="future",
        )
    if period_from > period_to:
        raise ValidationError(
            f"The period must start on or before its end: {long_date(period_from)} is after "
            f"{long_date(period_to)}.",
            code="order",
        )
    first = first_record_on()
    if first is None:
        raise ValidationError(
            "The register holds no cases or home education records yet, so there is nothing "
            "to count.",
            code="empty",
        )
    if period_to < first:
        raise ValidationError(
            f"The register's first record is from {long_date(first)}, so it holds nothing for "
            f"a period ending {long_date(period_to)}. Choose a later period.",
            code="before_first_record",
        )


@transaction.atomic
def pack_run(
    *, user: Any, period_from: date, period_to: date, today: date, output: str = "page"
) -> Pack:
    """The management team's pack for the period, audited: who, which period, which format."""
    if user is not None and not can(user, Action.VIEW_REPORTS):
        raise NotAllowed
    check_period(period_from, period_to, today=today)
    pack = management_pack(period_from, period_to, today=today)
    _audit_run(
        user,
        "pack",
        period_from=period_from.isoformat(),
        period_to=period_to.isoformat(),
        output=output,
    )
    return pack


@dataclass(frozen=True)
class ExtractRun:
    extract: Extract
    published: Published


@transaction.atomic
def extracts_run(
    *, user: Any, period_from: date, period_to: date, today: date, slug: str | None = None
) -> list[ExtractRun]:
    """The partner extracts for the period (or the one named), protected, audited. A CME
    manager's job: an extract leaves the CME team."""
    if not can(user, Action.PUBLISH_EXTRACTS):
        raise NotAllowed
    check_period(period_from, period_to, today=today)
    chosen = [extract_by_slug(slug)] if slug else list(EXTRACTS)
    runs = [ExtractRun(e, extract_publish(e, period_from, period_to)) for e in chosen]
    _audit_run(
        user,
        "partner-extract",
        period_from=period_from.isoformat(),
        period_to=period_to.isoformat(),
        extracts=[r.extract.slug for r in runs],
        methods=[r.published.method.value for r in runs],
    )
    return runs


@transaction.atomic
def not_in_school_run(
    *, user: Any, today: date, page_number: int | str
) -> tuple[Page[Any], list[Line]]:
    """A page of the children not in school register (EA 1996 s.436B, not yet in force), for
    a reader the access model allows (record_access.REPORT_READERS), with a `list` event for
    each record of each child shown and a `report_run` event naming the page."""
    if not can(user, Action.VIEW_NOT_IN_SCHOOL):
        raise NotAllowed
    page, lines = register_page(today=today, page_number=page_number)
    by_type: dict[str, list[tuple[int, int | None]]] = {}
    for line in lines:
        for subject_type, subject_id, child_id in line.audit:
            by_type.setdefault(subject_type, []).append((subject_id, child_id))
    for subject_type, rows in by_type.items():
        audit_record_many(actor=user, verb=Verb.LIST, subject_type=subject_type, rows=rows)
    _audit_run(user, "not-in-school", as_at=today.isoformat(), page=page.number)
    return page, lines
