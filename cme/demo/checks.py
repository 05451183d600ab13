"""Fictional data for the checks' sources, for `cme demo`: school rolls, lost pupils, EHE.

Some children with open cases are planted, lightly disguised, where the officer would find
them (a school roll under a nickname, a misspelling or with day and month swapped; a
lost-pupil file; the home education register), so a check on a demo case finds the right
child with its reasons. Deterministic: every choice comes from `rng`, every date from `as_of`.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from cme.cases.models import OPEN_STATUSES, Case
from cme.checks.models import (
    CandidateDecision,
    Check,
    CheckCandidate,
    Decision,
    HomeEducatedChild,
    HomeEducationNotice,
    HomeEducationStatus,
    LostPupil,
    NoticeKind,
    PupilOnRoll,
)
from cme.people.models import Child
from cme.rules import dfe_categories, upn_check_letter
from cme.schools.models import Establishment

from .names import BOYS, GIRLS, PLACES, STREET_KINDS, SURNAMES

# Short form <-> full form, both ways, for the demo's names (cme/matching has the full table).
VARIANTS = {
    "Alfie": "Alfred",
    "Evie": "Evelyn",
    "Isabella": "Izzy",
    "Charlie": "Charles",
    "Freddie": "Frederick",
    "Archie": "Archibald",
    "Harry": "Henry",
    "Mohammed": "Muhammad",
    "Aisha": "Ayesha",
    "Theo": "Theodore",
    "Sophia": "Sophie",
    "Rosie": "Rose",
    "Millie": "Amelia",
    "Jack": "John",
    "Elijah": "Eli",
    "Samuel": "Sam",
    "Joshua": "Josh",
    "Thomas": "Tom",
    "Jessica": "Jess",
    "Eliza": "Elizabeth",
}
PUPILS_PER_SCHOOL = 12
SCHOOLS_WITH_ROLLS = 25


@dataclass(frozen=True)
class DemoSources:
    pupils_on_roll: int
    lost_pupils: int
    home_educated: int
    planted: int


def _disguise(rng: random.Random, child: Child) -> tuple[str, date | None]:
    """The child's forename and date of birth as another system might hold them."""
    forename, dob = child.forename, child.date_of_birth
    kind = rng.choice(["nickname", "spelling", "swap"])
    if kind == "nickname" and forename in VARIANTS:
        return VARIANTS[forename], dob
    if kind == "swap" and dob is not None and dob.day <= 12 and dob.day != dob.month:
        return forename, dob.replace(day=dob.month, month=dob.day)
    if len(forename) > 3:  # a doubled letter, as a hurried keyboard makes
        i = rng.randint(1, len(forename) - 2)
        return forename[: i + 1] + forename[i] + forename[i + 1 :], dob
    return forename, dob


def _upn(rng: random.Random, school: Establishment, dob: date | None) -> str:
    year = (dob.year + 5) if dob else 2020
    body = f"{school.laestab[:7]:0<7}{year % 100:02d}{rng.randint(0, 999):03d}"
    return upn_check_letter(body) + body if body.isdigit() else ""


def _address(rng: random.Random) -> tuple[str, str]:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    street = f"{rng.randint(1, 180)} {rng.choice(PLACES)} {rng.choice(STREET_KINDS)}"
    code = f"L{rng.randint(1, 36)} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"
    return street, code


def _stranger(rng: random.Random, as_of: date) -> dict[str, Any]:
    sex = rng.choice("MF")
    street, code = _address(rng)
    return {
        "forename": rng.choice(BOYS if sex == "M" else GIRLS),
        "surname": rng.choice(SURNAMES),
        "date_of_birth": as_of - timedelta(days=rng.randint(5 * 365, 16 * 365)),
        "sex": sex,
        "address": street,
        "postcode": code,
    }


def _person(child: Child, forename: str, dob: date | None, as_of: date) -> dict[str, Any]:
    address = child.current_address(as_of)
    return {
        "forename": forename,
        "surname": child.surname,
        "date_of_birth": dob,
        "sex": child.sex,
        "address": address.line_1 if address else "",
        "postcode": address.postcode if address else "",
    }


def _roll(
    rng: random.Random, school: Establishment, person: dict[str, Any], as_of: date, at: datetime
) -> PupilOnRoll:
    possible = rng.randint(100, 300)
    attended = possible - rng.randint(0, possible // 3)
    excluded = rng.random() < 0.1
    person = dict(person)
    upn = person.pop("upn") if "upn" in person else _upn(rng, school, person["date_of_birth"])
    return PupilOnRoll(
        establishment=school,
        upn=upn,
        admission_date=as_of - timedelta(days=rng.randint(30, 900)),
        sessions_possible=possible,
        sessions_attended=attended,
        sessions_authorised=rng.randint(0, possible - attended),
        sessions_unauthorised=0,
        exclusion_type="Suspension" if excluded else "",
        exclusion_start=as_of - timedelta(days=rng.randint(5, 60)) if excluded else None,
        source_file="demo-ems.csv",
        loaded_at=at,
        **person,
    )


def _lost(rng: random.Random, person: dict[str, Any], at: datetime, n: int) -> LostPupil:
    name = f"341{2000 + n:04d}_CTF_XXXXXXX_001.xml"
    return LostPupil(
        source_file=name,
        file_hash=hashlib.sha256(f"demo:{n}:{person}".encode()).hexdigest(),
        destination=rng.choice(["XXXXXXX", "XXXXXXX", "MMMMMMM"]),
        source_laestab=f"341{2000 + n:04d}",
        ctf_version="25.0",
        loaded_at=at,
        **person,
    )


def _ehe(rng: random.Random, person: dict[str, Any], as_of: date) -> HomeEducatedChild:
    return HomeEducatedChild(
        started_on=as_of - timedelta(days=rng.randint(30, 700)), fictional=True, **person
    )


def load_demo_sources(
    *, rng: random.Random, as_of: date, children: Iterable[Any], establishments: list[Establishment]
) -> DemoSources:
    """Create the sources' fictional rows. Call after the demo's cases are saved.

    `children` are saved Child objects (or records with a `.child`); about one in three of
    those with an open case is planted on a school roll (disguised), and a few more in the
    lost-pupil database and the home education register.
    """
    at = datetime.combine(as_of, time(7, 0), tzinfo=UTC)
    kids = [getattr(c, "child", c) for c in children]
    open_ids = set(
        Case.objects.filter(child__in=kids, status__in=OPEN_STATUSES).values_list(
            "child_id", flat=True
        )
    )
    schools = [s for s in establishments if len(s.laestab) == 7][:SCHOOLS_WITH_ROLLS]
    pupils = [
        _roll(rng, school, _stranger(rng, as_of), as_of, at)
        for school in schools
        for _ in range(PUPILS_PER_SCHOOL)
    ]
    lost = [_lost(rng, _stranger(rng, as_of), at, n) for n in range(4)]
    ehe = [_ehe(rng, _stranger(rng, as_of), as_of) for _ in range(6)]
    planted = 0
    for child in (k for k in kids if k.pk in open_ids):
        roll = rng.random()
        person = _person(child, *_disguise(rng, child), as_of)
        if roll < 0.33 and schools:
            # The UPN follows the pupil, but the register often does not know it yet.
            upn = child.upn if rng.random() < 0.5 else ""
            pupils.append(_roll(rng, rng.choice(schools), {**person, "upn": upn}, as_of, at))
        elif roll < 0.40:
            lost.append(_lost(rng, person, at, len(lost)))
        elif roll < 0.45:
            ehe.append(_ehe(rng, person, as_of))
        else:
            continue
        planted += 1
    PupilOnRoll.objects.bulk_create(pupils, batch_size=1000)
    LostPupil.objects.bulk_create(lost)
    HomeEducatedChild.objects.bulk_create(ehe)
    return DemoSources(len(pupils), len(lost), len(ehe), planted)


def load_demo_home_education_details(*, seed: int, as_of: date, by: Any) -> int:
    """DfE's return details on the demo's home education register: a primary reason on most
    entries, some ended (half of them by starting at a school), and s.437(1) notices with an
    attendance order, so the return's EHE reasons and flows are not all zero. Its own `rng`
    from `seed`: the rest of the demo's choices are not moved. Returns how many were ended."""
    rng = random.Random(f"ehe-details:{seed}")  # noqa: S311 (made-up data, nothing secret)
    entries = list(HomeEducatedChild.objects.filter(fictional=True).order_by("pk"))
    ended = 0
    for n, entry in enumerate(entries):
        if n % 5:
            entry.reason = rng.choice(dfe_categories.EHE_REASONS)
        span = (as_of - entry.started_on).days
        if n % 3 == 1 and span > 20:
            entry.ended_on = entry.started_on + timedelta(days=rng.randint(10, span - 1))
            entry.status = HomeEducationStatus.ENDED
            entry.returned_to_school = n % 2 == 1
            ended += 1
    HomeEducatedChild.objects.bulk_update(
        entries, ["reason", "ended_on", "status", "returned_to_school"]
    )
    active = [e for e in entries if e.ended_on is None and (as_of - e.started_on).days > 60]
    notices = []
    at = datetime.combine(as_of, time(9, 0), tzinfo=UTC)
    for n, entry in enumerate(active[:2]):
        served = entry.started_on + timedelta(days=30)
        notices.append(
            HomeEducationNotice(
                entry=entry, kind=NoticeKind.S437_NOTICE, on=served, recorded_by=by, recorded_at=at
            )
        )
        if n == 0 and entry.previous_school_id is None:
            school = Establishment.objects.order_by("urn").first()
            notices.append(
                HomeEducationNotice(
                    entry=entry,
                    kind=NoticeKind.SAO_ISSUED,
                    on=served + timedelta(days=21),
                    school=school,
                    recorded_by=by,
                    recorded_at=at,
                )
            )
    HomeEducationNotice.objects.bulk_create(notices)
    return ended


# Twins of open-case children on school rolls: where the child is on no roll, the officer sees
# the twin as "possible" (the same surname, address and birthday, another first name) and
# rejects it; where the child is on a roll too, the twin shares the child's probability and
# is not shown. Thirty give `cme match retrain` the ten rejected decisions it needs.
TWINS = 30


def _twin(rng: random.Random, child: Child, as_of: date) -> dict[str, Any]:
    names = BOYS if child.sex == "M" else GIRLS
    forename = rng.choice([n for n in names if n[0] != child.forename[0]])
    return {**_person(child, forename, child.date_of_birth, as_of), "upn": ""}


def load_demo_decisions(*, seed: int, as_of: date, by: Any) -> tuple[int, int]:
    """Checks an officer ran on the open cases, with the decisions on what they found: each
    planted record confirmed, each other candidate (a twin at school, another child) rejected,
    so `cme match retrain` has the council's own decisions to learn from. Rows are written
    as an earlier check left them; the cases' own histories are not changed. Its own `rng`
    from `seed`, so the rest of the demo's choices are not moved. Returns (confirmed,
    rejected)."""
    from cme.checks.sources import all_sources, child_record

    rng = random.Random(f"decisions:{seed}")  # noqa: S311 (made-up data, nothing secret)
    at = datetime.combine(as_of - timedelta(days=3), time(10, 0), tzinfo=UTC)
    cases = list(
        Case.objects.filter(status__in=OPEN_STATUSES).select_related("child").order_by("pk")
    )
    schools = list(
        Establishment.objects.filter(pupils_on_roll__isnull=False).distinct().order_by("urn")
    )
    twins = []
    for case in rng.sample(cases, min(TWINS, len(cases))) if schools else []:
        if case.child.date_of_birth is not None:
            twins.append(_roll(rng, rng.choice(schools), _twin(rng, case.child, as_of), as_of, at))
    PupilOnRoll.objects.bulk_create(twins)
    twin_ids = {str(t.pk) for t in twins}
    sources = list(all_sources())
    confirmed = rejected = 0
    for case in cases:
        record = child_record(case.child)
        for source in sources:
            found = source.candidates(record, limit=5)
            if not found:
                continue
            check = Check.objects.create(
                case=case,
                source=source.name,
                source_label=source.label,
                records_searched=source.size(),
                run_by=by,
                run_at=at,
                candidate_count=len(found),
            )
            for rank, c in enumerate(found, start=1):
                planted = (
                    source.name != "register"
                    and c.record_id not in twin_ids
                    and c.details.get("name", "").endswith(case.child.surname)
                    and c.details.get("postcode") == record["postcode"]
                )
                decision = Decision.CONFIRMED if planted else Decision.REJECTED
                reason = "Same child: checked with the school." if planted else "Not this child."
                candidate = CheckCandidate.objects.create(
                    check_run=check,
                    source=c.source,
                    source_record_id=c.record_id,
                    rank=rank,
                    probability=min(max(c.probability, 0.0), 1.0),
                    band=c.band,
                    reasons=c.reasons,
                    details=c.details,
                    decision=decision,
                    decided_by=by,
                    decided_at=at,
                    decision_reason=reason,
                )
                CandidateDecision.objects.create(
                    candidate=candidate,
                    decision=decision,
                    previous=Decision.PENDING,
                    by=by,
                    at=at,
                    reason=reason,
                )
                confirmed += planted
                rejected += not planted
    return confirmed, rejected


def load_demo_retrained_model(*, by: Any) -> str:
    """`cme match retrain` on the demo's decisions, as the manager would run it: the model is
    kept, not put in use. No generated benchmark (bench/ is not in an installed package), so
    its report compares the models on the council's decisions alone. Returns its version."""
    from cme.checks.learning import retrain_from_decisions
    from cme.checks.matching_models import active_model

    version = f"{active_model().version}-demo"
    _, row = retrain_from_decisions(
        by=by, version=version, benchmark=False, note="the demo officers' decisions"
    )
    return row.version
