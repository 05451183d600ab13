"""Every child the council knows is not in school, as the children not in school register
will hold them (cme.rules.not_in_school: EA 1996 s.436B, not yet in force).

Who is on it, today: a child of compulsory school age (s.436B(4)) with an open case that is
missing education (referred, checking, locating, engaging), or in provision the council
arranged that is not a school (tuition, alternative provision with no URN: a placement
started and not ended); or on the home education register (started, not ended). One line per
child: a home education entry linked to a register child is part of that child's line; an
entry not linked to one is a line of its own. Lives in the area (s.436B(3)): as far as the
register knows, its cases and entries are the council's.

Paged in the database (children and unlinked entries, one ordered UNION), so a page costs the
same whatever the register holds. The caller checks who may read it and audits what it shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Value

from cme.cases.models import Case, CaseStatus
from cme.checks.models import HomeEducatedChild, Suitability
from cme.people.models import Address, Carer, Child
from cme.provision.models import Placement, PlacementState
from cme.rules.not_in_school import WHY_LABELS, Why
from cme.rules.school_age import born_between

from .history import CME_STATUSES

STARTED = (PlacementState.WATCHING, PlacementState.ATTENDING)


@dataclass(frozen=True)
class Source:
    """One reason the child is on the register, with the record it comes from."""

    why: Why
    since: date | None
    detail: str  # the case's status, the provision, the home education entry's judgement
    case_id: int | None = None
    entry_id: int | None = None

    @property
    def label(self) -> str:
        return WHY_LABELS[self.why]


@dataclass(frozen=True)
class Parent:
    name: str
    relationship: str
    address: str  # "" when the register holds none


@dataclass(frozen=True)
class Provider:
    """Provision the council arranged outside a school. Its address is not recorded."""

    name: str
    kind: str
    started_on: date | None


@dataclass(frozen=True)
class Line:
    """One child on the register; a field the council does not hold is empty."""

    name: str
    child_id: int | None
    sources: list[Source]
    date_of_birth: date | None
    home_address: str
    do_not_share: bool  # the CME team sees it; it must not leave the team
    parents: list[Parent] | None  # None: the register holds no parents for this child
    providers: list[Provider]
    sex: str
    sen: str
    care: str
    audit: list[tuple[str, int, int | None]] = field(default_factory=list)


def _listed_cases() -> QuerySet[Case]:
    """Open cases that put a child on the register: missing education, or placed in provision
    that is not a school and has started."""
    outside_school = Placement.objects.filter(
        case=OuterRef("pk"), state__in=STARTED, school__isnull=True
    )
    return Case.objects.filter(
        Q(status__in=CME_STATUSES) | Q(status=CaseStatus.IN_PROVISION) & Exists(outside_school)
    )


def _active_entries() -> QuerySet[HomeEducatedChild]:
    return HomeEducatedChild.objects.filter(ended_on__isnull=True)


def _of_school_age(prefix: str, on: date) -> Q:
    earliest, latest = born_between(on)
    return Q(**{f"{prefix}__isnull": True}) | Q(**{f"{prefix}__range": (earliest, latest)})


def register_keys(today: date) -> QuerySet[Any]:
    """Each line's key (surname, forename, pk, kind), by surname then forename; kind "child"
    for a register child, "entry" for a home education entry linked to none."""
    # IN (subquery), not EXISTS per child: PostgreSQL hashes each list of child ids once
    # rather than probing it for each of the register's children.
    children = (
        Child.objects.filter(
            Q(pk__in=_listed_cases().values("child_id"))
            | Q(pk__in=_active_entries().filter(child__isnull=False).values("child_id"))
        )
        .filter(_of_school_age("date_of_birth", today))
        .annotate(kind=Value("child"))
        .order_by()
        .values_list("surname", "forename", "pk", "kind")
    )
    entries = (
        _active_entries()
        .filter(child__isnull=True)
        .filter(_of_school_age("date_of_birth", today))
        .annotate(kind=Value("entry"))
        .order_by()
        .values_list("surname", "forename", "pk", "kind")
    )
    return children.union(entries, all=True).order_by("surname", "forename", "kind", "pk")


def _current_address(child: Child, today: date) -> Address | None:
    current = [a for a in child.addresses.all() if a.period(today) == "current"]
    return current[0] if current else None


def _sen(sen_support: bool, ehcp: bool) -> str:
    if ehcp:
        return "EHC plan"
    return "SEN support" if sen_support else "None recorded"


def _care(child: Child) -> str:
    held = [
        label
        for flag, label in (
            (child.looked_after, "Looked after"),
            (child.child_in_need, "Child in need plan"),
            (child.child_protection_plan, "Child protection plan"),
        )
        if flag
    ]
    return ", ".join(held) or "None recorded"


def _entry_source(entry: HomeEducatedChild) -> Source:
    detail = entry.get_suitability_display()
    if entry.suitability == Suitability.UNSUITABLE and entry.suitability_judged_on:
        detail = f"Judged not suitable on {entry.suitability_judged_on:%-d %B %Y}"
    return Source(Why.HOME_EDUCATED, entry.started_on, detail, entry_id=entry.pk)


def _child_line(child: Child, today: date) -> Line:
    sources: list[Source] = []
    providers: list[Provider] = []
    audit: list[tuple[str, int, int | None]] = []
    for case in child.cases.all():  # prefetched: the listed cases only
        audit.append(("case", case.pk, child.pk))
        outside = list(case.placements.all())  # prefetched: started, not at a school
        if case.status == CaseStatus.IN_PROVISION and outside:
            placement = outside[0]
            sources.append(
                Source(
                    Why.EDUCATED_OTHERWISE,
                    placement.start_on,
                    f"{placement.get_provider_kind_display()}: {placement.provider_name}",
                    case_id=case.pk,
                )
            )
        else:
            sources.append(
                Source(
                    Why.MISSING_EDUCATION,
                    case.opened_on,
                    case.get_status_display(),
                    case_id=case.pk,
                )
            )
        providers += [
            Provider(p.provider_name, p.get_provider_kind_display(), p.start_on) for p in outside
        ]
    for entry in child.home_education_entries.all():  # prefetched: active ones
        audit.append(("homeeducatedchild", entry.pk, child.pk))
        sources.append(_entry_source(entry))
    address = _current_address(child, today)
    home = str(address) if address else ""
    # s.576: a parent is anyone with parental responsibility or care of the child, so every
    # current carer; one the child lives with, with no address of their own, lives at theirs.
    parents = [
        Parent(c.name, c.relationship, c.address or (home if c.lives_with_child else ""))
        for c in child.carers.all()
    ]
    return Line(
        name=f"{child.surname.upper()}, {child.forename}",
        child_id=child.pk,
        sources=sources,
        date_of_birth=child.date_of_birth,
        home_address=home,
        do_not_share=bool(address and address.do_not_share),
        parents=parents,
        providers=providers,
        sex=child.get_sex_display(),
        sen=_sen(child.sen_support, child.ehcp),
        care=_care(child),
        audit=audit,
    )


def _entry_line(entry: HomeEducatedChild) -> Line:
    address = ", ".join(p for p in (entry.address, entry.postcode) if p)
    return Line(
        name=f"{entry.surname.upper()}, {entry.forename}",
        child_id=None,
        sources=[_entry_source(entry)],
        date_of_birth=entry.date_of_birth,
        home_address=address,
        do_not_share=False,
        parents=None,  # the home education register holds no parents
        providers=[],
        sex=entry.get_sex_display(),
        sen="",
        care="",
        audit=[("homeeducatedchild", entry.pk, None)],
    )


def register_page(*, today: date, page_number: int | str) -> tuple[Page[Any], list[Line]]:
    """One page of the register: the paginator's page (for its numbers) and its lines."""
    page = Paginator(register_keys(today), settings.CME_PAGE_SIZE).get_page(page_number)
    keys = list(page.object_list)
    child_ids = [pk for _, _, pk, kind in keys if kind == "child"]
    entry_ids = [pk for _, _, pk, kind in keys if kind == "entry"]
    placements = Placement.objects.filter(state__in=STARTED, school__isnull=True).order_by(
        "-start_on", "-id"
    )
    children = {
        child.pk: child
        for child in Child.objects.filter(pk__in=child_ids).prefetch_related(
            Prefetch(
                "cases",
                queryset=_listed_cases()
                .prefetch_related(Prefetch("placements", queryset=placements))
                .order_by("opened_on", "id"),
            ),
            Prefetch("home_education_entries", queryset=_active_entries().order_by("started_on")),
            Prefetch("addresses", queryset=Address.objects.order_by("-lived_from", "-id")),
            Prefetch("carers", queryset=Carer.objects.filter(ended_on__isnull=True)),
        )
    }
    entries = {e.pk: e for e in HomeEducatedChild.objects.filter(pk__in=entry_ids)}
    lines = [
        _child_line(children[pk], today) if kind == "child" else _entry_line(entries[pk])
        for _, _, pk, kind in keys
    ]
    return page, lines


# Where the register holds each field of s.436C (cme.rules.not_in_school.FIELDS); a field not
# here is not held, and is blank on every line.
HELD_FROM: dict[str, str] = {
    "name": "The child's record, or the home education register",
    "date_of_birth": "The child's record, or the home education register",
    "home_address": "The child's current address, or the home education register's",
    "parents": (
        "The parents and carers on the child's record (the home education register holds none)"
    ),
    "providers": (
        "Tuition or alternative provision the council arranged: name, type and start date "
        "(not its address)"
    ),
    "sex": "The child's record, or the home education register",
    "sen": "The child's record",
    "care": "The child's record",
}
