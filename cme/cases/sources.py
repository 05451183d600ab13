"""The register's own children as a source to search: used by a check and by the search
before a referral becomes a case (cme.referrals.known_children)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Max
from django.utils import timezone

from cme.matching.sources import Source
from cme.people.models import Address, Child, ChildIndexChange, FormerName

from .models import Case

QUERY_PREFIX = "child:"


def matcher_sex(value: str) -> str:
    return "" if value == "U" else value


def shown_fields(row: Any, **extra: Any) -> dict[str, Any]:
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


def version_stamp(qs: Any, field: str) -> tuple[Any, ...]:
    got = qs.aggregate(n=Count("pk"), latest=Max(field))
    return (got["n"], got["latest"])


class RegisterSource(Source):
    """Children already on the CME register, with their cases open and closed.

    Its index is built once per process and changed in place from the child change log
    (cme.people.models.ChildIndexChange): a child added, corrected or removed costs the next
    check one small query and the re-reading of that child, not a rebuild of the register."""

    name = "register"
    label = "CME register (children and cases, open and closed)"

    def latest_change(self) -> int | None:
        return ChildIndexChange.objects.aggregate(latest=Max("pk"))["latest"] or 0

    def changes(self, *, after: int, limit: int) -> list[tuple[int, str]]:
        rows = ChildIndexChange.objects.filter(pk__gt=after).order_by("pk")[:limit]
        return [(pk, str(child_pk)) for pk, child_pk in rows.values_list("pk", "child_pk")]

    def change_log_kept_seconds(self) -> float:
        return float(settings.CME_INDEX_CHANGE_LOG_HOURS) * 3600

    def records(self) -> Iterable[dict[str, Any]]:
        return self._records(Child.objects.all(), Address.objects.all(), FormerName.objects.all())

    def records_of(self, groups: set[str]) -> Iterable[dict[str, Any]]:
        pks = [int(g) for g in groups]
        return self._records(
            Child.objects.filter(pk__in=pks),
            Address.objects.filter(child_id__in=pks),
            FormerName.objects.filter(child_id__in=pks),
        )

    def _records(self, children: Any, addresses: Any, names: Any) -> Iterable[dict[str, Any]]:
        # The latest-begun current address wins (ascending, so it is written last).
        current = {
            a.child_id: a
            for a in addresses.current_on(timezone.localdate()).order_by(
                F("lived_from").asc(nulls_first=True), "pk"
            )
        }
        former: dict[int, list[FormerName]] = {}
        for name in names.order_by("pk"):
            former.setdefault(name.child_id, []).append(name)
        for child in children.order_by("pk").iterator(chunk_size=2000):
            address = current.get(child.pk)
            base = {
                "id": str(child.pk),
                "forename": child.forename,
                "middle_names": child.middle_names,
                "surname": child.surname,
                "date_of_birth": child.date_of_birth,
                "sex": matcher_sex(child.sex),
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
            address = child.current_address(timezone.localdate())
            case = cases.get(pk)
            out[str(pk)] = shown_fields(
                child,
                postcode=address.postcode if address else "",
                address=str(address or ""),
                school="",
                status=f"Case {case.pk}: {case.get_status_display()}" if case else "No case",
                case_id=case.pk if case else None,
            )
        return out


def child_record(child: Child) -> dict[str, Any]:
    """The register's child as a matcher record, with current address.

    Its id is "child:<pk>", so it never equals a row id in another source (the index puts a
    record with the query's own id first).
    """
    address = child.current_address(timezone.localdate())
    return {
        "id": f"{QUERY_PREFIX}{child.pk}",
        "forename": child.forename,
        "middle_names": child.middle_names,
        "surname": child.surname,
        "date_of_birth": child.date_of_birth,
        "sex": matcher_sex(child.sex),
        "postcode": address.postcode if address else "",
        "address": f"{address.line_1} {address.line_2}".strip() if address else "",
        "upn": child.upn,
    }


# Every searchable source, by name, in the order registered. The steps register theirs (the
# check's EMS, S2S and home education, cme.checks.sources) when their app is ready; it lives
# here, below the steps, so that any step can search them all: a check on a case, and the
# officer's check before answering another council's CME4 (cme.enquiries).
_registry: dict[str, type[Source]] = {}


def register(cls: type[Source]) -> type[Source]:
    _registry[cls.name] = cls
    return cls


def all_sources() -> list[Source]:
    """One instance of every registered source, in the order they were registered."""
    return [cls() for cls in _registry.values()]


def get_source(name: str) -> Source:
    return _registry[name]()


register(RegisterSource)
