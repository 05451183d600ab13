"""The CME1 rules (cme.rules.cme1): the minimum period of enquiries counted in school days on
Liverpool's 2024/25 term dates, what stops a checklist being sent, and the 2024 outcome (bb)
and the CME1's school-day count in the deletion assessment."""

from __future__ import annotations

import dataclasses
from datetime import date as D

import pytest

from cme.rules import AgeStatus, DeletionFacts, SchoolCalendar, assess_deletion
from cme.rules.cme1 import (
    MINIMUM_SCHOOL_DAYS,
    STEPS,
    Outcome,
    Party,
    RecordedStep,
    enquiry_period,
    party_problem,
    submission_problems,
)
from cme.rules.errors import OutsideCalendar


def test_day_19_is_short_and_day_20_meets_it_across_the_february_half_term(
    liverpool: SchoolCalendar,
) -> None:
    # Monday 3 February 2025: days 1-10 to Friday 14 February, half term 17-21 February,
    # day 19 is Thursday 6 March and day 20 Friday 7 March.
    day19 = enquiry_period(calendar=liverpool, started_on=D(2025, 2, 3), on=D(2025, 3, 6))
    assert (day19.school_days, day19.met, day19.met_on) == (19, False, D(2025, 3, 7))
    day20 = enquiry_period(calendar=liverpool, started_on=D(2025, 2, 3), on=D(2025, 3, 7))
    assert (day20.school_days, day20.met) == (20, True)
    # The weekend after day 20 adds nothing, and it stays met.
    weekend = enquiry_period(calendar=liverpool, started_on=D(2025, 2, 3), on=D(2025, 3, 9))
    assert (weekend.school_days, weekend.met) == (20, True)
    assert "no less than four weeks" in day20.citation and "reg 9(1)(i)" in day20.citation


def test_four_calendar_weeks_is_not_enough_when_a_holiday_falls_in_them(
    liverpool: SchoolCalendar,
) -> None:
    # Four calendar weeks from Monday 3 February 2025 reach Monday 3 March: 16 school days.
    period = enquiry_period(calendar=liverpool, started_on=D(2025, 2, 3), on=D(2025, 3, 3))
    assert period.school_days == 16 and not period.met


def test_the_christmas_holiday_and_bank_holidays_do_not_count(liverpool: SchoolCalendar) -> None:
    # Monday 2 December 2024: 15 school days to 20 December, then 6-10 January 2025.
    assert (
        enquiry_period(calendar=liverpool, started_on=D(2024, 12, 2), on=D(2025, 1, 9)).school_days
        == 19
    )
    assert enquiry_period(
        calendar=liverpool, started_on=D(2024, 12, 2), on=D(2025, 1, 9)
    ).met_on == D(2025, 1, 10)
    # Monday 28 April 2025: 5 May is a bank holiday and 26-30 May half term: day 20 is 2 June.
    period = enquiry_period(calendar=liverpool, started_on=D(2025, 4, 28), on=D(2025, 5, 30))
    assert (period.school_days, period.met_on) == (19, D(2025, 6, 2))


def test_a_school_closure_moves_the_minimum_by_a_day(liverpool: SchoolCalendar) -> None:
    inset = liverpool.with_closures([D(2025, 2, 10)])
    period = enquiry_period(calendar=inset, started_on=D(2025, 2, 3), on=D(2025, 3, 7))
    assert (period.school_days, period.met, period.met_on) == (19, False, D(2025, 3, 10))


def test_enquiries_started_at_a_weekend_count_from_the_next_school_day(
    liverpool: SchoolCalendar,
) -> None:
    period = enquiry_period(calendar=liverpool, started_on=D(2025, 2, 1), on=D(2025, 3, 7))
    assert (period.school_days, period.met_on) == (20, D(2025, 3, 7))
    before = enquiry_period(calendar=liverpool, started_on=D(2025, 2, 3), on=D(2025, 2, 1))
    assert before.school_days == 0 and not before.met


def test_term_dates_that_do_not_reach_day_20_are_refused(liverpool: SchoolCalendar) -> None:
    with pytest.raises(OutsideCalendar):
        enquiry_period(calendar=liverpool, started_on=D(2025, 7, 14), on=D(2025, 7, 18))


def _every_step(on: D, party: Party = Party.SCHOOL) -> list[RecordedStep]:
    return [RecordedStep(s.key, Party.COUNCIL if s.council_only else party, on) for s in STEPS]


def test_a_complete_checklist_has_no_problems(liverpool: SchoolCalendar) -> None:
    period = enquiry_period(calendar=liverpool, started_on=D(2025, 2, 3), on=D(2025, 3, 7))
    steps = [*_every_step(D(2025, 2, 3)), RecordedStep("home_visit", Party.JOINT, D(2025, 2, 5))]
    assert submission_problems(steps=steps, period=period, outcome=Outcome.NOT_FOUND) == []


def test_each_missing_step_the_joint_step_and_the_period_are_named(
    liverpool: SchoolCalendar,
) -> None:
    period = enquiry_period(calendar=liverpool, started_on=D(2025, 2, 3), on=D(2025, 3, 6))
    steps = [s for s in _every_step(D(2025, 2, 3)) if s.key not in {"email", "paews"}]
    problems = submission_problems(steps=steps, period=period, outcome="")
    assert len(problems) == 5
    assert 'Record the step "Email to parents and carers"' in problems[0]
    assert "The PAEWS officer's involvement" in problems[1]
    assert "jointly" in problems[2] and "9(1)(h)(iii) and (i)(iii)" in problems[2]
    assert "19 school days since 3 February 2025" in problems[3]
    assert "It can be sent from 7 March 2025" in problems[3]
    assert "Say how the enquiries ended" in problems[4]


def test_nothing_recorded_yet(liverpool: SchoolCalendar) -> None:
    problems = submission_problems(steps=[], period=None, outcome=Outcome.NOT_FOUND)
    assert len(problems) == len(STEPS) + 1
    assert "first enquiry" in problems[-1]


def test_the_council_s_steps_cannot_be_the_school_s_alone() -> None:
    assert "made by the council" in (party_problem(key="council_checks", party="school") or "")
    assert party_problem(key="council_checks", party="joint") is None
    assert party_problem(key="paews", party="council") is None
    assert party_problem(key="home_visit", party="school") is None
    assert "Choose a step" in (party_problem(key="seance", party="school") or "")
    assert "Say who" in (party_problem(key="letter", party="everyone") or "")


CSA = AgeStatus.COMPULSORY
AFTER_2024 = D(2025, 3, 10)
JOINT_FACTS = DeletionFacts(
    continuous_absence_school_days=25,
    absence_codes=("G", "N", "O"),
    school_enquiries_made=True,
    la_enquiries_made=True,
    enquiries_started_on=D(2025, 2, 3),
    cme1_signed_off=True,
    enquiry_school_days=MINIMUM_SCHOOL_DAYS,
)


def test_a_signed_off_cme1_of_20_school_days_is_lawful_and_19_is_not() -> None:
    # With a CME1 the local rule reads its school-day count, not the calendar weeks since
    # enquiries began (35 days here either way).
    lawful = assess_deletion(
        ground="2024:9(1)(i)", deleted_on=AFTER_2024, age_status=CSA, facts=JOINT_FACTS
    )
    assert lawful.lawful, lawful.reasons
    short = assess_deletion(
        ground="2024:9(1)(i)",
        deleted_on=AFTER_2024,
        age_status=CSA,
        facts=dataclasses.replace(JOINT_FACTS, enquiry_school_days=19),
    )
    assert not short.lawful
    assert any("ran 19 school days" in r for r in short.reasons)


def test_outcome_bb_found_and_agreed_not_returning_is_lawful_only_under_2024() -> None:
    found = dataclasses.replace(JOINT_FACTS, whereabouts_known=True)
    refused = assess_deletion(
        ground="2024:9(1)(i)", deleted_on=AFTER_2024, age_status=CSA, facts=found
    )
    assert any("whereabouts are known" in r for r in refused.reasons)
    agreed = dataclasses.replace(found, agreed_will_not_return=True)
    assert assess_deletion(
        ground="2024:9(1)(i)", deleted_on=AFTER_2024, age_status=CSA, facts=agreed
    ).lawful
    # The 2006 text had no limb (bb): found means the enquiries did not fail.
    old = assess_deletion(
        ground="2006:8(1)(h)",
        deleted_on=D(2024, 6, 3),
        age_status=CSA,
        facts=dataclasses.replace(agreed, enquiries_started_on=D(2024, 4, 15)),
    )
    assert any("whereabouts are known" in r for r in old.reasons)


def test_without_the_council_s_enquiries_it_is_unlawful() -> None:
    alone = dataclasses.replace(JOINT_FACTS, la_enquiries_made=False, cme1_signed_off=False)
    result = assess_deletion(
        ground="2024:9(1)(i)", deleted_on=AFTER_2024, age_status=CSA, facts=alone
    )
    assert not result.lawful
    assert any("No record of enquiries by the LA" in r for r in result.reasons)
    assert any("CME1 checklist has not been completed" in r for r in result.reasons)
