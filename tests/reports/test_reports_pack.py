"""The management team's pack counted from the hand-built authority (conftest.py) plus the
returns, clocks and enquiries added here: every figure worked out by hand for the school year
2024/25 (the annual report), and the downloads."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from django.conf import settings
from factories import EstablishmentFactory, UserFactory
from reports.conftest import TODAY, Authority

from cme.cases.models import DueItem
from cme.checks.models import HomeEducatedChild
from cme.enquiries.models import Enquiry, Kind, State
from cme.provision.models import Placement, PlacementState, ProviderKind
from cme.reports.charts import chart
from cme.reports.exports import pack_csv, pack_html, pack_pdf, pack_xlsx
from cme.reports.pack import Pack, management_pack, time_to_provision
from cme.roll.models import (
    ActionStatus,
    AttendanceReturn,
    DeletionReturn,
    DirectionStatus,
    NewPupilReturn,
    ReinstatementDirection,
)
from cme.schools.models import Establishment

pytestmark = pytest.mark.django_db

YEAR = (date(2024, 8, 1), date(2025, 7, 31))


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


@dataclass
class Extras:
    schools: list[Establishment]


@pytest.fixture
def extras(authority: Authority, home_education: list[HomeEducatedChild]) -> Extras:
    # Only the schools made here are the council's open schools.
    Establishment.objects.update(status="Closed")
    schools = [EstablishmentFactory.create(la_code=settings.CME_LA_CODE) for _ in range(3)]
    EstablishmentFactory.create(la_code="999")  # another council's school
    EstablishmentFactory.create(la_code=settings.CME_LA_CODE, status="Closed")
    a, b, _ = schools
    common = {"channel": "web", "action": "Check it"}
    # Deletions in 2024/25: one lawful, two unlawful (one reinstated, one awaited); one later.
    for day, lawfulness, status in (
        (date(2024, 10, 1), "lawful", ActionStatus.TO_DO),
        (date(2024, 12, 1), "unlawful", ActionStatus.DONE),
        (date(2025, 3, 1), "unlawful", ActionStatus.TO_DO),
        (date(2025, 9, 1), "unlawful", ActionStatus.TO_DO),
    ):
        deletion = DeletionReturn.objects.create(
            school=a,
            received_at=_at(day),
            deleted_on=day,
            ground="9(1)(i)",
            lawfulness=lawfulness,
            action_status=status,
            **common,
        )
        if lawfulness == "unlawful":
            done = status == ActionStatus.DONE
            ReinstatementDirection.objects.create(
                deletion_return=deletion,
                school=a,
                issued_at=_at(day),
                regulation="reg 9(1)(i)",
                status=DirectionStatus.REINSTATED if done else DirectionStatus.AWAITING,
                reinstated_on=day if done else None,
            )
    NewPupilReturn.objects.create(
        school=b, received_at=_at(date(2025, 2, 3)), admitted_on=date(2025, 2, 3), **common
    )
    # Attendance returns: school A twice and school B once in the year; C sent none in it.
    for school, day in ((a, date(2024, 11, 1)), (a, date(2025, 4, 1)), (b, date(2025, 5, 2))):
        AttendanceReturn.objects.create(
            school=school,
            channel="web",
            received_at=_at(day),
            period_from=day,
            period_to=day,
        )
    AttendanceReturn.objects.create(
        school=schools[2],
        channel="web",
        received_at=_at(date(2025, 8, 10)),
        period_from=date(2025, 8, 1),
        period_to=date(2025, 8, 8),
    )
    # Clocks: three overdue on the census day's "today" (two on B, one on C), one not yet due.
    DueItem.objects.all().delete()
    for case, due_on in (
        (authority.b, date(2025, 10, 1)),
        (authority.b, date(2025, 10, 10)),
        (authority.c, date(2025, 9, 1)),
        (authority.c, date(2025, 11, 1)),
    ):
        DueItem.objects.create(case=case, what="Something", due_on=due_on)
    # Enquiries: two outstanding past their date (one escalated), one outstanding not yet due,
    # one answered late.
    officer = UserFactory.create()
    for due_on, state, escalated in (
        (date(2025, 10, 1), State.OUTSTANDING, None),
        (date(2025, 9, 1), State.OUTSTANDING, date(2025, 9, 20)),
        (date(2025, 10, 30), State.OUTSTANDING, None),
        (date(2025, 9, 1), State.ANSWERED, None),
    ):
        Enquiry.objects.create(
            case=authority.b,
            kind=Kind.values[0],
            recipient_name="Someone",
            sent_on=date(2025, 8, 20),
            sent_by=officer,
            due_on=due_on,
            state=state,
            escalated_on=escalated,
            outcome="on_roll" if state == State.ANSWERED else "",
            answered_at=_at(date(2025, 9, 3)) if state == State.ANSWERED else None,
        )
    return Extras(schools)


def _placement(case, offered: date, started: date | None, state: str) -> Placement:
    return Placement.objects.create(
        case=case,
        provider_kind=ProviderKind.TUITION,
        provider_name="Home tuition service",
        offered_on=offered,
        start_on=started,
        watch_until=started,
        state=state,
        recorded_by=UserFactory.create(),
    )


@pytest.fixture
def placements(authority: Authority) -> None:
    """The provision recorded on the hand-built cases: the pack's "time from referral to
    provision" counts the day each child started, from the first referral (else the opening)."""
    # H: referred 1 November 2024, started 20 November 2024: 19 days, "2 to 4 weeks".
    _placement(authority.h, date(2024, 11, 15), date(2024, 11, 20), PlacementState.NOT_ATTENDING)
    # C: opened 10 September 2024 with no referral, started 3 March 2025: 174 days, "3 to 6
    # months". Not attending, so placed again, starting 1 June 2025: only the first start in a
    # period counts.
    _placement(authority.c, date(2025, 2, 20), date(2025, 3, 3), PlacementState.NOT_ATTENDING)
    _placement(authority.c, date(2025, 5, 20), date(2025, 6, 1), PlacementState.WATCHING)
    # E: opened 1 March 2025, started 28 April 2025: 58 days, "1 to 3 months". (Closed on roll
    # on 1 May: the closure is not the start.)
    _placement(authority.e, date(2025, 4, 1), date(2025, 4, 28), PlacementState.ATTENDING)
    # B: offered on 1 July 2025, never started; and an offer withdrawn: neither counts.
    _placement(authority.b, date(2025, 7, 1), None, PlacementState.OFFERED)
    _placement(authority.b, date(2025, 6, 10), None, PlacementState.WITHDRAWN)
    # D: started 20 September 2025, in 2025/26: not in 2024/25's report.
    _placement(authority.d, date(2025, 9, 15), date(2025, 9, 20), PlacementState.WATCHING)


def test_time_to_provision_counts_the_recorded_starts(placements: None) -> None:
    section = time_to_provision(*YEAR)
    rows = dict(section.rows)
    # H 19 days, E 58, C 174 (her second start is not counted): the median is E's.
    assert rows == {
        "Under 2 weeks": (0,),
        "2 to 4 weeks": (1,),
        "1 to 3 months": (1,),
        "3 to 6 months": (1,),
        "Over 6 months": (0,),
    }
    assert section.notes == ("Median: 58 days, over 3 cases.",)
    # From 1 March 2025: C's first start in the period is 3 March (174 days), E's 58 days;
    # the median halfway between.
    spring = time_to_provision(date(2025, 3, 1), date(2025, 7, 31))
    assert spring.total() == 2
    assert spring.notes == ("Median: 116 days, over 2 cases.",)
    # 2025/26 to date: D alone, referred (opened) 1 September, started 20 September: 19 days.
    autumn = time_to_provision(date(2025, 8, 1), TODAY)
    assert {label for label, (n,) in autumn.rows if n} == {"2 to 4 weeks"}
    assert autumn.notes == ("Median: 19 days, over 1 case.",)
    # A case closed as back in education with no provision recorded (E's closure alone) is
    # not counted: the start is the fact, not the closure.
    Placement.objects.all().delete()
    assert time_to_provision(*YEAR).total() == 0


def _rows(pack: Pack, slug: str) -> dict[str, tuple[int, ...]]:
    return dict(pack.section(slug).rows)


def _nonzero(pack: Pack, slug: str) -> dict[str, int]:
    return {label: values[0] for label, values in pack.section(slug).rows if values[0]}


def test_the_annual_report_for_2024_25_as_worked_out_by_hand(
    extras: Extras, placements: None
) -> None:
    pack = management_pack(*YEAR, today=TODAY)
    assert pack.is_annual and pack.title == "Annual report 2024/25"
    # 31 July 2025: B locating, C engaging; E and H closed, the others not yet opened.
    assert _nonzero(pack, "register") == {"Locating": 1, "Engaging": 1}
    assert pack.section("register").rows[0][0] == "Referred"
    # X and W were home educated that day.
    assert pack.section("register").notes == (
        "Also on the home education register that day: 2 children.",
    )
    # B (1 June 2025, new to the city) and H (1 November 2024, withdrawn), both by telephone.
    assert _nonzero(pack, "referrals-route") == {"Telephone": 2}
    assert _nonzero(pack, "referrals-reason") == {
        "Withdrawn from school with no named destination": 1,
        "New to the city with no school place": 1,
    }
    # E closed on roll on 1 May 2025; H left the country on 10 January 2025.
    assert _nonzero(pack, "closures") == {"Found on a school roll": 1, "Left England": 1}
    # Started in provision (the placements fixture): H 19 days, E 58, C 174; D in 2025/26.
    assert _nonzero(pack, "provision") == {
        "2 to 4 weeks": 1,
        "1 to 3 months": 1,
        "3 to 6 months": 1,
    }
    assert pack.section("provision").notes == ("Median: 58 days, over 3 cases.",)
    # As at today (20 October 2025), whatever the period.
    assert _rows(pack, "overdue") == {
        "Clocks overdue": (3,),
        "Open cases with a clock overdue": (2,),
        "Enquiries overdue": (2,),
        "Enquiries overdue and escalated": (1,),
    }
    assert _rows(pack, "deletions") == {
        "Lawful deletions": (1,),
        "Unlawful deletions": (2,),
        "Unlawful: the school confirmed reinstatement": (1,),
        "Unlawful: reinstatement not yet confirmed": (1,),
    }
    assert _rows(pack, "returns") == {
        "New pupil returns": (1,),
        "Deletion returns": (3,),
        "Attendance returns": (3,),
        "Sickness returns": (0,),
        "Schools that sent an attendance return": (2,),
        "Schools with no attendance return (missing)": (1,),
    }
    trends = pack.section("trends")
    assert trends.columns == ("2022/23", "2023/24", "2024/25")
    assert dict(trends.rows) == {
        "New referrals": (0, 0, 2),
        "Cases opened": (0, 0, 4),  # C, H, E and B
        "Cases closed": (0, 0, 2),
        "Children missing education at the year's end": (0, 0, 2),
    }


def test_a_term_pack_counts_only_its_days(extras: Extras) -> None:
    # The autumn term 2024: C and H opened, nothing closed, H referred.
    pack = management_pack(date(2024, 9, 1), date(2024, 12, 31), today=TODAY)
    assert not pack.is_annual
    assert pack.title == "Management team pack, 1 September 2024 to 31 December 2024"
    assert _nonzero(pack, "register") == {"Locating": 1, "Checking": 1}  # C and H
    assert _nonzero(pack, "referrals-route") == {"Telephone": 1}
    assert _nonzero(pack, "closures") == {}
    assert _rows(pack, "deletions")["Unlawful deletions"] == (1,)
    assert _rows(pack, "returns")["Schools with no attendance return (missing)"] == (2,)


def test_each_chart_is_accessible_svg_with_its_numbers(extras: Extras) -> None:
    pack = management_pack(*YEAR, today=TODAY)
    for section in pack.sections:
        svg = str(chart(section))
        assert svg.startswith("<svg") and 'role="img"' in svg
        assert f'aria-labelledby="chart-{section.slug}-title chart-{section.slug}-desc"' in svg
        assert f'<title id="chart-{section.slug}-title">{section.title}</title>' in svg
        for label, _values in section.rows:
            assert label.replace("'", "&#x27;") in svg
    assert "stroke-dasharray" in str(chart(pack.section("trends")))


def test_the_downloads_hold_the_same_figures(extras: Extras) -> None:
    from openpyxl import load_workbook

    pack = management_pack(*YEAR, today=TODAY)
    rows = list(csv.DictReader(io.StringIO(pack_csv(pack))))
    assert list(rows[0]) == ["section", "row", "column", "value"]
    got = {(r["section"], r["row"], r["column"]): int(r["value"]) for r in rows}
    assert got[("Closures by outcome", "Left England", "Cases")] == 1
    assert got[("Trends over three years", "Cases opened", "2024/25")] == 4
    book = load_workbook(io.BytesIO(pack_xlsx(pack)))
    assert book.sheetnames[0] == "About"
    sheet = book["Closures by outcome"]
    values = {r[0]: r[1] for r in sheet.iter_rows(min_row=5, values_only=True)}
    assert values["Found on a school roll"] == 1
    assert "<svg" in pack_html(pack)
    pdf = pack_pdf(pack)
    assert pdf.startswith(b"%PDF")
