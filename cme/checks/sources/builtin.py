"""The four sources of the policy's checking step: the register, EMS, S2S lost pupils, EHE."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Count, Max
from django.utils import timezone

from cme.cases.models import Case
from cme.people.models import Address, Child, FormerName

from ..models import HomeEducatedChild, LostPupil, PupilOnRoll
from .base import Source, register

QUERY_PREFIX = "child:"
PERSON = ("forename", "middle_names", "surname", "date_of_birth", "sex", "postcode", "address")


def _sex(value: str) -> str:
    return "" if value == "U" else value


def _person(row: Any, **extra: Any) -> dict[str, Any]:
    record = {name: getattr(row, name, "") for name in PERSON}
    record["sex"] = _sex(record["sex"])
    record["id"] = str(row.pk)
    record.update(extra)
    return record


def _shown(row: Any, **extra: Any) -> dict[str, Any]:
    """The fields shown side by side with the child, as plain strings."""
    dob: date | None = row.date_of_birth
    return {
        "name": " ".join(p for p in (row.forename, row.middle_names, row.surname) if p),
        "date_of_birth": dob.isoformat() if dob else "",
        "sex": row.get_sex_display(),
        "postcode": getattr(row, "postcode", ""),
        "address": getattr(row, "address", ""),
        "upn": getattr(row, "upn", ""),
        **extra,
    }


def _stamp(qs: Any, field: str) -> tuple[Any, ...]:
    got = qs.aggregate(n=Count("pk"), latest=Max(field))
    return (got["n"], got["latest"])


@register
class RegisterSource(Source):
    """Children already on the CME register, with their cases open and closed."""

    name = "register"
    label = "CME register (children and cases, open and closed)"

    def version(self) -> Any:
        return (
            _stamp(Child.objects.all(), "updated_at"),
            Address.objects.count(),
            FormerName.objects.count(),
        )

    def records(self) -> Iterable[dict[str, Any]]:
        current = {
            a.child_id: a
            for a in Address.objects.filter(lived_until__isnull=True).order_by("lived_from")
        }
        former: dict[int, list[FormerName]] = {}
        for name in FormerName.objects.all():
            former.setdefault(name.child_id, []).append(name)
        for child in Child.objects.all().iterator(chunk_size=2000):
            address = current.get(child.pk)
            base = {
                "id": str(child.pk),
                "forename": child.forename,
                "middle_names": child.middle_names,
                "surname": child.surname,
                "date_of_birth": child.date_of_birth,
                "sex": _sex(child.sex),
                "postcode": address.postcode if address else "",
                "address": f"{address.line_1} {address.line_2}".strip() if address else "",
                "upn": child.upn,
            }
            yield base
            for n, name in enumerate(former.get(child.pk, []), start=1):
                yield {
                    **base,
                    "id": f"{child.pk}~{n}",
                    "forename": name.forename or child.forename,
                    "surname": name.surname or child.surname,
                }

    def excluded(self, child_record: dict[str, Any]) -> set[str]:
        return {str(child_record.get("id", "")).removeprefix(QUERY_PREFIX)}

    def details(self, record_ids: list[str]) -> dict[str, dict[str, Any]]:
        children = Child.objects.in_bulk([int(i) for i in record_ids])
        cases: dict[int, Case] = {}
        for row in Case.objects.filter(child_id__in=children).order_by("opened_on"):
            cases[row.child_id] = row  # the latest wins
        out = {}
        for pk, child in children.items():
            address = child.addresses.filter(lived_until__isnull=True).first()
            case = cases.get(pk)
            out[str(pk)] = _shown(
                child,
                postcode=address.postcode if address else "",
                address=str(address or ""),
                school="",
                status=f"Case {case.pk}: {case.get_status_display()}" if case else "No case",
                case_id=case.pk if case else None,
            )
        return out


@register
class EmsSource(Source):
    """Pupils on roll in the LA's schools, with attendance and exclusions (EMS extract)."""

    name = "ems"
    label = "EMS: pupils on roll, attendance and exclusions"
    on_roll = True

    def version(self) -> Any:
        return _stamp(PupilOnRoll.objects.all(), "updated_at")

    def records(self) -> Iterable[dict[str, Any]]:
        for pupil in PupilOnRoll.objects.all().iterator(chunk_size=2000):
            yield _person(pupil, upn=pupil.upn)

    def details(self, record_ids: list[str]) -> dict[str, dict[str, Any]]:
        today = timezone.localdate()
        rows = PupilOnRoll.objects.select_related("establishment").in_bulk(
            [int(i) for i in record_ids]
        )
        out = {}
        for pk, pupil in rows.items():
            left = pupil.leaving_date is not None and pupil.leaving_date <= today
            status = f"Left {pupil.leaving_date:%d %b %Y}" if left else "On roll"
            if pupil.attendance_percent is not None:
                status += f"; attendance {pupil.attendance_percent}%"
            if pupil.exclusion_type:
                status += f"; {pupil.exclusion_type}"
                if pupil.exclusion_start:
                    status += f" from {pupil.exclusion_start:%d %b %Y}"
            out[str(pk)] = _shown(
                pupil,
                school=pupil.establishment.name,
                status=status,
                on_roll=not left,
            )
        return out


@register
class LostPupilSource(Source):
    """Pupils from S2S lost-pupil CTF files (XXXXXXX / MMMMMMM)."""

    name = "lost_pupils"
    label = "S2S lost pupil database"

    def version(self) -> Any:
        return _stamp(LostPupil.objects.all(), "loaded_at")

    def records(self) -> Iterable[dict[str, Any]]:
        for pupil in LostPupil.objects.all().iterator(chunk_size=2000):
            yield _person(pupil, upn=pupil.upn)

    def details(self, record_ids: list[str]) -> dict[str, dict[str, Any]]:
        rows = LostPupil.objects.in_bulk([int(i) for i in record_ids])
        return {
            str(pk): _shown(
                p,
                school=p.source_school_name or p.source_laestab,
                status=f"CTF to {p.destination} ({p.get_destination_display().lower()}), "
                f"file {p.source_file}",
            )
            for pk, p in rows.items()
        }


@register
class HomeEducationSource(Source):
    """The elective home education register kept in the app."""

    name = "home_education"
    label = "Elective home education register"

    def version(self) -> Any:
        return _stamp(HomeEducatedChild.objects.all(), "updated_at")

    def records(self) -> Iterable[dict[str, Any]]:
        for child in HomeEducatedChild.objects.all().iterator(chunk_size=2000):
            yield _person(child)

    def details(self, record_ids: list[str]) -> dict[str, dict[str, Any]]:
        rows = HomeEducatedChild.objects.in_bulk([int(i) for i in record_ids])
        return {
            str(pk): _shown(
                c,
                school="Home educated",
                status=f"{c.get_status_display()} since {c.started_on:%d %b %Y}"
                + (f", ended {c.ended_on:%d %b %Y}" if c.ended_on else ""),
            )
            for pk, c in rows.items()
        }


def child_record(child: Child) -> dict[str, Any]:
    """The register's child as a matcher record, with current address.

    Its id is "child:<pk>", so it never equals a row id in another source (the index puts a
    record with the query's own id first).
    """
    address = child.addresses.filter(lived_until__isnull=True).first()
    return {
        "id": f"{QUERY_PREFIX}{child.pk}",
        "forename": child.forename,
        "middle_names": child.middle_names,
        "surname": child.surname,
        "date_of_birth": child.date_of_birth,
        "sex": _sex(child.sex),
        "postcode": address.postcode if address else "",
        "address": f"{address.line_1} {address.line_2}".strip() if address else "",
        "upn": child.upn,
    }


__all__ = [
    "EmsSource",
    "HomeEducationSource",
    "LostPupilSource",
    "RegisterSource",
    "child_record",
]
