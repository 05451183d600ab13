"""Look up grounds by key, and list the grounds in force on a date."""

from __future__ import annotations

import dataclasses
import datetime as dt

from cme.rules._dates import require_date
from cme.rules.deletion.grounds_2006 import GROUNDS_2006
from cme.rules.deletion.grounds_2024 import GROUNDS_2024
from cme.rules.deletion.model import AgeStatus, DeletionGround
from cme.rules.errors import UnknownGround
from cme.rules.regulations import RuleSet, rule_set_for

ALL_GROUNDS: dict[str, DeletionGround] = {g.key: g for g in (*GROUNDS_2006, *GROUNDS_2024)}
# SI 2016/792 reg 5 made every 2006 deletion notifiable from 1 September 2016; before that
# reg 12(3) as made required a return only for grounds (d), (e), (g), (i) and (m).
ALL_DELETIONS_NOTIFIED_FROM = dt.date(2016, 9, 1)
NOTIFIED_BEFORE_2016 = frozenset(f"2006:8(1)({x})" for x in "degim")


def get_ground(key: str | DeletionGround) -> DeletionGround:
    """The ground with this key (e.g. "2024:9(1)(i)"); UnknownGround if there is none."""
    if isinstance(key, DeletionGround):
        return key
    if not isinstance(key, str):
        raise UnknownGround(
            f"a deletion ground is named by a key such as '2024:9(1)(i)', not {key!r}"
        )
    normalised = "".join(key.split()).lower()
    try:
        return ALL_GROUNDS[normalised]
    except KeyError:
        raise UnknownGround(
            f"{key!r} is not a deletion ground; keys look like '2006:8(1)(h)' or '2024:9(1)(i)'"
        ) from None


def la_notified(ground: DeletionGround, on: dt.date) -> bool:
    """Whether a deletion on ``on`` under ``ground`` needs a deletion return to the LA."""
    if ground.rule_set is RuleSet.REGS_2006 and on < ALL_DELETIONS_NOTIFIED_FROM:
        return ground.key in NOTIFIED_BEFORE_2016
    return ground.notify_la


def deletion_grounds(*, on: dt.date, age: AgeStatus | None = None) -> tuple[DeletionGround, ...]:
    """The grounds in force for a deletion on ``on`` (2006 to 18 Aug 2024, 2024 from 19 Aug).

    ``notify_la`` on each ground is set for that date. ``age`` narrows to one age status.
    """
    on = require_date(on, "on")
    rules = rule_set_for(on)
    return tuple(
        dataclasses.replace(g, notify_la=la_notified(g, on))
        for g in ALL_GROUNDS.values()
        if g.rule_set is rules
        and (age is None or g.age is age)
        and (g.in_force_from is None or g.in_force_from <= on)
    )
