"""DfE's termly "Elective home education and children missing education" return, counted from
the register as it stood on the census date.

One figure per (collection, breakdown_topic, breakdown), unrounded (DfE rounds), each with the
ids of the children behind it so the team can check it before submitting; the ids never go in
the file. Counting rules (docs/reports.md):

* CME on the census date: a child whose case was referred, checking, locating or engaging at
  the end of that day (cme.reports.history), in Reception to Year 11 that school year (or of
  unknown date of birth); a child in provision or on no open case is not CME.
* EHE on the census date: an entry on the home education register that had started and not
  ended, same year groups. A child who is also CME that day is counted as CME only (DfE: the
  two are mutually exclusive; unsuitable home education is CME).
* Breakdowns, each summing to the total: sex, year group (cme.rules.dfe_return.year_group),
  duration from the day the child became missing education (the first day absent or the day
  they left the roll, if earlier than the case's opening, else the opening) and the primary
  reason (the case's DfE reason, else the council's reason on its first referral, mapped).
* EHE by sex, year group and DfE's primary reason (the entry's, else "Unknown"). An entry
  judged unsuitable by the census date is not EHE (DfE: "should be classified as CME").
* CME at any time in the previous school year, and the EHE flows over it (at any time,
  starts, returns to education, s.437(1) notices, attendance orders issued and revoked).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db.models import OuterRef, Q, Subquery

from cme.cases.models import CaseStatusChange
from cme.checks.models import HomeEducatedChild, HomeEducationNotice, NoticeKind, Suitability
from cme.referrals.models import Referral
from cme.rules import dfe_categories
from cme.rules.dfe_return import (
    DURATIONS,
    EHE_ANY_TIME,
    EHE_FLOWS,
    EHE_RETURNS,
    EHE_S437,
    EHE_SAO_ISSUED,
    EHE_SAO_REVOKED,
    EHE_STARTS,
    SEXES,
    TOTAL,
    YEAR_GROUPS,
    cme_reason_for_return,
    duration_band,
    ehe_reason_for_return,
    previous_academic_year,
    sex_label,
    year_group,
)

from . import history

CME = "CME"
EHE = "EHE"
COLUMNS = ("collection", "breakdown_topic", "breakdown", "child_count")
ANY_TIME = "At any time in previous academic year"


@dataclass(frozen=True)
class Key:
    collection: str
    topic: str
    breakdown: str

    @property
    def slug(self) -> str:
        """A stable, URL-safe name for the figure (no personal data: DfE's words only)."""
        return "~".join(
            part.replace(" ", "_") for part in (self.collection, self.topic, self.breakdown)
        )

    @classmethod
    def from_slug(cls, slug: str) -> Key:
        parts = slug.split("~")
        if len(parts) != 3:
            raise ValueError("not a figure")
        collection, topic, breakdown = (p.replace("_", " ") for p in parts)
        return cls(collection, topic, breakdown)


@dataclass
class Figure:
    key: Key
    # The register's ids behind the figure: case ids for CME, home education entry ids for EHE.
    case_ids: set[int] = field(default_factory=set)
    ehe_ids: set[int] = field(default_factory=set)
    child_count: int = 0


@dataclass
class DfeReturn:
    census_date: date
    figures: dict[Key, Figure]

    def rows(self) -> Iterator[tuple[str, str, str, int]]:
        for key, fig in self.figures.items():
            yield key.collection, key.topic, key.breakdown, fig.child_count

    def count(self, collection: str, topic: str, breakdown: str = TOTAL) -> int:
        return self.figures[Key(collection, topic, breakdown)].child_count


class _Tally:
    """Figures in DfE's order: every value of every breakdown, zero included."""

    def __init__(self) -> None:
        self.figures: dict[Key, Figure] = {}

    def declare(self, collection: str, topic: str, values: Iterable[str]) -> None:
        for value in values:
            key = Key(collection, topic, value)
            self.figures[key] = Figure(key)

    def add(self, collection: str, topic: str, value: str, *, person: int, ehe: bool) -> None:
        figure = self.figures[Key(collection, topic, value)]
        (figure.ehe_ids if ehe else figure.case_ids).add(person)
        figure.child_count += 1


def _first_referral_reason() -> Subquery:
    return Subquery(
        Referral.objects.filter(case=OuterRef("pk"))
        .order_by("received_on", "id")
        .values("reason")[:1]
    )


def _spell_starts(case_ids: list[int], day: date) -> dict[int, tuple[date, bool]]:
    """case id -> (the day its current spell of missing education began, whether that spell
    began when the case opened), from the status history up to `day`. A spell begins when the
    case opens, or when it moves back into a CME status after being closed or in provision."""
    starts: dict[int, tuple[date, bool]] = {}
    previous: dict[int, str] = {}
    changes = (
        CaseStatusChange.objects.filter(case_id__in=case_ids, effective_on__lte=day)
        .order_by("case_id", "effective_on", "id")
        .values_list("case_id", "status", "effective_on")
    )
    for case_id, status, on in changes.iterator(chunk_size=5000):
        was = previous.get(case_id)
        if status in history.CME_STATUSES and (was is None or was not in history.CME_STATUSES):
            starts[case_id] = (on, was is None)
        previous[case_id] = status
    return starts


def _cme_on(day: date) -> dict[int, tuple[int, str, str, str, date]]:
    """child id -> (case id, sex, year group, reason, missing since), for CME on `day`.

    Missing since: the start of the current spell; for a spell that began when the case
    opened, the child's first day absent or the day they left the roll if earlier."""
    rows = list(
        history.cme_cases_on(day)
        .annotate(council_reason=_first_referral_reason())
        .values_list(
            "pk",
            "child_id",
            "child__sex",
            "child__date_of_birth",
            "cme_reason",
            "council_reason",
            "first_day_absent",
            "left_roll_on",
        )
        .order_by("pk")
    )
    starts = _spell_starts([row[0] for row in rows], day)
    found: dict[int, tuple[int, str, str, str, date]] = {}
    for pk, child_id, sex, dob, recorded, council, absent, left in rows:
        group = year_group(dob, on=day)
        if group is None or child_id in found:
            continue
        since, from_opening = starts[pk]
        if from_opening:
            since = min([since, *(d for d in (absent, left) if d is not None)])
        found[child_id] = (
            pk,
            sex_label(sex),
            group,
            cme_reason_for_return(recorded, council),
            since,
        )
    return found


def dfe_return(census_date: date) -> DfeReturn:
    """Every figure of the return for `census_date`. Validation of the date is the caller's
    (cme.reports.census)."""
    tally = _Tally()
    tally.declare(CME, "Total", [TOTAL])
    tally.declare(CME, "Sex", SEXES)
    tally.declare(CME, "Year group", YEAR_GROUPS)
    tally.declare(CME, "Duration", DURATIONS)
    tally.declare(CME, "Reason", dfe_categories.CME_REASONS)
    cme = _cme_on(census_date)
    for case_id, sex, group, reason, since in cme.values():
        for topic, value in (
            ("Total", TOTAL),
            ("Sex", sex),
            ("Year group", group),
            ("Duration", duration_band(since, on=census_date)),
            ("Reason", reason),
        ):
            tally.add(CME, topic, value, person=case_id, ehe=False)
    _any_time(tally, census_date)
    _ehe(tally, census_date, set(cme))
    _ehe_flows(tally, census_date)
    return DfeReturn(census_date=census_date, figures=tally.figures)


def _any_time(tally: _Tally, census_date: date) -> None:
    first, last = previous_academic_year(census_date)
    tally.declare(CME, ANY_TIME, [TOTAL])
    seen: set[int] = set()
    rows = history.cme_cases_during(first, last).values_list(
        "pk", "child_id", "child__date_of_birth"
    )
    for pk, child_id, dob in rows.order_by("pk"):
        if child_id in seen or year_group(dob, on=first) is None:
            continue
        seen.add(child_id)
        tally.add(CME, ANY_TIME, TOTAL, person=pk, ehe=False)


def _not_unsuitable_by(day: date) -> Q:
    """Entries not judged unsuitable by `day`: DfE counts unsuitable home education as CME."""
    return ~Q(suitability=Suitability.UNSUITABLE, suitability_judged_on__lte=day)


def _ehe(tally: _Tally, census_date: date, cme_children: set[int]) -> None:
    tally.declare(EHE, "Total", [TOTAL])
    tally.declare(EHE, "Sex", SEXES)
    tally.declare(EHE, "Year group", YEAR_GROUPS)
    tally.declare(EHE, "Reason", dfe_categories.EHE_REASONS)
    entries = (
        history.home_educated_on(census_date)
        .filter(_not_unsuitable_by(census_date))
        .values_list("pk", "child_id", "sex", "date_of_birth", "reason")
    )
    for pk, child_id, sex, dob, reason in entries.order_by("pk"):
        group = year_group(dob, on=census_date)
        # Missing education that day (a case open for them): CME only, the two are exclusive.
        if group is None or (child_id is not None and child_id in cme_children):
            continue
        for topic, value in (
            ("Total", TOTAL),
            ("Sex", sex_label(sex)),
            ("Year group", group),
            ("Reason", ehe_reason_for_return(reason)),
        ):
            tally.add(EHE, topic, value, person=pk, ehe=True)


def _ehe_flows(tally: _Tally, census_date: date) -> None:
    """DfE's EHE flows over the school year before the census (ehe_academic_year.csv): each
    counts entries of children of compulsory school age on the day that counts (the start of
    the year for "at any time", else the day of the start, end or notice)."""
    first, last = previous_academic_year(census_date)
    for topic in EHE_FLOWS:
        tally.declare(EHE, topic, [TOTAL])
    entries = HomeEducatedChild.objects
    overlapping = entries.filter(started_on__lte=last).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=first)
    )
    flows: list[tuple[str, Iterable[tuple[int, date | None, date | None]]]] = [
        (
            EHE_ANY_TIME,
            (
                (pk, dob, max(started, first))
                for pk, dob, started in overlapping.filter(_not_unsuitable_by(first))
                .values_list("pk", "date_of_birth", "started_on")
                .order_by("pk")
            ),
        ),
        (
            EHE_STARTS,
            entries.filter(started_on__gte=first, started_on__lte=last)
            .values_list("pk", "date_of_birth", "started_on")
            .order_by("pk"),
        ),
        (
            EHE_RETURNS,
            entries.filter(returned_to_school=True, ended_on__gte=first, ended_on__lte=last)
            .values_list("pk", "date_of_birth", "ended_on")
            .order_by("pk"),
        ),
    ]
    for topic, kind in (
        (EHE_S437, NoticeKind.S437_NOTICE),
        (EHE_SAO_ISSUED, NoticeKind.SAO_ISSUED),
        (EHE_SAO_REVOKED, NoticeKind.SAO_REVOKED),
    ):
        flows.append(
            (
                topic,
                HomeEducationNotice.objects.filter(kind=kind, on__gte=first, on__lte=last)
                .values_list("entry_id", "entry__date_of_birth", "on")
                .order_by("entry_id", "on"),
            )
        )
    for topic, rows in flows:
        seen: set[int] = set()
        for pk, dob, on in rows:
            if pk in seen or on is None or year_group(dob, on=on) is None:
                continue
            seen.add(pk)
            tally.add(EHE, topic, TOTAL, person=pk, ehe=True)


def by_topic(result: DfeReturn) -> dict[tuple[str, str], list[Figure]]:
    """The figures grouped by (collection, topic), in order, for pages and checks."""
    grouped: dict[tuple[str, str], list[Figure]] = defaultdict(list)
    for key, fig in result.figures.items():
        grouped[(key.collection, key.topic)].append(fig)
    return dict(grouped)


cme_children_on = _cme_on  # the public name, for the partner extracts
