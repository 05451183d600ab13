"""Reading reports: each run is audited (who ran what, for which date), and the children behind
a figure are listed only as far as the reader's scope reaches, one audit event per child shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from cme.accounts.permissions import WHOLE_REGISTER, Action, can
from cme.audit.models import Verb
from cme.audit.services import audit_record, audit_record_many
from cme.cases.models import Case
from cme.cases.record_view import RegisterRow, register_rows
from cme.cases.scopes import case_scope
from cme.checks.models import HomeEducatedChild
from cme.core.errors import NotAllowed

from .census import Census, census_for
from .dfe_return import DfeReturn, Figure, Key, dfe_return


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
