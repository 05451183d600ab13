"""The demo authority's establishments, written as a GIAS CSV and loaded through the import.

About 60 schools of the kinds a city has, with invented names, URNs in the ranges DfE uses
(maintained schools 104xxx, academies 13xxxx-15xxxx) and establishment numbers in the ranges
LAs use by phase (nursery 1xxx, primary 2xxx-3xxx, secondary 4xxx-5xxx, special 7xxx).
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

from cme.rules.csv_cells import SafeCsvWriter
from cme.schools.models import Establishment
from cme.schools.services import establishments_import

from .names import PLACES, SAINTS

LA_CODE = "341"
LA_NAME = "Liverpool"


@dataclass(frozen=True)
class Kind:
    type: str
    phase: str
    suffix: str
    numbers: range
    academy: bool = False


# (kind, how many): 60 in all, one of them closed.
KINDS: list[tuple[Kind, int]] = [
    (Kind("Local authority nursery school", "Nursery", "Nursery School", range(1001, 1099)), 2),
    (Kind("Community school", "Primary", "Primary School", range(2001, 2999)), 14),
    (Kind("Voluntary aided school", "Primary", "Catholic Primary School", range(3301, 3499)), 6),
    (Kind("Voluntary controlled school", "Primary", "CE Primary School", range(3001, 3299)), 4),
    (Kind("Academy converter", "Primary", "Primary Academy", range(2001, 2999), True), 8),
    (Kind("Academy sponsor led", "Primary", "Primary Academy", range(2001, 2999), True), 4),
    (Kind("Foundation school", "Primary", "Junior School", range(2001, 2999)), 2),
    (Kind("Community school", "Secondary", "High School", range(4001, 4199)), 3),
    (Kind("Voluntary aided school", "Secondary", "Catholic College", range(4600, 4699)), 2),
    (Kind("Academy converter", "Secondary", "Academy", range(4000, 4999), True), 4),
    (Kind("Academy sponsor led", "Secondary", "Academy", range(4000, 4999), True), 3),
    (Kind("Free schools", "All-through", "Free School", range(4000, 4999), True), 1),
    (Kind("Community special school", "Not applicable", "School", range(7001, 7099)), 3),
    (Kind("Pupil referral unit", "Not applicable", "Learning Centre", range(1100, 1199)), 2),
    (
        Kind(
            "Academy alternative provision converter",
            "Not applicable",
            "AP Academy",
            range(1100, 1199),
            True,
        ),
        1,
    ),
    (Kind("Community school", "Primary", "Primary School", range(2001, 2999)), 1),  # closed
]
HEADINGS = [
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentNumber",
    "EstablishmentName",
    "TypeOfEstablishment (name)",
    "EstablishmentStatus (name)",
    "PhaseOfEducation (name)",
    "Street",
    "Town",
    "Postcode",
    "OpenDate",
    "SchoolCapacity",
]


def postcode(rng: random.Random) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return f"L{rng.randint(1, 36)} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"


def establishments_csv(rng: random.Random) -> bytes:
    """A GIAS-shaped CSV of the demo schools, encoded as GIAS encodes it (Windows-1252)."""
    places = rng.sample(PLACES, sum(count for _, count in KINDS))
    maintained = iter(sorted(rng.sample(range(104100, 104999), 60)))
    academies = iter(sorted(rng.sample(range(135000, 151999), 60)))
    used_numbers: set[int] = set()
    out = io.StringIO(newline="")
    writer = SafeCsvWriter(out, lineterminator="\r\n")
    writer.writerow(HEADINGS)
    index = 0
    for kind, count in KINDS:
        for _ in range(count):
            number = rng.choice([n for n in kind.numbers if n not in used_numbers])
            used_numbers.add(number)
            place = places[index]
            index += 1
            if "Catholic" in kind.suffix or "CE" in kind.suffix:
                place = f"{rng.choice(SAINTS)} {place}"
            urn = next(academies) if kind.academy else next(maintained)
            status = "Closed" if index == len(places) else "Open"
            writer.writerow(
                [
                    urn,
                    LA_CODE,
                    LA_NAME,
                    number,
                    f"{place} {kind.suffix}",
                    kind.type,
                    status,
                    kind.phase,
                    f"{rng.randint(1, 120)} {place} Road",
                    "Liverpool",
                    postcode(rng),
                    f"01-09-{rng.randint(1960, 2022)}",
                    rng.choice([210, 315, 420, 630, 900, 1200]),
                ]
            )
    return out.getvalue().encode("cp1252")


def load_establishments(rng: random.Random) -> list[Establishment]:
    """Load the demo schools through the same import an operator runs."""
    establishments_import(file=establishments_csv(rng))
    return list(Establishment.objects.filter(la_code=LA_CODE).order_by("urn"))
