"""Needs, risk factors and child protection status.

Risk factors come from the policy's list (cme/people/risk_factors.py, loaded as RiskFactor
rows): raised from a date and ended on one, an ended one kept. Needs (SEN support, an EHC plan
and the council that maintains it, looked after and by whom, young carer, Youth Offending
Team) are the needs part of the record; the child protection and child in need plans are the
safeguarding part, written by whoever record_access lets write it (the CME team, PAEWS, a
social care key worker).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from cme.accounts.record_access import Part

from ..models import ChangeAction, Child, ChildRiskFactor, RecordChange, RiskFactor
from ._shared import child_locked, differences, record_change, values_of
from .checks import Problems, not_before, not_in_future, too_long

NEEDS_FIELDS = (
    "sen_support",
    "ehcp",
    "ehcp_council",
    "looked_after",
    "looked_after_by",
    "young_carer",
    "yot",
)
SAFEGUARDING_FIELDS = ("child_protection_plan", "child_in_need")


@dataclass(frozen=True)
class NeedsChange:
    """The needs as they should now read (every field)."""

    sen_support: bool
    ehcp: bool
    ehcp_council: str
    looked_after: bool
    looked_after_by: str
    young_carer: bool
    yot: bool

    @classmethod
    def of(cls, child: Child, **changes: Any) -> NeedsChange:
        return cls(**{**{f.name: getattr(child, f.name) for f in fields(cls)}, **changes})


@dataclass(frozen=True)
class SafeguardingChange:
    child_protection_plan: bool
    child_in_need: bool

    @classmethod
    def of(cls, child: Child, **changes: Any) -> SafeguardingChange:
        return cls(**{**{f.name: getattr(child, f.name) for f in fields(cls)}, **changes})


def needs_problems(change: NeedsChange) -> Problems:
    problems: Problems = {}
    too_long(problems, "ehcp_council", change.ehcp_council, 100, "The council's name")
    too_long(problems, "looked_after_by", change.looked_after_by, 100, "The council's name")
    # The council maintaining the plan (Children and Families Act 2014 s.37) and the one
    # looking after the child (Children Act 1989 s.22) are who the CME officer must contact.
    if change.ehcp and not change.ehcp_council:
        problems.setdefault("ehcp_council", []).append(
            "Enter the council responsible for the EHC plan, like Liverpool or Sefton"
        )
    if change.looked_after and not change.looked_after_by:
        problems.setdefault("looked_after_by", []).append(
            "Enter the council looking after the child, like Liverpool or Sefton"
        )
    return problems


@transaction.atomic
def needs_update(
    *, child: Child, change: NeedsChange, by: Any, expected_version: int | None
) -> RecordChange | None:
    """Change the child's needs and statuses. A council named for a plan or care that is not
    recorded is cleared. None if nothing differs."""
    child = child_locked(child, by=by, part=Part.NEEDS, expected_version=expected_version)
    change = replace(
        change,
        ehcp_council=change.ehcp_council.strip() if change.ehcp else "",
        looked_after_by=change.looked_after_by.strip() if change.looked_after else "",
    )
    before, after = differences(values_of(child, NEEDS_FIELDS), values_of(change, NEEDS_FIELDS))
    if not after:
        return None
    problems = needs_problems(change)
    if problems:
        raise ValidationError(problems)
    for name, value in asdict(change).items():
        setattr(child, name, value)
    child.save(update_fields=[*NEEDS_FIELDS, "updated_at"])
    return record_change(
        child=child,
        part=Part.NEEDS,
        subject=child,
        action=ChangeAction.CHANGED,
        before=before,
        after=after,
        by=by,
    )


@transaction.atomic
def safeguarding_update(
    *, child: Child, change: SafeguardingChange, by: Any, expected_version: int | None
) -> RecordChange | None:
    """Record whether the child has a child protection plan or a child in need plan."""
    child = child_locked(child, by=by, part=Part.SAFEGUARDING, expected_version=expected_version)
    before, after = differences(
        values_of(child, SAFEGUARDING_FIELDS), values_of(change, SAFEGUARDING_FIELDS)
    )
    if not after:
        return None
    for name, value in asdict(change).items():
        setattr(child, name, value)
    child.save(update_fields=[*SAFEGUARDING_FIELDS, "updated_at"])
    return record_change(
        child=child,
        part=Part.SAFEGUARDING,
        subject=child,
        action=ChangeAction.CHANGED,
        before=before,
        after=after,
        by=by,
    )


@transaction.atomic
def risk_factor_raise(
    *, child: Child, code: str, raised_on: date | None, by: Any, expected_version: int | None
) -> RecordChange:
    """Raise one of the policy's risk factors for the child, from `raised_on`."""
    child = child_locked(child, by=by, part=Part.NEEDS, expected_version=expected_version)
    problems: Problems = {}
    factor = RiskFactor.objects.filter(code=code).first()
    if factor is None:
        problems["risk_factor"] = ["Choose a risk factor from the policy's list"]
    else:
        open_one = ChildRiskFactor.objects.filter(
            child=child, risk_factor=factor, ended_on__isnull=True
        ).first()
        if open_one is not None:
            since = f" since {open_one.raised_on:%-d %B %Y}" if open_one.raised_on else ""
            problems["risk_factor"] = [
                f"'{factor.label}' is already recorded{since}. End it first to raise it again"
            ]
    if raised_on is None:
        problems["raised_on"] = ["Enter the date the risk factor was raised"]
    not_in_future(problems, "raised_on", raised_on, "The date raised")
    not_before(
        problems,
        "raised_on",
        raised_on,
        child.date_of_birth,
        "The date raised",
        "the child's date of birth",
    )
    if problems or factor is None:
        raise ValidationError(problems)
    link = ChildRiskFactor.objects.create(child=child, risk_factor=factor, raised_on=raised_on)
    return record_change(
        child=child,
        part=Part.NEEDS,
        subject=link,
        action=ChangeAction.ADDED,
        before={},
        after={
            "risk_factor": factor.code,
            "raised_on": raised_on.isoformat() if raised_on else None,
        },
        by=by,
    )


@transaction.atomic
def risk_factor_end(
    *, child: Child, link_id: int, ended_on: date | None, by: Any, expected_version: int | None
) -> RecordChange:
    """The risk factor no longer applies from `ended_on`: kept, struck through on the page."""
    child = child_locked(child, by=by, part=Part.NEEDS, expected_version=expected_version)
    link = (
        ChildRiskFactor.objects.select_for_update()
        .select_related("risk_factor")
        .filter(child=child, pk=link_id)
        .first()
    )
    if link is None:
        raise ChildRiskFactor.DoesNotExist
    problems: Problems = {}
    if ended_on is None:
        problems["ended_on"] = ["Enter the date the risk factor ended"]
    elif link.ended_on is not None:
        problems["ended_on"] = [f"This risk factor ended on {link.ended_on:%-d %B %Y} already"]
    else:
        not_in_future(problems, "ended_on", ended_on, "The date it ended")
        not_before(
            problems, "ended_on", ended_on, link.raised_on, "The date it ended", "the date raised"
        )
    if problems:
        raise ValidationError(problems)
    link.ended_on = ended_on
    link.save(update_fields=["ended_on"])
    return record_change(
        child=child,
        part=Part.NEEDS,
        subject=link,
        action=ChangeAction.ENDED,
        before={"risk_factor": link.risk_factor.code, "ended_on": None},
        after={
            "risk_factor": link.risk_factor.code,
            "ended_on": ended_on.isoformat() if ended_on else None,
        },
        by=by,
    )


@transaction.atomic
def risk_factor_correct(
    *,
    child: Child,
    link_id: int,
    raised_on: date | None,
    reason: str,
    by: Any,
    expected_version: int | None,
) -> RecordChange | None:
    """Correct the date a risk factor was raised (mistyped, or found later to be earlier). The
    old date is kept in the change, with why. None if the date is the same."""
    child = child_locked(child, by=by, part=Part.NEEDS, expected_version=expected_version)
    link = (
        ChildRiskFactor.objects.select_for_update()
        .select_related("risk_factor")
        .filter(child=child, pk=link_id)
        .first()
    )
    if link is None:
        raise ChildRiskFactor.DoesNotExist
    reason = reason.strip()
    problems: Problems = {}
    if raised_on is None:
        problems["raised_on"] = ["Enter the date the risk factor was raised"]
    not_in_future(problems, "raised_on", raised_on, "The date raised")
    not_before(
        problems,
        "raised_on",
        raised_on,
        child.date_of_birth,
        "The date raised",
        "the child's date of birth",
    )
    if (
        raised_on is not None
        and "raised_on" not in problems
        and link.ended_on is not None
        and raised_on > link.ended_on
    ):
        problems["raised_on"] = [
            f"The date raised must be on or before the day it ended, {link.ended_on:%-d %B %Y}"
        ]
    if raised_on is not None and "raised_on" not in problems:
        # The same factor raised again later: its periods must not overlap.
        clash = (
            ChildRiskFactor.objects.filter(child=child, risk_factor=link.risk_factor)
            .exclude(pk=link.pk)
            .filter(raised_on__lte=link.ended_on or date.max)
            .exclude(ended_on__lt=raised_on)
            .first()
        )
        if clash is not None:
            until = f" to {clash.ended_on:%-d %B %Y}" if clash.ended_on else ", still open"
            since = f"{clash.raised_on:%-d %B %Y}" if clash.raised_on else "a date not known"
            problems["raised_on"] = [
                f"'{link.risk_factor.label}' is also recorded from {since}{until}: "
                "the two periods would overlap"
            ]
    too_long(problems, "reason", reason, 500, "The reason")
    if raised_on == link.raised_on and not problems:
        return None
    if problems:
        raise ValidationError(problems)
    before = {"risk_factor": link.risk_factor.code, "raised_on": _iso(link.raised_on)}
    link.raised_on = raised_on
    link.save(update_fields=["raised_on"])
    return record_change(
        child=child,
        part=Part.NEEDS,
        subject=link,
        action=ChangeAction.CHANGED,
        before=before,
        after={"risk_factor": link.risk_factor.code, "raised_on": _iso(raised_on)},
        by=by,
        reason=reason,
    )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
