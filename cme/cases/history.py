"""A case's status history rebuilt from its timeline, for cases recorded before the history
was kept (the migration that added it) and for made-up cases written in bulk (the demo).

Pure: it reads plain values, so the migration can use it on historical models.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .models import CaseEventKind, CaseStatus


@dataclass(frozen=True)
class Step:
    status: str
    outcome: str
    effective_on: date


def steps_from_timeline(
    *,
    opened_on: date,
    status: str,
    outcome: str,
    closed_on: date | None,
    events: Iterable[tuple[str, date, str]],
) -> list[Step]:
    """The status changes a case went through, from its timeline entries (kind, day, to_status)
    in the order they were written, and its current state.

    A case opens as referred on its opening day; each status entry, close and reopen is a
    change on its day (never before the opening day). The last close takes effect on the
    case's closing date. If the timeline does not end where the case is now (a case written
    without it), the current state is added so the history ends true.
    """
    steps = [Step(CaseStatus.REFERRED, "", opened_on)]
    entries = list(events)
    last_close = max(
        (i for i, (kind, _, _) in enumerate(entries) if kind == CaseEventKind.CLOSED), default=-1
    )
    for i, (kind, day, to_status) in enumerate(entries):
        day = max(day, opened_on)
        if kind == CaseEventKind.STATUS and to_status:
            steps.append(Step(to_status, "", day))
        elif kind == CaseEventKind.CLOSED:
            on = closed_on if (i == last_close and closed_on) else day
            steps.append(Step(CaseStatus.CLOSED, outcome or "duplicate", max(on, opened_on)))
        elif kind == CaseEventKind.REOPENED:
            steps.append(Step(CaseStatus.CHECKING, "", day))
    if steps[-1].status != status:
        on = closed_on if status == CaseStatus.CLOSED and closed_on else steps[-1].effective_on
        steps.append(Step(status, outcome if status == CaseStatus.CLOSED else "", on))
    return steps
