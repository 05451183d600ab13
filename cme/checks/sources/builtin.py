"""The four sources of the policy's checking step: the register, EMS, S2S lost pupils, EHE."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from cme.cases.sources import (
    RegisterSource,
    child_record,
    matcher_sex,
    shown_fields,
    version_stamp,
)
from cme.matching.sources import Source

from ..models import HomeEducatedChild, LostPupil, PupilOnRoll
from .registry import register

PERSON = ("forename", "middle_names", "surname", "date_of_birth", "sex", "postcode", "address")


def _person(row: Any, **extra: Any) -> dict[str, Any]:
    record = {name: getattr(row, name, "") for name in PERSON}
    record["sex"] = matcher_sex(record["sex"])
    record["id"] = str(row.pk)
    record.update(extra)
    return record


# The register's own children are a source too; they live (and are registered) in cases.


@register
class EmsSource(Source):
    """Pupils on roll in the LA's schools, with attendance and exclusions (EMS extract)."""

    name = "ems"
    label = "EMS: pupils on roll, attendance and exclusions"
    on_roll = True

    def version(self) -> Any:
        return version_stamp(PupilOnRoll.objects.all(), "updated_at")

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
            left_on = pupil.leaving_date
            status = f"Left {left_on.day} {left_on:%B %Y}" if left_on and left else "On roll"
            if pupil.attendance_percent is not None:
                status += f"; attendance {pupil.attendance_percent}%"
            if pupil.exclusion_type:
                status += f"; {pupil.exclusion_type}"
                if pupil.exclusion_start:
                    status += f" from {pupil.exclusion_start.day} {pupil.exclusion_start:%B %Y}"
            out[str(pk)] = shown_fields(
                pupil,
                school=pupil.establishment.name,
                urn=pupil.establishment.urn,
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
        return version_stamp(LostPupil.objects.all(), "loaded_at")

    def records(self) -> Iterable[dict[str, Any]]:
        for pupil in LostPupil.objects.all().iterator(chunk_size=2000):
            yield _person(pupil, upn=pupil.upn)

    def details(self, record_ids: list[str]) -> dict[str, dict[str, Any]]:
        rows = LostPupil.objects.in_bulk([int(i) for i in record_ids])
        return {
            str(pk): shown_fields(
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
        return version_stamp(HomeEducatedChild.objects.all(), "updated_at")

    def records(self) -> Iterable[dict[str, Any]]:
        for child in HomeEducatedChild.objects.all().iterator(chunk_size=2000):
            yield _person(child)

    def details(self, record_ids: list[str]) -> dict[str, dict[str, Any]]:
        rows = HomeEducatedChild.objects.in_bulk([int(i) for i in record_ids])
        return {
            str(pk): shown_fields(
                c,
                school="Home educated",
                status=f"{c.get_status_display()} since {c.started_on.day} {c.started_on:%B %Y}"
                + (f", ended {c.ended_on.day} {c.ended_on:%B %Y}" if c.ended_on else ""),
            )
            for pk, c in rows.items()
        }


__all__ = [
    "EmsSource",
    "HomeEducationSource",
    "LostPupilSource",
    "RegisterSource",
    "child_record",
]
