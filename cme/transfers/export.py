"""A one-pupil CTF for a child the council holds: the original forwarded, or one written anew.

Where the register keeps an original file for the child (a lost pupil file confirmed as the
child, or one the last school uploaded), that file is forwarded, re-addressed and dated now, so
every block the school sent goes on. Otherwise a file is written from the register's record:
names, date of birth, sex, UPN, current address and carers, in this year's version, sent as
from the child's last school (a CTF names its sending school; the register knows no other).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from cme.audit.models import Verb
from cme.audit.services import audit_record
from cme.core.errors import NotAllowed
from cme.ctf import (
    Address,
    Contact,
    CtfError,
    CtfFile,
    Header,
    Pupil,
    School,
    is_laestab_code,
    name_for,
    read_ctf,
    readdress,
    sex_element_for,
    version_for,
    write_ctf,
)
from cme.ctf.versions import academic_year
from cme.people.ctf_store import child_ctf_latest, ctf_read
from cme.people.models import Child
from cme.schools.models import Establishment

from .selectors import is_cme_team


@dataclass(frozen=True)
class ExportedCtf:
    name: str
    data: bytes
    forwarded: bool  # True: the original file re-addressed; False: written from the register


def _destination(to: str) -> str:
    code = "".join(to.split()).upper()
    if not is_laestab_code(code):
        raise ValidationError({"to": ["Give a 7-digit LAESTAB, XXXXXXX or MMMMMMM"]})
    if code.isdigit() and not Establishment.objects.filter(laestab=code).exists():
        raise ValidationError(
            {"to": [f"LAESTAB {code} is not a school in the establishments list"]}
        )
    return code


def _last_school(child: Child) -> Establishment:
    case = child.cases.exclude(school__isnull=True).select_related("school").order_by("-opened_on")
    first = case.first()
    if first is None or first.school is None:
        raise ValidationError(
            "The register does not know this child's last school, and a CTF must name the school "
            "that sends it. Record the school on the child's case first."
        )
    return first.school


def _from_register(child: Child, *, to: str, at: datetime) -> CtfFile:
    school = _last_school(child)
    version = version_for(at.date())
    address = child.current_address(at.date())
    pupil = Pupil(
        surname=child.surname,
        forename=child.forename,
        middle_names=child.middle_names,
        date_of_birth=child.date_of_birth,
        sex="" if child.sex == "U" else child.sex,
        sex_element=sex_element_for(version),
        upn=child.upn,
        former_surnames=tuple(n.surname for n in child.former_names.all() if n.surname),
        address=Address(
            lines=tuple(p for p in (address.line_1, address.line_2, address.town) if p),
            postcode=address.postcode,
        )
        if address
        else None,
        contacts=tuple(
            Contact(order=n, surname=carer.name, relationship=carer.relationship)
            for n, carer in enumerate(child.carers.all(), start=1)
        ),
    )
    header = Header(
        version=version,
        date_time=at.replace(tzinfo=None, microsecond=0),
        document_qualifier="full",
        source=School(
            lea=school.laestab[:3],
            estab=school.laestab[3:],
            urn=str(school.urn),
            name=school.name,
            academic_year=academic_year(at.date()),
        ),
        destination=School(lea=to[:3], estab=to[3:]),
    )
    return CtfFile(header=header, pupils=(pupil,))


def child_ctf_export(
    *, user: Any, child: Child, to: str, at: datetime | None = None
) -> ExportedCtf:
    """One correctly named one-pupil file for the child, to `to`; the CME team only, audited."""
    if user is not None and not is_cme_team(user):
        raise NotAllowed
    code = _destination(to)
    when = timezone.localtime(at or timezone.now())
    original = child_ctf_latest(child=child)
    try:
        if original is not None:
            data = ctf_read(user=user, stored=original, purpose=f"forward to {code}")
            file = readdress(read_ctf(data, today=when.date()), to=code, at=when)
        else:
            file = readdress(_from_register(child, to=code, at=when), to=code, at=when)
        out = write_ctf(file)
    except CtfError as error:
        raise ValidationError([str(p) for p in error.problems]) from None
    result = ExportedCtf(name=name_for(file), data=out, forwarded=original is not None)
    audit_record(
        actor=user,
        verb=Verb.EXPORT,
        subject=child,
        child_id=child.pk,
        details={"ctf_to": code, "file": result.name, "forwarded": result.forwarded},
    )
    return result
