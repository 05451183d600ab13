"""A hand-built authority whose DfE return is worked out by hand in the tests.

Census day: Thursday 2 October 2025 (autumn term 2025/26 in Liverpool's term dates). Ages are
on 31 August 2025. The comment on each child says how the return counts them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone
from factories import ChildFactory, OpenCaseFactory, ReferralFactory, UserFactory

from cme.calendars.selectors import forget_calendars
from cme.calendars.services import term_dates_import
from cme.cases.models import Case, CaseStatus, CaseStatusChange
from cme.checks.models import (
    HomeEducatedChild,
    HomeEducationNotice,
    HomeEducationStatus,
    NoticeKind,
    Suitability,
)
from cme.people.models import Sex

LIVERPOOL = Path(__file__).resolve().parents[2] / "cme/calendars/data/liverpool-term-dates.csv"
CENSUS = date(2025, 10, 2)
EARLIER_CENSUS = date(2025, 1, 9)  # spring term 2024/25
TODAY = date(2025, 10, 20)


@pytest.fixture
def term_dates(db: None) -> Iterator[None]:
    forget_calendars()
    term_dates_import(path=LIVERPOOL)
    yield
    forget_calendars()


def make_case(
    *,
    sex: str,
    dob: date | None,
    steps: list[tuple[str, date]],
    outcome: str = "",
    cme_reason: str = "",
    referral_reason: str | None = None,
    first_day_absent: date | None = None,
    forename: str = "Child",
) -> Case:
    """A case with exactly the status history `steps` (status, effective day), first the
    opening; its current state is the last step."""
    child = ChildFactory.create(sex=sex, date_of_birth=dob, forename=forename)
    status, last_day = steps[-1]
    closed = status == CaseStatus.CLOSED
    case = OpenCaseFactory.create(
        child=child,
        status=status,
        opened_on=steps[0][1],
        closed_on=last_day if closed else None,
        outcome=outcome if closed else "",
        cme_reason=cme_reason,
        first_day_absent=first_day_absent,
        history=False,
    )
    CaseStatusChange.objects.bulk_create(
        CaseStatusChange(
            case=case,
            status=s,
            outcome=outcome if s == CaseStatus.CLOSED else "",
            effective_on=day,
            recorded_at=timezone.now(),
        )
        for s, day in steps
    )
    if referral_reason:
        ReferralFactory.create(
            case=case,
            child=child,
            status="accepted",
            reason=referral_reason,
            received_on=steps[0][1],
        )
    return case


def make_ehe(
    *,
    sex: str,
    dob: date | None,
    started: date,
    ended: date | None = None,
    forename: str = "Home",
    **fields: object,
) -> HomeEducatedChild:
    return HomeEducatedChild.objects.create(
        forename=forename,
        surname="Educated",
        sex=sex,
        date_of_birth=dob,
        started_on=started,
        ended_on=ended,
        status=HomeEducationStatus.ENDED if ended else HomeEducationStatus.ACTIVE,
        fictional=True,
        **fields,
    )


@dataclass
class Authority:
    a: Case
    b: Case
    c: Case
    d: Case
    e: Case
    f: Case
    g: Case
    h: Case


R, CH, LO, EN, IP, CL = (
    CaseStatus.REFERRED,
    CaseStatus.CHECKING,
    CaseStatus.LOCATING,
    CaseStatus.ENGAGING,
    CaseStatus.IN_PROVISION,
    CaseStatus.CLOSED,
)


@pytest.fixture
def authority(term_dates: None) -> Authority:
    return Authority(
        # A: girl, Year 6 (10), opened 25 Sep 2025, checking: CME, less than 2 weeks, her
        # recorded DfE reason "Mental health".
        a=make_case(
            forename="A",
            sex=Sex.FEMALE,
            dob=date(2015, 3, 10),
            steps=[(R, date(2025, 9, 25)), (CH, date(2025, 9, 26))],
            cme_reason="Mental health",
        ),
        # B: boy, Year 11 (15), opened 1 Jun 2025 but absent from 1 May: 154 days on the census,
        # "12 to 26 weeks"; the council's reason "new to the city" -> "Moved in from another
        # local authority". CME at some time in 2024/25 as well.
        b=make_case(
            forename="B",
            sex=Sex.MALE,
            dob=date(2010, 1, 5),
            steps=[(R, date(2025, 6, 1)), (CH, date(2025, 6, 2)), (LO, date(2025, 7, 1))],
            referral_reason="new_to_city",
            first_day_absent=date(2025, 5, 1),
        ),
        # C: sex and date of birth unknown, opened 10 Sep 2024, engaging since Feb 2025: CME,
        # year group Unknown, 387 days "Over 52 weeks", reason "Not recorded". CME in 2024/25.
        # On the earlier census (9 Jan 2025) CME too.
        c=make_case(
            forename="C",
            sex=Sex.UNKNOWN,
            dob=None,
            steps=[
                (R, date(2024, 9, 10)),
                (CH, date(2024, 9, 12)),
                (LO, date(2024, 10, 1)),
                (EN, date(2025, 2, 1)),
            ],
        ),
        # D: girl, Year 9, in provision since 20 Sep 2025: not CME on the census, never CME in
        # 2024/25 (opened in 2025/26).
        d=make_case(
            forename="D",
            sex=Sex.FEMALE,
            dob=date(2012, 6, 1),
            steps=[
                (R, date(2025, 9, 1)),
                (CH, date(2025, 9, 2)),
                (EN, date(2025, 9, 10)),
                (IP, date(2025, 9, 20)),
            ],
        ),
        # E: boy, Year 7, opened 1 Mar 2025, closed on roll 1 May 2025: not CME on either
        # census, but CME at some time in 2024/25.
        e=make_case(
            forename="E",
            sex=Sex.MALE,
            dob=date(2013, 11, 11),
            steps=[(R, date(2025, 3, 1)), (CH, date(2025, 3, 2)), (CL, date(2025, 5, 1))],
            outcome="on_roll",
        ),
        # F: born December 2021, 3 on 31 August 2025: not of school age, counted nowhere.
        f=make_case(
            forename="F",
            sex=Sex.MALE,
            dob=date(2021, 12, 1),
            steps=[(R, date(2025, 9, 15)), (CH, date(2025, 9, 16))],
        ),
        # G: opened 5 Oct 2025, after the census: not counted.
        g=make_case(
            forename="G",
            sex=Sex.FEMALE,
            dob=date(2014, 2, 2),
            steps=[(R, date(2025, 10, 5)), (CH, date(2025, 10, 6))],
        ),
        # H: boy, Year 10 (14), opened 1 Nov 2024, closed 10 Jan 2025, reopened 30 Sep 2025:
        # CME on the census, his spell began 30 Sep (2 days: "Less than 2 weeks"); reason from
        # the council's "withdrawal": "Parental decision not to register at school". CME on the
        # earlier census (closed the next day) and in 2024/25.
        h=make_case(
            forename="H",
            sex=Sex.MALE,
            dob=date(2011, 4, 4),
            steps=[
                (R, date(2024, 11, 1)),
                (CH, date(2024, 11, 2)),
                (CL, date(2025, 1, 10)),
                (CH, date(2025, 9, 30)),
            ],
            outcome="left_country",
            referral_reason="withdrawal",
        ),
    )


@pytest.fixture
def home_education(term_dates: None) -> list[HomeEducatedChild]:
    return [
        # X: girl, Year 9, home educated since 1 Jan 2024: counted on both censuses. The
        # register's first record.
        make_ehe(sex=Sex.FEMALE, dob=date(2012, 1, 1), started=date(2024, 1, 1)),
        # Y: boy, Year 5, 1 to 30 Sep 2025: ended before the census.
        make_ehe(
            sex=Sex.MALE, dob=date(2016, 5, 5), started=date(2025, 9, 1), ended=date(2025, 9, 30)
        ),
        # Z: started 10 Oct 2025, after the census.
        make_ehe(sex=Sex.UNKNOWN, dob=date(2014, 7, 7), started=date(2025, 10, 10)),
        # W: 16 on 31 August 2025, past Year 11: not counted.
        make_ehe(sex=Sex.MALE, dob=date(2009, 3, 3), started=date(2025, 1, 1)),
    ]


@dataclass
class HomeEducationYear:
    """Entries that move through 2024/25, the school year before the census, for DfE's flows."""

    v: HomeEducatedChild
    u: HomeEducatedChild
    t: HomeEducatedChild
    s: HomeEducatedChild
    q: HomeEducatedChild


def _notice(entry: HomeEducatedChild, kind: str, on: date) -> None:
    HomeEducationNotice.objects.create(
        entry=entry,
        kind=kind,
        on=on,
        recorded_by=UserFactory.create(),
        recorded_at=timezone.now(),
    )


@pytest.fixture
def ehe_year(authority: Authority, home_education: list[HomeEducatedChild]) -> HomeEducationYear:
    year = HomeEducationYear(
        # V: girl, Year 2 in 2024/25, started 1 Aug 2024 (the school year's first day), went
        # to a school on 1 Apr 2025: at any time, a start and a return in 2024/25.
        v=make_ehe(
            forename="V",
            sex=Sex.FEMALE,
            dob=date(2018, 2, 2),
            started=date(2024, 8, 1),
            ended=date(2025, 4, 1),
            returned_to_school=True,
            reason="Lifestyle",
        ),
        # U: boy, Year 8 on the census, from 1 Mar 2025, reason "Religious": a s.437(1) notice
        # on 1 May 2025 and an order on 1 Jul 2025, revoked on the census day (2025/26, so not
        # in 2024/25's flows). EHE on the census.
        u=make_ehe(
            forename="U",
            sex=Sex.MALE,
            dob=date(2013, 5, 5),
            started=date(2025, 3, 1),
            reason="Religious",
        ),
        # T: girl, from 1 Jun 2025, judged unsuitable on 1 Sep 2025: not EHE on the census
        # (DfE counts her as CME), but at any time and a start in 2024/25.
        t=make_ehe(
            forename="T",
            sex=Sex.FEMALE,
            dob=date(2017, 1, 1),
            started=date(2025, 6, 1),
            suitability=Suitability.UNSUITABLE,
            suitability_judged_on=date(2025, 9, 1),
        ),
        # S: A's entry, from 1 Sep 2025: A is missing education on the census, so CME only.
        s=make_ehe(
            forename="S",
            sex=Sex.FEMALE,
            dob=authority.a.child.date_of_birth,
            started=date(2025, 9, 1),
            child=authority.a.child,
            reason="Mental health",
        ),
        # Q: boy, 1 Sep to 1 Dec 2024, moved away: at any time and a start, not a return.
        q=make_ehe(
            forename="Q",
            sex=Sex.MALE,
            dob=date(2014, 1, 1),
            started=date(2024, 9, 1),
            ended=date(2024, 12, 1),
        ),
    )
    _notice(year.u, NoticeKind.S437_NOTICE, date(2025, 5, 1))
    _notice(year.u, NoticeKind.SAO_ISSUED, date(2025, 7, 1))
    _notice(year.u, NoticeKind.SAO_REVOKED, date(2025, 10, 2))
    return year
