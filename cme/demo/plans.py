"""What happens to each demo child: one or two episodes over three years, each with its route
into the register, its reason, and where it got to by the demo's "today" (as_of).

Plain Python and the model's choice lists only, so the plans can be reasoned about alone.
Older cases are mostly closed, recent ones open; afterwards every status, outcome, route and
reason is made to appear at least once, so each screen and filter has something to show.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from cme.cases.models import CaseStatus, Outcome
from cme.referrals.models import Reason, Route

HISTORY_DAYS = 3 * 365

OUTCOME_WEIGHTS = {
    Outcome.ON_ROLL: 30,
    Outcome.IN_PROVISION: 25,
    Outcome.TRANSFERRED: 12,
    Outcome.LEFT_COUNTRY: 8,
    Outcome.HOME_EDUCATED: 8,
    Outcome.LOST: 5,
    Outcome.DUPLICATE: 5,
    Outcome.NOT_COMPULSORY_AGE: 4,
    Outcome.DECEASED: 1,
}
ROUTE_WEIGHTS = {route: 2 for route in Route} | {
    Route.SCHOOL: 30,
    Route.AGENCY: 10,
    Route.OTHER_LA: 8,
    Route.HEALTH: 6,
    Route.EMAIL: 6,
    Route.PHONE: 6,
}
REASON_WEIGHTS = {reason: 8 for reason in Reason} | {
    Reason.WHEREABOUTS_UNKNOWN: 20,
    Reason.NEW_TO_CITY: 14,
    Reason.REMOVED_FROM_ROLL: 12,
    Reason.OTHER: 3,
}
OPEN = [s for s in CaseStatus if s != CaseStatus.CLOSED]
T = TypeVar("T")


@dataclass
class Episode:
    opened_on: date
    status: CaseStatus
    route: Route
    reason: Reason
    outcome: Outcome | None = None
    closed_on: date | None = None

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED


def _weighted(rng: random.Random, weights: dict[T, int]) -> T:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _open_status(rng: random.Random, age: int) -> CaseStatus:
    if age < 21:
        return rng.choice([CaseStatus.REFERRED, CaseStatus.CHECKING])
    if age < 75:
        return rng.choice([CaseStatus.CHECKING, CaseStatus.LOCATING, CaseStatus.ENGAGING])
    return rng.choice([CaseStatus.LOCATING, CaseStatus.ENGAGING, CaseStatus.IN_PROVISION])


def episode(rng: random.Random, opened_on: date, as_of: date) -> Episode:
    """One case, opened on `opened_on`, as it stands on `as_of`."""
    age = (as_of - opened_on).days
    route = _weighted(rng, ROUTE_WEIGHTS)
    reason = _weighted(rng, REASON_WEIGHTS)
    if age >= 21 and rng.random() < min(0.85, age / 200):
        closed_on = opened_on + timedelta(days=rng.randint(2, min(age, 240)))
        outcome = _weighted(rng, OUTCOME_WEIGHTS)
        return Episode(opened_on, CaseStatus.CLOSED, route, reason, outcome, closed_on)
    return Episode(opened_on, _open_status(rng, age), route, reason)


def child_history(rng: random.Random, as_of: date) -> list[Episode]:
    """One episode, or (about one child in six) a closed one and a later second one."""
    first = episode(rng, as_of - timedelta(days=rng.randint(0, HISTORY_DAYS)), as_of)
    history = [first]
    if first.closed_on is not None and rng.random() < 0.3:
        again = first.closed_on + timedelta(days=rng.randint(30, 300))
        if again <= as_of:
            history.append(episode(rng, again, as_of))
    return history


def _ensure(attr: str, wanted: list, pool: list[Episode]) -> None:
    """Give each missing value to an episode whose own value is the most common one."""
    for value in wanted:
        counts = Counter(getattr(e, attr) for e in pool)
        if counts[value]:
            continue
        commonest = counts.most_common(1)[0][0]
        donor = next(e for e in pool if getattr(e, attr) == commonest)
        setattr(donor, attr, value)


def ensure_coverage(episodes: list[Episode]) -> None:
    """Every open status, outcome, route and reason appears at least once."""
    open_ones = [e for e in episodes if e.is_open]
    closed = [e for e in episodes if not e.is_open]
    _ensure("status", OPEN, open_ones)
    _ensure("outcome", list(Outcome), closed)
    _ensure("route", list(Route), episodes)
    _ensure("reason", list(Reason), episodes)


def plan_histories(rng: random.Random, as_of: date, children: int) -> list[list[Episode]]:
    histories = [child_history(rng, as_of) for _ in range(children)]
    ensure_coverage([e for history in histories for e in history])
    return histories
