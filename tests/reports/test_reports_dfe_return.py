"""The DfE return counted from the hand-built authority in conftest.py: every figure worked out
by hand there, the breakdowns summing to the totals, and an earlier census giving that date's
figures, not today's."""

from __future__ import annotations

from datetime import date

import pytest
from reports.conftest import CENSUS, EARLIER_CENSUS, Authority, HomeEducationYear

from cme.checks.models import HomeEducatedChild
from cme.reports.dfe_return import ANY_TIME, CME, EHE, Key, dfe_return
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
    YEAR_GROUPS,
)

pytestmark = pytest.mark.django_db


def _nonzero(result, collection: str, topic: str) -> dict[str, int]:
    return {
        key.breakdown: fig.child_count
        for key, fig in result.figures.items()
        if key.collection == collection and key.topic == topic and fig.child_count
    }


def test_cme_on_the_census_day_as_worked_out_by_hand(
    authority: Authority, home_education: list[HomeEducatedChild]
) -> None:
    result = dfe_return(CENSUS)
    # A, B, C and H; D is in provision, E closed, F too young, G opened after the census.
    assert result.count(CME, "Total") == 4
    assert _nonzero(result, CME, "Sex") == {"Female": 1, "Male": 2, "Unknown": 1}
    assert _nonzero(result, CME, "Year group") == {
        "Year 6": 1,
        "Year 11": 1,
        "Year 10": 1,
        "Unknown": 1,
    }
    assert _nonzero(result, CME, "Duration") == {
        "Less than 2 weeks": 2,  # A (7 days) and H (2 days since reopening)
        "12 to 26 weeks": 1,  # B, from his first day absent
        "Over 52 weeks": 1,  # C
    }
    assert _nonzero(result, CME, "Reason") == {
        "Mental health": 1,
        "Moved in from another local authority": 1,
        "Not recorded": 1,
        "Parental decision not to register at school": 1,
    }
    figure = result.figures[Key(CME, "Total", "Total")]
    assert figure.case_ids == {authority.a.pk, authority.b.pk, authority.c.pk, authority.h.pk}


def test_cme_at_any_time_in_the_previous_school_year(authority: Authority) -> None:
    result = dfe_return(CENSUS)
    # 2024/25: B (from June), C, E (March to May) and H (November to January).
    figure = result.figures[Key(CME, ANY_TIME, "Total")]
    assert figure.child_count == 4
    assert figure.case_ids == {authority.b.pk, authority.c.pk, authority.e.pk, authority.h.pk}


def test_ehe_on_the_census_day(
    authority: Authority, home_education: list[HomeEducatedChild]
) -> None:
    result = dfe_return(CENSUS)
    x = home_education[0]
    assert result.count(EHE, "Total") == 1
    assert _nonzero(result, EHE, "Sex") == {"Female": 1}
    assert _nonzero(result, EHE, "Year group") == {"Year 9": 1}
    assert result.figures[Key(EHE, "Total", "Total")].ehe_ids == {x.pk}


def test_an_earlier_census_gives_that_days_figures(
    authority: Authority, home_education: list[HomeEducatedChild]
) -> None:
    result = dfe_return(EARLIER_CENSUS)
    # 9 January 2025: C (locating) and H (closed the next day). Today both D and A are open,
    # E was opened later, B later still: none counted.
    assert result.figures[Key(CME, "Total", "Total")].case_ids == {
        authority.c.pk,
        authority.h.pk,
    }
    assert _nonzero(result, CME, "Duration") == {"8 to 12 weeks": 1, "12 to 26 weeks": 1}
    # X, and W: 15 on 31 August 2024, so in Year 11 that school year, home educated since
    # 1 January 2025 (past Year 11 by the later census).
    assert result.count(EHE, "Total") == 2
    assert _nonzero(result, EHE, "Year group") == {"Year 8": 1, "Year 11": 1}  # X a year younger
    # The previous school year is now 2023/24: nobody was CME then.
    assert result.count(CME, ANY_TIME) == 0


def test_every_breakdown_sums_to_its_total_and_uses_dfes_values(
    authority: Authority, home_education: list[HomeEducatedChild]
) -> None:
    for census in (CENSUS, EARLIER_CENSUS, date(2025, 6, 12)):
        result = dfe_return(census)
        values = {
            "Sex": SEXES,
            "Year group": YEAR_GROUPS,
            "Duration": DURATIONS,
            "Reason": dfe_categories.CME_REASONS,
        }
        for topic, allowed in values.items():
            rows = [k for k in result.figures if k.collection == CME and k.topic == topic]
            assert [k.breakdown for k in rows] == list(allowed)
            assert sum(result.figures[k].child_count for k in rows) == result.count(CME, "Total")
        for topic in ("Sex", "Year group", "Reason"):
            rows = [k for k in result.figures if k.collection == EHE and k.topic == topic]
            assert sum(result.figures[k].child_count for k in rows) == result.count(EHE, "Total")


def test_a_figure_counts_children_not_cases(authority: Authority) -> None:
    """Each figure's count is the number of children behind it."""
    result = dfe_return(CENSUS)
    for fig in result.figures.values():
        assert fig.child_count == len(fig.case_ids) + len(fig.ehe_ids)


def test_figure_keys_round_trip_through_their_slug() -> None:
    key = Key(CME, "Reason", "Believed to have moved to another local authority")
    assert Key.from_slug(key.slug) == key
    with pytest.raises(ValueError, match="not a figure"):
        Key.from_slug("nonsense")


def test_the_council_reasons_mapped_are_the_referral_reasons() -> None:
    from cme.referrals.models import Reason
    from cme.rules.dfe_return import COUNCIL_REASON_TO_DFE

    assert set(COUNCIL_REASON_TO_DFE) == set(Reason.values)


def test_ehe_on_the_census_by_reason_leaving_out_unsuitable_and_cme(
    authority: Authority, ehe_year: HomeEducationYear
) -> None:
    result = dfe_return(CENSUS)
    # X and U. T was judged unsuitable (CME, not EHE); S is A, who is missing education.
    total = result.figures[Key(EHE, "Total", "Total")]
    assert total.ehe_ids == {
        HomeEducatedChild.objects.get(forename="Home", started_on=date(2024, 1, 1)).pk,
        ehe_year.u.pk,
    }
    assert _nonzero(result, EHE, "Sex") == {"Female": 1, "Male": 1}
    assert _nonzero(result, EHE, "Year group") == {"Year 9": 1, "Year 8": 1}
    assert _nonzero(result, EHE, "Reason") == {"Unknown": 1, "Religious": 1}
    rows = [k for k in result.figures if k.collection == EHE and k.topic == "Reason"]
    assert [k.breakdown for k in rows] == list(dfe_categories.EHE_REASONS)


def test_ehe_flows_over_the_previous_school_year(
    authority: Authority, ehe_year: HomeEducationYear
) -> None:
    result = dfe_return(CENSUS)
    x = HomeEducatedChild.objects.get(forename="Home", started_on=date(2024, 1, 1))
    w = HomeEducatedChild.objects.get(forename="Home", date_of_birth=date(2009, 3, 3))
    y = ehe_year

    def ids(topic: str) -> set[int]:
        return result.figures[Key(EHE, topic, "Total")].ehe_ids

    # 2024/25 is 1 August 2024 to 31 July 2025. W was in Year 11 then, so counts.
    assert ids(EHE_ANY_TIME) == {x.pk, w.pk, y.v.pk, y.u.pk, y.t.pk, y.q.pk}
    assert ids(EHE_STARTS) == {w.pk, y.v.pk, y.u.pk, y.t.pk, y.q.pk}
    assert ids(EHE_RETURNS) == {y.v.pk}  # Q moved away
    assert ids(EHE_S437) == {y.u.pk}
    assert ids(EHE_SAO_ISSUED) == {y.u.pk}
    assert ids(EHE_SAO_REVOKED) == set()  # on the census day, in 2025/26
    assert set(EHE_FLOWS) == {
        k.topic for k in result.figures if k.collection == EHE and k.breakdown == "Total"
    } - {"Total"}


def test_ehe_flows_for_an_earlier_census_are_that_years(
    authority: Authority, ehe_year: HomeEducationYear
) -> None:
    # 9 January 2025: the previous school year is 2023/24, when only X started.
    result = dfe_return(EARLIER_CENSUS)
    x = HomeEducatedChild.objects.get(forename="Home", started_on=date(2024, 1, 1))
    assert result.figures[Key(EHE, EHE_ANY_TIME, "Total")].ehe_ids == {x.pk}
    assert result.figures[Key(EHE, EHE_STARTS, "Total")].ehe_ids == {x.pk}
    assert result.count(EHE, EHE_RETURNS) == 0 and result.count(EHE, EHE_S437) == 0
    # On the day: X, W and V (Q had moved away on 1 December).
    assert result.count(EHE, "Total") == 3
    assert _nonzero(result, EHE, "Year group") == {"Year 8": 1, "Year 11": 1, "Year 2": 1}
