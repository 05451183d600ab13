"""Made-up children: names, dates of birth, UPNs, addresses over time, carers, former names."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from cme.people.models import Address, Carer, Child, ChildRiskFactor, FormerName, RiskFactor, Sex
from cme.people.risk_factors import RISK_FACTORS
from cme.rules import upn_check_letter
from cme.schools.models import Establishment

from .names import (
    ADULT_MEN,
    ADULT_WOMEN,
    BOYS,
    GIRLS,
    PLACES,
    RELATIONSHIPS_MEN,
    RELATIONSHIPS_WOMEN,
    STREET_KINDS,
    SURNAMES,
)
from .schools import LA_CODE, postcode

RISK_CODES = [code for code, _ in RISK_FACTORS]


@dataclass
class ChildRecord:
    """A child and everything saved with them, before and after bulk insertion."""

    child: Child
    addresses: list[Address] = field(default_factory=list)
    carers: list[Carer] = field(default_factory=list)
    former_names: list[FormerName] = field(default_factory=list)
    risk_codes: list[str] = field(default_factory=list)
    # When each factor was raised, and (for some) ended: known before the first case opened.
    risk_dates: dict[str, tuple[date, date | None]] = field(default_factory=dict)

    @property
    def current_address(self) -> Address:
        return self.addresses[-1]


def make_upn(la_code: str, establishment_number: str, year: int, serial: int) -> str:
    """A UPN with a valid check letter: LA code, school number, 2-digit year, serial."""
    body = f"{la_code}{establishment_number}{year % 100:02d}{serial % 1000:03d}"
    return upn_check_letter(body) + body


def _street(rng: random.Random) -> str:
    return f"{rng.randint(1, 180)} {rng.choice(PLACES)} {rng.choice(STREET_KINDS)}"


def _addresses(rng: random.Random, child: Child, first_opened: date, refuge: bool) -> list[Address]:
    """Oldest first; the last has no end date: the current address."""
    moves = rng.choice([1, 1, 2, 2, 3])
    start = child.date_of_birth or first_opened
    starts = sorted(
        start + timedelta(days=rng.randint(0, (first_opened - start).days))
        for _ in range(moves - 1)
    )
    starts = [start, *starts]
    addresses = []
    for index, lived_from in enumerate(starts):
        last = index == len(starts) - 1
        lived_until = None if last else max(lived_from, starts[index + 1] - timedelta(days=1))
        addresses.append(
            Address(
                child=child,
                line_1=_street(rng),
                # A refuge's address is the CME team's alone (docs/access.md).
                do_not_share=last and refuge,
                town="Liverpool",
                postcode=postcode(rng),
                lived_from=lived_from,
                lived_until=lived_until,
            )
        )
    return addresses


def _carers(rng: random.Random, child: Child, address: Address) -> list[Carer]:
    carers = []
    for women in (True, False)[: rng.choice([1, 1, 2])]:
        given = rng.choice(ADULT_WOMEN if women else ADULT_MEN)
        surname = child.surname if rng.random() < 0.7 else rng.choice(SURNAMES)
        relationship = "Mother" if women else "Father"
        if rng.random() < 0.2:
            relationship = rng.choice(RELATIONSHIPS_WOMEN if women else RELATIONSHIPS_MEN)
        carers.append(
            Carer(
                child=child,
                name=f"{given} {surname}",
                relationship=relationship,
                parental_responsibility=relationship in {"Mother", "Father"},
                lives_with_child=rng.random() < 0.85,
                phone=f"07700 900{rng.randint(0, 999):03d}",
                emergency_phone=f"07700 900{rng.randint(0, 999):03d}" if rng.random() < 0.5 else "",
                email=f"{given.lower()}.{surname.lower()}@demo.example.org"
                if rng.random() < 0.4
                else "",
                address=str(address),
            )
        )
    return carers


def _risk_codes(rng: random.Random, index: int) -> list[str]:
    """Every factor appears at least once (the first children take one each), then at random."""
    codes = {RISK_CODES[index]} if index < len(RISK_CODES) else set()
    codes.update(rng.sample(RISK_CODES, rng.choice([0, 0, 1, 1, 2, 3])))
    return sorted(codes)


def make_child(
    rng: random.Random, index: int, first_opened: date, schools: list[Establishment]
) -> ChildRecord:
    """A child of compulsory school age when their first case opened."""
    sex = rng.choice([Sex.FEMALE, Sex.MALE, Sex.FEMALE, Sex.MALE, Sex.UNKNOWN])
    given = GIRLS if sex == Sex.FEMALE else BOYS if sex == Sex.MALE else GIRLS + BOYS
    born = first_opened - timedelta(days=rng.randint(5 * 365 + 120, 15 * 365 + 300))
    codes = _risk_codes(rng, index)
    upn = ""
    if rng.random() < 0.85:  # the rest never entered an English school, or nobody knows it
        school = rng.choice(schools)
        upn = make_upn(LA_CODE, school.establishment_number, born.year + 5, index)
    child = Child(
        forename=rng.choice(given),
        middle_names=rng.choice(given) if rng.random() < 0.4 else "",
        surname=rng.choice(SURNAMES),
        date_of_birth=born,
        sex=sex,
        upn=upn,
        sen_support=rng.random() < 0.15,
        ehcp=rng.random() < 0.05,
        looked_after="looked-after" in codes,
        child_protection_plan="child-protection" in codes,
        child_in_need=rng.random() < 0.08,
        young_carer="young-carer" in codes,
        yot="yot" in codes,
        fictional=True,
    )
    # bulk_create below skips Child.save(), which keeps the "ever" flags for retention.
    child.ever_ehcp, child.ever_looked_after = child.ehcp, child.looked_after
    if child.ehcp:
        child.ehcp_council = rng.choice(["Liverpool", "Liverpool", "Sefton", "Knowsley", "Wirral"])
    if child.looked_after:
        child.looked_after_by = rng.choice(["Liverpool", "Liverpool", "Sefton", "St Helens"])
    record = ChildRecord(child=child, risk_codes=codes)
    for code in codes:
        raised = first_opened - timedelta(days=rng.randint(0, 700))
        ended = raised + timedelta(days=rng.randint(30, 300)) if rng.random() < 0.15 else None
        record.risk_dates[code] = (raised, ended if ended and ended < first_opened else None)
    record.addresses = _addresses(rng, child, first_opened, refuge="refuge" in codes)
    record.carers = _carers(rng, child, record.current_address)
    current = record.current_address
    living_with = [c for c in record.carers if c.lives_with_child]
    current.lives_with = living_with[0].name if living_with else ""
    if rng.random() < 0.1:
        record.former_names.append(
            FormerName(
                child=child,
                forename=child.forename,
                surname=rng.choice(SURNAMES),
                used_until=first_opened - timedelta(days=rng.randint(30, 900)),
                reason=rng.choice(FORMER_NAME_REASONS),
            )
        )
    return record


# Why a child was known by another surname, as an officer would write it.
FORMER_NAME_REASONS = [
    "Known by her stepfather's surname at her previous school",
    "Mother's surname used after the parents separated",
    "Name changed on adoption",
    "Spelt differently on the referral from the previous school",
    "Known by the father's surname before the family moved to Liverpool",
]


def save_children(records: list[ChildRecord]) -> None:
    """Children first (for their ids), then what hangs off them."""
    Child.objects.bulk_create([r.child for r in records])
    Address.objects.bulk_create([a for r in records for a in r.addresses])
    Carer.objects.bulk_create([c for r in records for c in r.carers])
    FormerName.objects.bulk_create([f for r in records for f in r.former_names])
    factors = {f.code: f for f in RiskFactor.objects.all()}
    ChildRiskFactor.objects.bulk_create(
        [
            ChildRiskFactor(
                child=r.child,
                risk_factor=factors[code],
                raised_on=r.risk_dates[code][0],
                ended_on=r.risk_dates[code][1],
            )
            for r in records
            for code in r.risk_codes
        ]
    )
