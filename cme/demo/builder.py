"""Builds the fictional demo authority (LA 341) from a seed and a date.

Deterministic: the same seed and as-of date give the same schools, people, cases and
referrals, because every random choice comes from one random.Random(seed), in a fixed
order, and every date is counted back from as_of.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction

from cme.accounts.models import Role, User
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.calendars.services import term_dates_import
from cme.cases import due
from cme.people.models import Child

from .accounts import SIGN_INS, create_staff, sign_ins_table
from .cases import Writer
from .checklists import load_demo_checklists
from .checks import (
    load_demo_decisions,
    load_demo_home_education_details,
    load_demo_retrained_model,
    load_demo_sources,
)
from .children import make_child, save_children
from .enquiries import load_demo_enquiries
from .need_to_know import showcase
from .plans import plan_histories
from .provision import load_demo_provision
from .referrals import ReferralMaker
from .roll import load_demo_returns
from .schools import load_establishments
from .transfers import load_demo_transfers

DEFAULT_SEED = 2026
CHILDREN = 300


class DemoRefused(Exception):
    """The database already holds data the demo would clash with."""


@dataclass(frozen=True)
class DemoResult:
    establishments: int
    users: int
    children: int
    cases: int
    referrals: int
    case_events: int
    sign_ins: list[str]


def demo_refusal() -> str:
    """Why the demo cannot load here, or "" if it can."""
    if Child.objects.exists():
        return "The database already has children on it; the demo loads into an empty one."
    taken = User.objects.filter(username__in=[name for name, *_ in SIGN_INS])
    names = sorted(taken.values_list("username", flat=True))
    if names:
        return f"Demo usernames already in use: {', '.join(names)}."
    return ""


DEMO_TERM_DATES = [
    Path(__file__).resolve().parent.parent / "calendars" / "data" / "liverpool-term-dates.csv",
    # Liverpool's 2022/23 and 2026/27 dates are not in the shipped data; the demo's oldest open
    # cases and its latest deadlines need some to count in.
    Path(__file__).resolve().parent / "data" / "term-dates-estimated.csv",
]


def load_demo_term_dates() -> None:
    for path in DEMO_TERM_DATES:
        term_dates_import(path=path)


@transaction.atomic
def build_demo(*, seed: int = DEFAULT_SEED, as_of: date, children: int = CHILDREN) -> DemoResult:
    """Everything, in one transaction: a failure leaves nothing half-loaded."""
    refusal = demo_refusal()
    if refusal:
        raise DemoRefused(refusal)
    rng = random.Random(seed)  # noqa: S311 (made-up data, nothing secret)
    schools = load_establishments(rng)
    staff = create_staff(rng, schools)
    histories = plan_histories(rng, as_of, children)
    records = [
        make_child(rng, index, history[0].opened_on, schools)
        for index, history in enumerate(histories)
    ]
    save_children(records)
    referrals = ReferralMaker(rng=rng, staff=staff)
    writer = Writer(rng=rng, as_of=as_of, staff=staff, schools=schools, referrals=referrals)
    for record, history in zip(records, histories, strict=True):
        for episode in history:
            writer.add(record, episode)
    referrals.undecided(as_of, staff.officers[0], count=12)
    referrals.repeats(as_of, staff.officers[0], [r.child for r in records], count=3)
    writer.save()
    showcase(staff, as_of)  # need to know, from every demo sign-in's seat
    # What the Check step searches: pupils on roll (some of them demo children under another
    # spelling), S2S lost pupils, home-educated children.
    load_demo_sources(
        rng=rng, as_of=as_of, children=[r.child for r in records], establishments=schools
    )
    load_demo_term_dates()
    load_demo_transfers(as_of=as_of, staff=staff)
    load_demo_enquiries(as_of=as_of, staff=staff)
    load_demo_home_education_details(seed=seed, as_of=as_of, by=staff.officers[0])
    # Checks already run on the open cases, decided: what `cme match retrain` learns from.
    load_demo_decisions(seed=seed, as_of=as_of, by=staff.officers[0])
    # ... and a model retrained from them by the manager, kept but not in use, for the
    # manager's matching models page to compare and switch to.
    load_demo_retrained_model(by=staff.by_role(Role.CME_MANAGER)[0])
    load_demo_provision(as_of=as_of, staff=staff)
    load_demo_checklists(as_of=as_of, staff=staff, reference=referrals.reference)
    load_demo_returns(as_of=as_of, staff=staff)
    # The writer bulk-loads cases and plans, past the services that store due dates.
    due.refresh_all()
    result = DemoResult(
        establishments=len(schools),
        users=len(staff.users),
        children=len(records),
        cases=len(writer.cases),
        referrals=len(referrals.rows),
        case_events=len(writer.events),
        sign_ins=sign_ins_table(staff),
    )
    audit_record(
        actor=None,
        verb=Verb.IMPORT,
        subject_type="demo",
        details={
            "seed": seed,
            "as_of": str(as_of),
            "children": result.children,
            "cases": result.cases,
            "referrals": result.referrals,
        },
    )
    return result
