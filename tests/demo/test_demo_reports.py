"""The issue's Done-when checks on the demo: `cme report dfe-return` writes a file whose totals
equal the sum over each breakdown, in DfE's values only, and an earlier census date gives that
date's figures (replayed here by hand from the status history, and unmoved by later changes)."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from cme.cases.models import Case, CaseStatus, CaseStatusChange
from cme.demo.builder import build_demo
from cme.reports.history import CME_STATUSES
from cme.rules import dfe_categories
from cme.rules.dfe_return import DURATIONS, EHE_FLOWS, SEXES, TOTAL, YEAR_GROUPS, year_group

AS_OF = date(2026, 3, 2)
SPRING = date(2026, 1, 15)
AUTUMN = date(2025, 10, 2)

VALUES = {
    ("CME", "Total"): (TOTAL,),
    ("CME", "Sex"): SEXES,
    ("CME", "Year group"): YEAR_GROUPS,
    ("CME", "Duration"): DURATIONS,
    ("CME", "Reason"): dfe_categories.CME_REASONS,
    ("CME", "At any time in previous academic year"): (TOTAL,),
    ("EHE", "Total"): (TOTAL,),
    ("EHE", "Sex"): SEXES,
    ("EHE", "Year group"): YEAR_GROUPS,
    ("EHE", "Reason"): dfe_categories.EHE_REASONS,
    **{("EHE", topic): (TOTAL,) for topic in EHE_FLOWS},
}


def _run(tmp_path: Path, day: date) -> dict[tuple[str, str], dict[str, int]]:
    out = tmp_path / f"{day}.csv"
    call_command("report", "dfe-return", "--census-date", day.isoformat(), "--out", str(out))
    figures: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    with out.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            figures[(row["collection"], row["breakdown_topic"])][row["breakdown"]] = int(
                row["child_count"]
            )
    return dict(figures)


def _cme_by_hand(day: date) -> int:
    """Children missing education on `day`, replayed from each case's history in Python."""
    latest: dict[int, tuple[date, int, str]] = {}
    for case_id, status, on, pk in CaseStatusChange.objects.values_list(
        "case_id", "status", "effective_on", "pk"
    ):
        if on <= day and (case_id not in latest or (on, pk) > latest[case_id][:2]):
            latest[case_id] = (on, pk, status)
    children = set()
    for case in Case.objects.filter(pk__in=latest).select_related("child"):
        if latest[case.pk][2] in CME_STATUSES and year_group(case.child.date_of_birth, on=day):
            children.add(case.child_id)
    return len(children)


@pytest.mark.django_db
def test_the_demos_return_adds_up_in_dfes_values_and_keeps_its_dates(tmp_path: Path) -> None:
    build_demo(as_of=AS_OF)
    with time_machine.travel(AS_OF, tick=False):
        spring = _run(tmp_path, SPRING)
        autumn = _run(tmp_path, AUTUMN)
        for figures in (spring, autumn):
            assert set(figures) == set(VALUES)
            for (collection, topic), counts in figures.items():
                assert list(counts) == list(VALUES[(collection, topic)]), topic
                if topic in {"Sex", "Year group", "Duration", "Reason"}:
                    assert sum(counts.values()) == figures[(collection, "Total")][TOTAL], topic
        assert spring[("CME", "Total")][TOTAL] == _cme_by_hand(SPRING) > 0
        assert autumn[("CME", "Total")][TOTAL] == _cme_by_hand(AUTUMN) > 0
        assert spring != autumn
        assert spring[("EHE", "Total")][TOTAL] > 0
        assert sum(spring[("EHE", t)][TOTAL] for t in EHE_FLOWS) > 0
        # Today's changes do not move an earlier census: close every open case today.
        today = timezone.localdate()
        open_cases = list(Case.objects.exclude(status=CaseStatus.CLOSED))
        CaseStatusChange.objects.bulk_create(
            CaseStatusChange(
                case=c,
                status=CaseStatus.CLOSED,
                outcome="on_roll",
                effective_on=today,
                recorded_at=timezone.now(),
            )
            for c in open_cases
        )
        assert _run(tmp_path, AUTUMN) == autumn
        assert _run(tmp_path, today)[("CME", "Total")][TOTAL] == 0
