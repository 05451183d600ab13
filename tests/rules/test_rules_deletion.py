"""Deletion grounds: both rule sets, the switch date, each ground's limbs, local policy."""

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cme.rules import (
    AgeStatus,
    DeletionFacts,
    InvalidArgument,
    InvalidDate,
    UnknownGround,
    assess_deletion,
    deletion_grounds,
    get_ground,
)
from cme.rules.deletion import ALL_GROUNDS

D = dt.date
CSA = AgeStatus.COMPULSORY
NOT_CSA = AgeStatus.NOT_COMPULSORY
OLD_DAY = D(2024, 3, 1)
NEW_DAY = D(2024, 10, 1)

MISSING = DeletionFacts(
    continuous_absence_school_days=22,
    absence_codes=("N", "N", "O", "G"),
    school_enquiries_made=True,
    la_enquiries_made=True,
    enquiries_started_on=D(2024, 1, 2),
    cme1_signed_off=True,
    leave_ended_on=D(2024, 1, 5),
    school_days_since_leave_ended=12,
)

MOVED_AWAY = DeletionFacts(
    ceased_to_attend=True, lives_beyond_reasonable_distance=True, whereabouts_known=True
)

# The facts that satisfy each ground's limbs (and the local policy where it applies).
SATISFYING = {
    "8(1)(a)": DeletionFacts(sao_amended_or_revoked=True),
    "8(1)(b)": DeletionFacts(registered_at_another_school=True),
    "8(1)(c)": DeletionFacts(ceased_to_attend=True, other_schools_consented=True),
    "8(1)(d)": DeletionFacts(ceased_to_attend=True, parent_written_notice_home_education=True),
    "8(1)(e)": MOVED_AWAY,
    "8(1)(f)": MISSING,
    "8(1)(g)": DeletionFacts(medically_unfit=True),
    "8(1)(h)": MISSING,
    "8(1)(i)": DeletionFacts(detention_order_months=6),
    "8(1)(j)": DeletionFacts(died=True),
    "8(1)(k)": DeletionFacts(
        ceases_csa_before_school_next_meets=True, leaving_indicated_or_no_sixth_form_place=True
    ),
    "8(1)(l)": DeletionFacts(ceased_to_be_pupil=True),
    "8(1)(m)": DeletionFacts(permanently_excluded=True),
    "8(1)(n)": DeletionFacts(nursery_completed_not_transferring=True),
    "8(1)(o)": DeletionFacts(boarding_charges_unpaid_at_term_end=True),
    "8(2):left": dataclasses.replace(MISSING, ceased_to_attend=True),
    "8(2):absence": MISSING,
    "8(2):died": DeletionFacts(died=True),
    "8(2):excluded": DeletionFacts(permanently_excluded=True),
    "8(2):nursery": DeletionFacts(nursery_completed_not_transferring=True),
    "9(1)(a)": DeletionFacts(registered_at_another_school=True),
    "9(1)(b)": DeletionFacts(nursery_completed_not_transferring=True),
    "9(1)(c)": DeletionFacts(other_schools_consented=True),
    "9(1)(d)": DeletionFacts(sao_amended_or_revoked=True),
    "9(1)(e)": DeletionFacts(sao_amended_or_revoked=True),
    "9(1)(f)": DeletionFacts(parent_written_notice_home_education=True),
    "9(1)(g)": MOVED_AWAY,
    "9(1)(h)": MISSING,
    "9(1)(i)": dataclasses.replace(MISSING, absence_codes=("G", "N", "O")),
    "9(1)(j)": DeletionFacts(detention_order_months=4),
    "9(1)(k)": DeletionFacts(died=True),
    "9(1)(l)": DeletionFacts(
        ceases_csa_before_school_next_meets=True, leaving_indicated_or_no_sixth_form_place=True
    ),
    "9(1)(m)": DeletionFacts(boarding_charges_unpaid_at_term_end=True),
    "9(1)(n)": DeletionFacts(ceased_to_be_pupil=True),
    "9(1)(o)": DeletionFacts(permanently_excluded=True),
    "9(3):left": dataclasses.replace(MISSING, ceased_to_attend=True),
    "9(3):absence": MISSING,
    "9(3):boarder": DeletionFacts(ceased_to_be_pupil=True),
    "9(3):died": DeletionFacts(died=True),
    "9(3):excluded": DeletionFacts(permanently_excluded=True),
    "9(3):nursery": DeletionFacts(nursery_completed_not_transferring=True),
}
EVERY_GROUND = sorted(ALL_GROUNDS)


def _day_for(ground):
    return OLD_DAY if ground.rule_set.value == "2006" else NEW_DAY


def test_every_ground_has_a_satisfying_case():
    assert {key.split(":", 1)[1] for key in EVERY_GROUND} == set(SATISFYING)
    assert len([k for k in EVERY_GROUND if k.startswith("2006:8(1)")]) == 15  # "fifteen grounds"
    assert len([k for k in EVERY_GROUND if k.startswith("2024:9(1)")]) == 15


@pytest.mark.parametrize("key", EVERY_GROUND)
def test_each_ground_is_lawful_when_its_limbs_are_met(key):
    ground = get_ground(key)
    result = assess_deletion(
        ground=key,
        deleted_on=_day_for(ground),
        age_status=ground.age,
        facts=SATISFYING[key.split(":", 1)[1]],
    )
    assert result.lawful, result.reasons
    assert result.reasons == ()
    assert ground.citation.startswith(ground.rule_set.title)


@pytest.mark.parametrize("key", EVERY_GROUND)
def test_each_ground_is_unlawful_with_no_facts_and_says_why(key):
    ground = get_ground(key)
    result = assess_deletion(ground=key, deleted_on=_day_for(ground), age_status=ground.age)
    assert not result.lawful
    assert result.reasons and all(reason.endswith(".") for reason in result.reasons)


@pytest.mark.parametrize("key", EVERY_GROUND)
def test_each_ground_has_citation_evidence_and_a_counterpart_that_points_back(key):
    ground = ALL_GROUNDS[key]
    assert ground.evidence and ground.title and ground.provision
    for other in ground.counterparts:
        counterpart = ALL_GROUNDS[other]
        assert counterpart.rule_set is not ground.rule_set
        assert key in counterpart.counterparts


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("2006:8(1)(m)", "2024:9(1)(o)"),
        ("2006:8(1)(n)", "2024:9(1)(b)"),
        ("2006:8(1)(h)", "2024:9(1)(i)"),
    ],
)
def test_known_counterparts(old, new):
    assert new in ALL_GROUNDS[old].counterparts


def test_medical_ground_was_not_carried_over():
    assert ALL_GROUNDS["2006:8(1)(g)"].counterparts == ()


@pytest.mark.parametrize(
    ("on", "prefix"),
    [(D(2024, 8, 18), "2006:"), (D(2024, 8, 19), "2024:"), (D(2006, 9, 1), "2006:")],
)
def test_switch_date(on, prefix):
    grounds = deletion_grounds(on=on)
    assert grounds and all(g.key.startswith(prefix) for g in grounds)


def test_the_wrong_rule_set_is_refused_and_the_counterpart_named():
    result = assess_deletion(
        ground="2006:8(1)(h)", deleted_on=D(2024, 8, 19), age_status=CSA, facts=MISSING
    )
    assert not result.lawful
    assert "ended on 18 August 2024" in result.reasons[0]
    assert "2024:9(1)(i)" in result.reasons[0]
    same_day_before = assess_deletion(
        ground="2006:8(1)(h)", deleted_on=D(2024, 8, 18), age_status=CSA, facts=MISSING
    )
    assert same_day_before.lawful


def test_2024_grounds_before_the_switch_are_refused():
    result = assess_deletion(
        ground="2024:9(1)(k)",
        deleted_on=D(2024, 8, 18),
        age_status=CSA,
        facts=DeletionFacts(died=True),
    )
    assert "only from 19 August 2024" in result.reasons[0]


def test_boarding_ground_did_not_exist_before_2011():
    assert "2006:8(1)(o)" not in {g.key for g in deletion_grounds(on=D(2011, 8, 31))}
    assert "2006:8(1)(o)" in {g.key for g in deletion_grounds(on=D(2011, 9, 1))}
    result = assess_deletion(
        ground="2006:8(1)(o)",
        deleted_on=D(2011, 8, 31),
        age_status=CSA,
        facts=DeletionFacts(boarding_charges_unpaid_at_term_end=True),
    )
    assert "not in force until 2011-09-01" in result.reasons[0]


def test_age_status_must_match():
    result = assess_deletion(
        ground="2024:9(3):died", deleted_on=NEW_DAY, age_status=CSA, facts=DeletionFacts(died=True)
    )
    assert not result.lawful and "not of compulsory school age" in result.reasons[0]
    assert all(g.age is NOT_CSA for g in deletion_grounds(on=NEW_DAY, age=NOT_CSA))


@pytest.mark.parametrize(
    ("codes", "ground", "on", "lawful", "fragment"),
    [
        (("G", "N", "O"), "2024:9(1)(i)", NEW_DAY, True, None),
        (("N", "U"), "2024:9(1)(i)", NEW_DAY, False, "coded U"),  # U blocks under 2024
        (("N", "U"), "2006:8(1)(h)", OLD_DAY, True, None),  # but not under 2006
        (("N", "I"), "2024:9(1)(i)", NEW_DAY, False, "coded I"),
        (("N", "C"), "2006:8(1)(h)", OLD_DAY, False, "coded C"),
        ((), "2024:9(1)(i)", NEW_DAY, False, "No attendance codes"),
    ],
)
def test_absence_codes(codes, ground, on, lawful, fragment):
    facts = dataclasses.replace(MISSING, absence_codes=codes)
    result = assess_deletion(ground=ground, deleted_on=on, age_status=CSA, facts=facts)
    assert result.lawful is lawful
    if fragment:
        assert any(fragment in r for r in result.reasons), result.reasons


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"continuous_absence_school_days": 19}, "needs at least 20"),
        ({"la_enquiries_made": False}, "No record of enquiries by the LA"),
        ({"school_enquiries_made": False, "la_enquiries_made": False}, "the school or the LA"),
        ({"whereabouts_known": True}, "whereabouts are known"),
        ({"sickness_or_unavoidable_cause_believed": True}, "ill or unavoidably"),
        ({"cme1_signed_off": False}, "CME1 checklist"),
        ({"enquiries_started_on": D(2024, 9, 10)}, "until 2024-10-08"),
        ({"enquiries_started_on": None}, "no start date for enquiries"),
        ({"new_address_in_same_la": True}, "moved within the city"),
    ],
)
def test_joint_enquiry_ground_and_local_policy(change, fragment):
    facts = dataclasses.replace(MISSING, absence_codes=("N",), **change)
    result = assess_deletion(ground="2024:9(1)(i)", deleted_on=NEW_DAY, age_status=CSA, facts=facts)
    assert not result.lawful
    assert any(fragment in r for r in result.reasons), result.reasons


def test_every_reason_is_reported_at_once():
    facts = DeletionFacts(continuous_absence_school_days=5, absence_codes=("N",))
    result = assess_deletion(ground="2024:9(1)(i)", deleted_on=NEW_DAY, age_status=CSA, facts=facts)
    assert len(result.reasons) >= 4  # too few days, enquiries, 4 weeks, CME1


def test_moved_within_city_and_on_another_roll_is_fine():
    facts = dataclasses.replace(
        MISSING, absence_codes=("N",), new_address_in_same_la=True, on_another_roll_in_la=True
    )
    assert assess_deletion(
        ground="2024:9(1)(i)", deleted_on=NEW_DAY, age_status=CSA, facts=facts
    ).lawful


def test_moved_away_boarder_and_not_moved():
    boarder = dataclasses.replace(MOVED_AWAY, boarder=True)
    result = assess_deletion(
        ground="2024:9(1)(g)", deleted_on=NEW_DAY, age_status=CSA, facts=boarder
    )
    assert any("boarder" in r for r in result.reasons)


@pytest.mark.parametrize(
    ("change", "lawful", "fragment"),
    [
        ({"traveller_return_date": D(2024, 10, 15)}, False, "until the notified return date"),
        ({"traveller_return_date": D(2024, 9, 15)}, True, None),
        ({"traveller_left_on": D(2024, 9, 10)}, False, "stays on roll for four weeks"),
        (
            {"traveller_left_on": D(2024, 8, 1), "cme1_signed_off": False},
            False,
            "traveller child away",
        ),
        ({"traveller_left_on": D(2024, 8, 1)}, True, None),
        ({}, False, "date the traveller family left"),
    ],
)
def test_traveller_rules(change, lawful, fragment):
    facts = dataclasses.replace(MISSING, absence_codes=("N",), traveller=True, **change)
    result = assess_deletion(ground="2024:9(1)(i)", deleted_on=NEW_DAY, age_status=CSA, facts=facts)
    assert result.lawful is lawful, result.reasons
    if fragment:
        assert any(fragment in r for r in result.reasons), result.reasons


@pytest.mark.parametrize(
    ("key", "on", "notify"),
    [
        ("2006:8(1)(b)", D(2016, 8, 31), False),  # reg 12(3) as made: only d, e, g, i, m
        ("2006:8(1)(d)", D(2016, 8, 31), True),
        ("2006:8(1)(b)", D(2016, 9, 1), True),  # SI 2016/792: every deletion
        ("2024:9(1)(a)", NEW_DAY, True),
    ],
)
def test_la_notification(key, on, notify):
    ground = get_ground(key)
    facts = SATISFYING[key.split(":", 1)[1]]
    result = assess_deletion(ground=key, deleted_on=on, age_status=CSA, facts=facts)
    assert result.la_notification_required is notify
    listed = {g.key: g for g in deletion_grounds(on=on)}
    assert listed[ground.key].notify_la is notify


def test_final_year_leavers_need_no_deletion_return():
    facts = DeletionFacts(registered_at_another_school=True, completed_final_year=True)
    result = assess_deletion(ground="2024:9(1)(a)", deleted_on=NEW_DAY, age_status=CSA, facts=facts)
    assert result.lawful and not result.la_notification_required


def test_notes_flag_unverified_wording_and_the_ctf():
    result = assess_deletion(
        ground="2024:9(1)(h)", deleted_on=NEW_DAY, age_status=CSA, facts=MISSING
    )
    assert any("UNVERIFIED" in note for note in result.notes)
    assert any("XXXXXXX" in note for note in result.notes)


@pytest.mark.parametrize("key", ["2024:9(1)(p)", "8(1)(h)", "", "reg 9"])
def test_unknown_ground(key):
    with pytest.raises(UnknownGround, match="not a deletion ground"):
        assess_deletion(ground=key, deleted_on=NEW_DAY, age_status=CSA)


def test_bad_inputs():
    # Wrong types on purpose (the ignores below): callers outside mypy can still pass them,
    # and the rules must refuse them in plain words.
    assert get_ground(" 2024:9(1)(I) ").key == "2024:9(1)(i)"
    with pytest.raises(UnknownGround):
        get_ground(9)  # type: ignore[arg-type]
    with pytest.raises(InvalidDate, match="before 1 September 2006"):
        assess_deletion(ground="2006:8(1)(j)", deleted_on=D(2006, 8, 31), age_status=CSA)
    with pytest.raises(InvalidDate, match="date of deletion"):
        assess_deletion(ground="2006:8(1)(j)", deleted_on="2024-01-01", age_status=CSA)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match="AgeStatus"):
        assess_deletion(ground="2006:8(1)(j)", deleted_on=OLD_DAY, age_status="compulsory")  # type: ignore[arg-type]


@given(st.dates(min_value=D(2006, 9, 1), max_value=D(2040, 12, 31)))
def test_exactly_one_rule_set_on_any_day(on):
    grounds = deletion_grounds(on=on)
    assert len({g.rule_set for g in grounds}) == 1
    assert (grounds[0].rule_set.value == "2024") is (on >= D(2024, 8, 19))
