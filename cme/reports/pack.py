"""The management team's pack and the annual report: the register's numbers over a period.

The policy: "the numbers and status of children on the CME database and the progress into
provision will be reported on a regular basis to the Children's Services Management Team,
annually for wider circulation". The annual report is the pack for a whole school year.

Each section is a table of counts (rows, one or more value columns) that the dashboard draws
as a chart beside the same table, and that the CSV, XLSX and PDF downloads write. Aggregate
only: no child is named in the pack. Counting rules in docs/reports.md.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count, Q

from cme.cases.models import Case, CaseStatus, CaseStatusChange, DueItem, Outcome
from cme.enquiries.models import Enquiry, State
from cme.provision.selectors import median_days_to_provision, provision_starts
from cme.referrals.models import Reason, Referral, Route
from cme.roll.models import (
    AttendanceReturn,
    DeletionReturn,
    DirectionStatus,
    Lawfulness,
    NewPupilReturn,
    SicknessReturn,
)
from cme.rules.calendar import academic_year_of
from cme.rules.dfe_return import school_year_start
from cme.schools.models import Establishment

from . import history

CHILDREN = "Children"
CASES = "Cases"


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    what: str  # what is counted, in a sentence, for the page and the downloads
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[int, ...]], ...]
    chart: str = "bar"  # "bar": one bar per row; "line": each row a line over the columns
    notes: tuple[str, ...] = ()

    def total(self, column: int = 0) -> int:
        return sum(values[column] for _, values in self.rows)


@dataclass(frozen=True)
class Pack:
    period_from: date
    period_to: date
    today: date
    sections: list[Section] = field(default_factory=list)

    @property
    def is_annual(self) -> bool:
        first = date(school_year_start(self.period_from), 8, 1)
        return self.period_from == first and self.period_to == date(first.year + 1, 7, 31)

    @property
    def title(self) -> str:
        if self.is_annual:
            return f"Annual report {academic_year_of(self.period_from)}"
        return f"Management team pack, {_long(self.period_from)} to {_long(self.period_to)}"

    def section(self, slug: str) -> Section:
        return next(s for s in self.sections if s.slug == slug)


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _labelled(counts: Counter[str], choices: Iterable[tuple[str, str]]) -> tuple:
    """Every choice in its order, zeros included, then anything not among them."""
    known = [(label, (counts.get(value, 0),)) for value, label in choices]
    values = {value for value, _ in choices}
    extra = [(str(v or "Not recorded"), (n,)) for v, n in counts.items() if v not in values]
    return tuple(known + extra)


def register_status(on: date) -> Section:
    """Children on the register at the end of `on`, by their case's status then."""
    by_status: dict[str, set[int]] = {}
    cases = (
        Case.objects.filter(opened_on__lte=on)
        .annotate(status_then=history.status_on(on))
        .filter(status_then__in=history.REGISTER_STATUSES)
    )
    for status, child_id in cases.values_list("status_then", "child_id"):
        by_status.setdefault(status, set()).add(child_id)
    rows = [
        (label, (len(by_status.get(value, ())),))
        for value, label in CaseStatus.choices
        if value in history.REGISTER_STATUSES
    ]
    ehe = history.home_educated_on(on).count()
    return Section(
        "register",
        "Children on the register",
        f"Children on the CME register at the end of {_long(on)}, by the status of their case "
        "then; a child with two open cases counts under each.",
        (CHILDREN,),
        tuple(rows),
        notes=(
            f"Also on the home education register that day: {ehe} "
            f"{'child' if ehe == 1 else 'children'}.",
        ),
    )


def referrals_by(first: date, last: date, by: str) -> Section:
    counts = Counter(
        dict(
            Referral.objects.filter(received_on__gte=first, received_on__lte=last)
            .values_list(by)
            .annotate(n=Count("pk"))
            .values_list(by, "n")
        )
    )
    choices = Route.choices if by == "route" else Reason.choices
    words = "route (how it reached the team)" if by == "route" else "the reason given"
    return Section(
        f"referrals-{by}",
        f"New referrals by {'route' if by == 'route' else 'reason'}",
        f"Referrals received from {_long(first)} to {_long(last)}, by {words}.",
        ("Referrals",),
        _labelled(counts, choices),
    )


def closures(first: date, last: date) -> Section:
    counts = Counter(
        dict(
            CaseStatusChange.objects.filter(
                status=CaseStatus.CLOSED, effective_on__gte=first, effective_on__lte=last
            )
            .values_list("outcome")
            .annotate(n=Count("pk"))
            .values_list("outcome", "n")
        )
    )
    return Section(
        "closures",
        "Closures by outcome",
        f"Cases closed from {_long(first)} to {_long(last)} (on the day each closure took "
        "effect), by outcome. A case closed, reopened and closed again counts each time.",
        (CASES,),
        _labelled(counts, Outcome.choices),
    )


PROVISION_BANDS: tuple[tuple[str, int | None], ...] = (
    ("Under 2 weeks", 14),
    ("2 to 4 weeks", 28),
    ("1 to 3 months", 91),
    ("3 to 6 months", 182),
    ("Over 6 months", None),
)


def time_to_provision(first: date, last: date) -> Section:
    """The policy's "progress into provision": from the first referral (or the opening) to the
    day the child started at the place or provision the council recorded (cme.provision), for
    the starts from `first` to `last`, each case's first start in the period once."""
    starts = provision_starts(started_from=first, started_to=last)
    counts: Counter[str] = Counter()
    for start in starts:
        days = start.days_to_start
        band = next(label for label, upper in PROVISION_BANDS if upper is None or days < upper)
        counts[band] += 1
    median = median_days_to_provision(starts)
    notes = (
        (f"Median: {median:g} days, over {len(starts)} {'case' if len(starts) == 1 else 'cases'}.",)
        if median is not None
        else ()
    )
    return Section(
        "provision",
        "Time from referral to provision",
        f"Cases whose child started at a place or provision from {_long(first)} to "
        f"{_long(last)}, as recorded on the case's provision (the day they started, not the "
        "day it was offered), by the time since the first referral. A case closed as back in "
        "education with no provision recorded is not counted.",
        (CASES,),
        tuple((label, (counts.get(label, 0),)) for label, _ in PROVISION_BANDS),
        notes=notes,
    )


def overdue(today: date) -> Section:
    items = DueItem.objects.filter(due_on__lt=today)
    enquiries = Enquiry.objects.filter(state=State.OUTSTANDING, due_on__lt=today)
    return Section(
        "overdue",
        "Overdue clocks and enquiries",
        f"As at {_long(today)} (today, whatever the period): the clocks on open cases past "
        "their due date, and enquiries sent and not answered by theirs.",
        ("Number",),
        (
            ("Clocks overdue", (items.count(),)),
            ("Open cases with a clock overdue", (items.values("case").distinct().count(),)),
            ("Enquiries overdue", (enquiries.count(),)),
            ("Enquiries overdue and escalated", (enquiries.exclude(escalated_on=None).count(),)),
        ),
    )


def _received(first: date, last: date) -> Q:
    return Q(received_at__date__gte=first, received_at__date__lte=last)


def deletions(first: date, last: date) -> Section:
    returns = DeletionReturn.objects.filter(_received(first, last))
    unlawful = returns.filter(lawfulness=Lawfulness.UNLAWFUL)
    reinstated = unlawful.filter(direction__status=DirectionStatus.REINSTATED)
    return Section(
        "deletions",
        "Deletions from roll and reinstatements",
        f"Deletion returns received from {_long(first)} to {_long(last)}, as assessed "
        "against the 2024 regulations when they arrived; each unlawful one is answered with a "
        "reinstatement direction to the school, closed when the school confirms the pupil is "
        "back on roll.",
        ("Returns",),
        (
            ("Lawful deletions", (returns.filter(lawfulness=Lawfulness.LAWFUL).count(),)),
            ("Unlawful deletions", (unlawful.count(),)),
            ("Unlawful: the school confirmed reinstatement", (reinstated.count(),)),
            (
                "Unlawful: reinstatement not yet confirmed",
                (unlawful.filter(direction__status=DirectionStatus.AWAITING).count(),),
            ),
        ),
    )


def school_returns(first: date, last: date) -> Section:
    schools = Establishment.objects.filter(la_code=settings.CME_LA_CODE, status__istartswith="open")
    sent = set(
        AttendanceReturn.objects.filter(_received(first, last)).values_list("school_id", flat=True)
    )
    total = schools.count()
    sending = schools.filter(pk__in=sent).count()
    return Section(
        "returns",
        "School returns received and missing",
        f"Returns schools sent from {_long(first)} to {_long(last)}. Missing: the council's "
        "open schools that sent no attendance return in the period (reg 13(7) asks every "
        "school for one at the intervals agreed with the council, even with no pupil on it).",
        ("Returns",),
        (
            (
                "New pupil returns",
                (NewPupilReturn.objects.filter(_received(first, last)).count(),),
            ),
            ("Deletion returns", (DeletionReturn.objects.filter(_received(first, last)).count(),)),
            (
                "Attendance returns",
                (AttendanceReturn.objects.filter(_received(first, last)).count(),),
            ),
            (
                "Sickness returns",
                (SicknessReturn.objects.filter(_received(first, last)).count(),),
            ),
            ("Schools that sent an attendance return", (sending,)),
            ("Schools with no attendance return (missing)", (total - sending,)),
        ),
    )


def _children_cme_on(day: date) -> int:
    return history.cme_cases_on(day).values("child_id").distinct().count()


def trends(to: date) -> Section:
    """The three school years ending with the one holding `to` (that one up to `to`)."""
    start = school_year_start(to)
    years = [(date(y, 8, 1), min(date(y + 1, 7, 31), to)) for y in range(start - 2, start + 1)]
    rows: dict[str, list[int]] = {
        "New referrals": [],
        "Cases opened": [],
        "Cases closed": [],
        "Children missing education at the year's end": [],
    }
    for first, last in years:
        rows["New referrals"].append(
            Referral.objects.filter(received_on__gte=first, received_on__lte=last).count()
        )
        rows["Cases opened"].append(
            Case.objects.filter(opened_on__gte=first, opened_on__lte=last).count()
        )
        rows["Cases closed"].append(
            CaseStatusChange.objects.filter(
                status=CaseStatus.CLOSED, effective_on__gte=first, effective_on__lte=last
            ).count()
        )
        rows["Children missing education at the year's end"].append(_children_cme_on(last))
    return Section(
        "trends",
        "Trends over three years",
        "Each school year (1 August to 31 July; this year up to the end of the period): "
        "referrals received, cases opened and closed, and children missing education on its "
        "last day.",
        tuple(academic_year_of(first) for first, _ in years),
        tuple((label, tuple(values)) for label, values in rows.items()),
        chart="line",
    )


def management_pack(period_from: date, period_to: date, *, today: date) -> Pack:
    """Every section for the period (validation of the dates is the caller's)."""
    return Pack(
        period_from,
        period_to,
        today,
        [
            register_status(period_to),
            referrals_by(period_from, period_to, "route"),
            referrals_by(period_from, period_to, "reason"),
            closures(period_from, period_to),
            time_to_provision(period_from, period_to),
            overdue(today),
            deletions(period_from, period_to),
            school_returns(period_from, period_to),
            trends(period_to),
        ],
    )


def school_year_of(day: date) -> tuple[date, date]:
    start = school_year_start(day)
    return date(start, 8, 1), date(start + 1, 7, 31)


def default_period(today: date) -> tuple[date, date]:
    """This school year to date."""
    return school_year_of(today)[0], today


def previous_school_years(today: date, count: int = 3) -> list[tuple[date, date]]:
    first, _ = school_year_of(today)
    years = []
    for _ in range(count):
        first = date(first.year - 1, 8, 1)
        years.append((first, date(first.year + 1, 7, 31)))
    return years
