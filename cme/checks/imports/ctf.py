"""S2S lost-pupil files: one-pupil CTF XML files sent to XXXXXXX or MMMMMMM (docs/checks.md).

Reading the file is `cme.ctf` (every version from CTF 18 to this year's, `Sex` or `Gender`,
unsafe XML refused); this module checks what a lost-pupil file must be (sent to XXXXXXX or
MMMMMMM, one pupil, a date of birth, a name, a valid UPN) and turns it into the search
source's row. Files are checked whole, and all of them, before anything is written; loading a
file that was loaded before adds nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from cme.accounts.permissions import Action, can
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.core.errors import NotAllowed
from cme.ctf import CtfError, CtfFile, Pupil, read_ctf
from cme.people.ctf_store import already_loaded_message, ctf_already_stored, ctf_store
from cme.people.models import CtfOrigin
from cme.rules import normalise_upn, validate_upn
from cme.rules.ctf import OUTSIDE_CODE, UNKNOWN_CODE

from ..lost_pupils import lost_pupils_feed
from ..models import LostPupil
from .common import ImportRejected, InputFile, Problem, parse_sex, read_input

LOST_DESTINATIONS = (UNKNOWN_CODE, OUTSIDE_CODE)
WHERE = "CTFpupilData/Pupil"


@dataclass(frozen=True)
class ParsedCtf:
    name: str
    file_hash: str
    values: dict[str, Any]
    data: bytes = b""


def _lost_file_problems(file: CtfFile) -> list[tuple[str, str]]:
    dest = file.header.destination.laestab
    if dest not in LOST_DESTINATIONS:
        return [
            (
                "Header/DestSchool",
                f"destination {dest or '(none)'} is not XXXXXXX or MMMMMMM: "
                "only lost-pupil files are loaded here",
            )
        ]
    if not file.pupils:
        return [("CTFpupilData", "the file has no Pupil")]
    if len(file.pupils) > 1:
        return [
            (
                "CTFpupilData",
                f"{len(file.pupils)} pupils in a file to {dest}: a lost-pupil file must hold "
                "exactly one pupil (DfE S2S guidance)",
            )
        ]
    return []


def _pupil_values(pupil: Pupil, problems: list[tuple[str, str]]) -> dict[str, Any]:
    upn = normalise_upn(pupil.upn)
    errors = validate_upn(upn) if upn else []
    if errors:
        problems.append((f"{WHERE}/UPN", " ".join(errors)))
    if pupil.date_of_birth is None:
        problems.append((f"{WHERE}/DOB", "the pupil has no date of birth"))
    if not (pupil.surname or pupil.forename):
        problems.append((WHERE, "the pupil has neither Surname nor Forename"))
    try:
        sex = parse_sex(pupil.sex)
    except ValueError as exc:
        problems.append((f"{WHERE}/{pupil.sex_element}", f"{pupil.sex!r}: {exc}"))
        sex = "U"
    address = pupil.address
    postcode = " ".join(address.postcode.upper().split()) if address else ""
    return {
        "upn": upn,
        "surname": pupil.surname[:100],
        "forename": pupil.forename[:100],
        "middle_names": pupil.middle_names[:200],
        "date_of_birth": pupil.date_of_birth,
        "sex": sex,
        "address": address.one_line()[:300] if address else "",
        "postcode": postcode[:10],
    }


def parse_ctf(data: bytes, name: str, today: date) -> tuple[ParsedCtf | None, list[Problem]]:
    """One lost-pupil file: its row for the search source, or every problem found in it."""
    try:
        file = read_ctf(data, today=today)
    except CtfError as error:
        return None, [Problem(name, p.where, p.message) for p in error.problems]
    found = _lost_file_problems(file)
    values = {} if found else _pupil_values(file.pupils[0], found)
    if found:
        return None, [Problem(name, where, message) for where, message in found]
    header = file.header
    values |= {
        "ctf_version": header.version,
        "destination": header.destination.laestab,
        "source_laestab": header.source.laestab,
        "source_school_name": header.source.name[:200],
    }
    return ParsedCtf(name, hashlib.sha256(data).hexdigest(), values, data), []


@dataclass(frozen=True)
class LostPupilResult:
    files: int
    created: int
    already_loaded: int
    offered: int = 0
    referred: int = 0
    repeats: tuple[str, ...] = ()

    def summary(self) -> str:
        lines = [
            f"{self.files} file(s) read. Added {self.created} lost pupil(s); "
            f"{self.already_loaded} file(s) had been loaded before.",
            f"{self.offered} offered on an open case as a possible match; "
            f"{self.referred} referred for triage (last address in the city, no match).",
        ]
        return "\n".join([*lines, *self.repeats])


def lost_pupils_import(*, files: list[InputFile], by: Any = None) -> LostPupilResult:
    """Load S2S lost-pupil CTF files: every file is checked first, then all are written."""
    if by is not None and not can(by, Action.IMPORT_REFERENCE_DATA):
        raise NotAllowed
    today = timezone.localdate()
    parsed: list[ParsedCtf] = []
    problems: list[Problem] = []
    for file in files:
        data, name = read_input(file)
        one, found = parse_ctf(data, name, today)
        problems += found
        if one is not None:
            parsed.append(one)
    if problems:
        raise ImportRejected(problems)
    return _write(parsed, by=by)


def _repeat_message(one: ParsedCtf) -> str:
    stored = ctf_already_stored(one.data)
    if stored is not None:
        return f"{one.name}: {already_loaded_message(stored)} Nothing was added from it."
    earlier = LostPupil.objects.filter(file_hash=one.file_hash).first()
    when = timezone.localtime(earlier.loaded_at) if earlier else None
    return f"{one.name}: already loaded on {when:%-d %B %Y}. Nothing was added from it."


def _keep(one: ParsedCtf, by: Any) -> Any:
    # A school may have uploaded the very same file on a transfer duty: keep one copy.
    earlier = ctf_already_stored(one.data)
    if earlier is not None and not LostPupil.objects.filter(stored_file=earlier).exists():
        return earlier
    return ctf_store(
        data=one.data,
        name=one.name,
        origin=CtfOrigin.LOST_PUPIL,
        by=by,
        source_laestab=one.values["source_laestab"],
        destination=one.values["destination"],
    )


@transaction.atomic
def _write(parsed: list[ParsedCtf], *, by: Any) -> LostPupilResult:
    hashes = {p.file_hash for p in parsed}
    seen = set(LostPupil.objects.filter(file_hash__in=hashes).values_list("file_hash", flat=True))
    now = timezone.now()
    new: dict[str, LostPupil] = {}
    for one in parsed:
        if one.file_hash not in seen and one.file_hash not in new:
            new[one.file_hash] = LostPupil(
                source_file=one.name[:255], file_hash=one.file_hash, loaded_at=now, **one.values
            )
    repeats = tuple(_repeat_message(one) for one in parsed if one.file_hash in seen)
    for one in parsed:
        pupil = new.get(one.file_hash)
        if pupil is not None and pupil.stored_file_id is None:
            pupil.stored_file = _keep(one, by)
    LostPupil.objects.bulk_create(new.values())
    saved = list(LostPupil.objects.filter(file_hash__in=new))
    fed = lost_pupils_feed(pupils=saved, by=by)
    result = LostPupilResult(
        len(parsed),
        len(new),
        len(parsed) - len(new),
        offered=fed["offered"],
        referred=fed["referred"],
        repeats=repeats,
    )
    audit_record(
        actor=by,
        verb=Verb.IMPORT,
        subject_type="lost_pupils",
        details={
            "files": [p.name for p in parsed],
            "created": result.created,
            "already_loaded": result.already_loaded,
            "offered": result.offered,
            "referred": result.referred,
        },
    )
    return result
