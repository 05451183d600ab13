"""S2S lost-pupil files: one-pupil CTF XML files sent to XXXXXXX or MMMMMMM (docs/checks.md).

The structure is CTfile / Header / CTFpupilData / Pupil (reference: shared/reference/ctf.md).
The current CTF version and the one before are accepted (as MIS do); the sex is read from
`Sex` (current) or `Gender` (older files). Files are checked whole, and all of them, before
anything is written; loading a file that was loaded before adds nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any
from xml.etree.ElementTree import Element  # the type only; parsing is defusedxml

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from django.db import transaction
from django.utils import timezone

from cme.accounts.permissions import Action, can
from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.core.errors import NotAllowed
from cme.rules import normalise_upn, validate_upn
from cme.rules.ctf import OUTSIDE_CODE, UNKNOWN_CODE

from ..models import LostPupil
from .common import ImportRejected, InputFile, Problem, parse_date, parse_sex, read_input

LOST_DESTINATIONS = (UNKNOWN_CODE, OUTSIDE_CODE)
BS7666 = ("SAON", "PAON", "Street", "Locality", "Town", "AdministrativeArea", "PostTown")
LINES = tuple(f"AddressLine{n}" for n in range(1, 6))


def accepted_versions(today: date) -> tuple[str, str]:
    """This academic year's CTF version and the previous one; suppliers switch in August."""
    start = today.year if today.month >= 8 else today.year - 1
    return f"{start % 100:02d}.0", f"{(start - 1) % 100:02d}.0"


@dataclass(frozen=True)
class ParsedCtf:
    name: str
    file_hash: str
    values: dict[str, Any]


class _Reader:
    """Collects problems against element paths while reading one file."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.name, where, message))

    def text(self, parent: Element | None, path: str) -> str:
        if parent is None:
            return ""
        found = parent.find(path)
        return (found.text or "").strip() if found is not None else ""

    def required(self, parent: Element | None, path: str, where: str) -> Element | None:
        found = parent.find(path) if parent is not None else None
        if found is None:
            self.problem(where, f"the file has no {path.split('/')[-1]} element")
        return found


def _root(data: bytes, reader: _Reader) -> Element | None:
    try:
        root = fromstring(data)
    except (ParseError, DefusedXmlException) as exc:
        reader.problem("file", f"not well-formed XML, or unsafe XML refused ({exc})")
        return None
    if root.tag != "CTfile":
        reader.problem(root.tag, "the root element must be CTfile: this is not a CTF")
        return None
    return root


def _header(root: Element, reader: _Reader, today: date) -> dict[str, str]:
    header = reader.required(root, "Header", "CTfile")
    if header is None:
        return {}
    version = reader.text(header, "CTFversion")
    accepted = accepted_versions(today)
    if version not in accepted:
        reader.problem(
            "Header/CTFversion",
            f"CTF version {version or '(none)'} is not accepted; this year's are "
            f"{' and '.join(accepted)}",
        )
    dest = reader.text(header, "DestSchool/LEA") + reader.text(header, "DestSchool/Estab")
    if dest not in LOST_DESTINATIONS:
        reader.problem(
            "Header/DestSchool",
            f"destination {dest or '(none)'} is not XXXXXXX or MMMMMMM: "
            "only lost-pupil files are loaded here",
        )
    return {
        "ctf_version": version,
        "destination": dest,
        "source_laestab": reader.text(header, "SourceSchool/LEA")
        + reader.text(header, "SourceSchool/Estab"),
        "source_school_name": reader.text(header, "SourceSchool/SchoolName")[:200],
    }


def _address(pupil: Element, reader: _Reader) -> tuple[str, str]:
    address = pupil.find("Address")
    if address is None:
        return "", ""
    bs = address.find("BS7666Address")
    parts = [reader.text(bs, p) for p in BS7666] if bs is not None else []
    lines = address.find("AddressLines")
    parts += [reader.text(lines, p) for p in LINES] if lines is not None else []
    postcode = " ".join(reader.text(address, "PostCode").upper().split())
    return ", ".join(p for p in parts if p)[:300], postcode


def _dated(pupil: Element, reader: _Reader, where: str) -> date | None:
    text = reader.text(pupil, "DOB")
    try:
        dob = parse_date(text)
    except ValueError as exc:
        reader.problem(f"{where}/DOB", f"{text!r} is not a real date ({exc})")
        return None
    if dob is None:
        reader.problem(f"{where}/DOB", "the pupil has no date of birth")
    return dob


def _sex(pupil: Element, reader: _Reader, where: str) -> str:
    tag = "Sex" if pupil.find("Sex") is not None else "Gender"
    text = reader.text(pupil, tag)
    try:
        return parse_sex(text)
    except ValueError as exc:
        reader.problem(f"{where}/{tag}", f"{text!r}: {exc}")
        return "U"


def _upn(pupil: Element, reader: _Reader, where: str) -> str:
    upn = normalise_upn(reader.text(pupil, "UPN"))
    errors = validate_upn(upn) if upn else []
    if errors:
        reader.problem(f"{where}/UPN", " ".join(errors))
    return upn


def _pupil(pupil: Element, reader: _Reader) -> dict[str, Any]:
    where = "CTFpupilData/Pupil"
    address, postcode = _address(pupil, reader)
    values = {
        "upn": _upn(pupil, reader, where),
        "surname": reader.text(pupil, "Surname")[:100],
        "forename": reader.text(pupil, "Forename")[:100],
        "middle_names": reader.text(pupil, "BasicDetails/MiddleNames")[:200],
        "date_of_birth": _dated(pupil, reader, where),
        "sex": _sex(pupil, reader, where),
        "address": address,
        "postcode": postcode[:10],
    }
    if not (values["surname"] or values["forename"]):
        reader.problem(where, "the pupil has neither Surname nor Forename")
    return values


def parse_ctf(data: bytes, name: str, today: date) -> tuple[ParsedCtf | None, list[Problem]]:
    reader = _Reader(name)
    root = _root(data, reader)
    if root is None:
        return None, reader.problems
    values = _header(root, reader, today)
    pupils = root.findall("CTFpupilData/Pupil")
    if not pupils:
        reader.problem("CTFpupilData", "the file has no Pupil")
    elif len(pupils) > 1 and values.get("destination") in LOST_DESTINATIONS:
        reader.problem(
            "CTFpupilData",
            f"{len(pupils)} pupils in a file to {values['destination']}: a lost-pupil file "
            "must hold exactly one pupil (DfE S2S guidance)",
        )
    else:
        values.update(_pupil(pupils[0], reader))
    if reader.problems:
        return None, reader.problems
    return ParsedCtf(name, hashlib.sha256(data).hexdigest(), values), []


@dataclass(frozen=True)
class LostPupilResult:
    files: int
    created: int
    already_loaded: int

    def summary(self) -> str:
        return (
            f"{self.files} file(s) read. Added {self.created} lost pupil(s); "
            f"{self.already_loaded} file(s) had been loaded before."
        )


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
    LostPupil.objects.bulk_create(new.values())
    result = LostPupilResult(len(parsed), len(new), len(parsed) - len(new))
    audit_record(
        actor=by,
        verb=Verb.IMPORT,
        subject_type="lost_pupils",
        details={
            "files": [p.name for p in parsed],
            "created": result.created,
            "already_loaded": result.already_loaded,
        },
    )
    return result
