"""A referral is one child: its probability is shared among the candidates that could be
that child (`scorer.share_among_candidates`), on the lookup and in bulk alike."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cme.matching import MatchIndex, compare
from cme.matching.bulk import predict
from cme.matching.model import probability
from cme.matching.scorer import RIVAL_MIN_WEIGHT, Scored, same_child, share_among_candidates


def _scored(weights: list[float]) -> Scored:
    w = np.array(weights, dtype=float)
    return Scored(w, probability(w), {}, np.zeros(w.size, dtype=bool))


def _shared(scored: Scored) -> np.ndarray:
    assert scored.shared is not None
    return scored.shared


def _keys(children: list[int]) -> np.ndarray:
    """Child labels where equal numbers mean the same child (as `same_child` gives them:
    never shared by two referrals' candidates)."""
    return np.array(children, dtype=np.int64)


def test_a_lone_candidate_keeps_its_own_probability():
    scored = _scored([5.0])
    share_among_candidates(scored, _keys([1]))
    assert scored.weight[0] == 5.0
    assert _shared(scored)[0] == 0.0


def test_two_candidates_that_fit_equally_share_the_chance_evenly():
    scored = _scored([6.0, 6.0])
    share_among_candidates(scored, _keys([1, 2]))
    each = 2**6 / (1 + 2 * 2**6)
    assert scored.probability == pytest.approx([each, each], abs=1e-12)


def test_a_strong_candidate_loses_only_its_weak_rivals_share():
    scored = _scored([40.0, 3.0])
    share_among_candidates(scored, _keys([1, 2]))
    # the rival's mass (2^3) is not lost to rounding beside the candidate's 2^40
    assert _shared(scored)[0] == pytest.approx(math.log2(1 + 2**3), abs=1e-9)
    assert scored.probability[1] == pytest.approx(2**3 / (1 + 2**40 + 2**3), rel=1e-9)


def test_the_same_child_recorded_twice_is_not_its_own_rival():
    scored = _scored([8.0, 8.0, 2.0])
    share_among_candidates(scored, _keys([1, 1, 2]))
    assert _shared(scored)[0] == _shared(scored)[1] == pytest.approx(math.log2(1 + 2**2))
    # the child counts once against the third candidate
    assert scored.probability[2] == pytest.approx(2**2 / (1 + 2**8 + 2**2), rel=1e-9)


def test_the_searched_record_itself_and_weak_candidates_are_not_rivals():
    weak = RIVAL_MIN_WEIGHT - 0.5
    scored = _scored([30.0, 7.0, weak])
    share_among_candidates(scored, _keys([1, 2, 3]), own=np.array([1, 0, 0], dtype=np.int8))
    assert _shared(scored)[0] == 0.0  # its own record keeps its weight
    assert _shared(scored)[1] == 0.0  # the record itself is no rival; the weak one too weak
    assert _shared(scored)[2] == pytest.approx(math.log2(1 + 2**7))


def test_pairs_of_different_referrals_never_share():
    scored = _scored([6.0, 6.0, 6.0])
    share_among_candidates(scored, _keys([0, 1, 2]), query=np.array([0, 0, 1]))
    assert _shared(scored)[2] == 0.0
    assert _shared(scored)[0] == _shared(scored)[1] > 0


TWINS = [
    {
        "id": "r1",
        "forename": "Amelia",
        "surname": "Walby",
        "date_of_birth": "2013-03-25",
        "sex": "F",
        "postcode": "LS6 2AB",
        "address": "127 Oak Crescent",
    },
    {  # her older sister, whose middle name is Amelia, at the same address
        "id": "r2",
        "forename": "Daisy",
        "middle_names": "Amelia",
        "surname": "Walby",
        "date_of_birth": "2010-10-08",
        "sex": "F",
        "postcode": "LS6 2AB",
        "address": "127 Oak Crescent",
    },
]
REFERRAL = {
    "id": "q",
    "forename": "Amelia",
    "surname": "Walby",
    "date_of_birth": "2013-03-25",
    "sex": "F",
    "postcode": "LS6 2AB",
    "address": "127 Oak Crescent",
}


def test_a_sister_who_fits_nearly_as_well_is_not_likely_beside_the_child():
    alone = compare(REFERRAL, TWINS[1])
    found = {m.id: m for m in MatchIndex(TWINS).search(REFERRAL)}
    assert found["r1"].band == "likely"
    assert found["r2"].probability < alone.probability
    assert found["r2"].band != "likely"
    assert any("shared with it" in r for r in found["r2"].reasons)
    assert not any("shared with it" in r for r in found["r1"].reasons)


def test_a_twin_who_fits_nearly_as_well_is_given_as_the_reason_on_both():
    twin = {**TWINS[1], "date_of_birth": REFERRAL["date_of_birth"]}
    found = {m.id: m for m in MatchIndex([TWINS[0], twin]).search(REFERRAL)}
    assert found["r1"].probability > found["r2"].probability
    assert found["r2"].band == "unlikely"
    assert all(any("shared with it" in r for r in m.reasons) for m in found.values())


def test_bulk_shares_as_the_lookup_does_and_deduplication_does_not_share():
    lookup = {m.id: m.probability for m in MatchIndex(TWINS).search(REFERRAL, limit=5)}
    linked = predict([REFERRAL], TWINS, min_probability=0.0)
    bulk = dict(zip(linked["right_id"], linked["probability"], strict=True))
    assert bulk == pytest.approx(lookup, abs=1e-9)
    deduped = predict([REFERRAL, *TWINS], min_probability=0.0)
    pair = deduped[(deduped["left_id"] == "q") & (deduped["right_id"] == "r2")]
    assert float(pair["probability"].iloc[0]) == pytest.approx(
        compare(REFERRAL, TWINS[1]).probability, abs=1e-9
    )


def test_records_linked_by_any_key_directly_or_through_each_other_are_one_child():
    query = np.array([0, 0, 0, 0, 1])
    upn = np.array([7, 7, -1, -1, 7])
    person = np.array([[-1, 0, 0], [3, 4, 5], [3, 4, 5], [9, 9, 9], [-1, 0, 0]])
    label = same_child(query, [person, upn], np.ones(5, dtype=bool))
    assert label[0] == label[1] == label[2]  # 0-1 by UPN, 1-2 by name and birthday
    assert label[3] != label[0]
    assert label[4] != label[0]  # another referral's candidate is never merged
    weak = same_child(query, [person, upn], np.array([True, False, True, True, True]))
    assert weak[1] == 1 and weak[0] != weak[2]  # too weak to be a rival, or a link


def test_a_childs_former_name_is_not_a_rival_and_an_excluded_child_is_neither():
    register = [
        {**TWINS[0], "id": "c1"},
        {**TWINS[0], "id": "c1~1", "surname": "Walby-Hart"},  # her former name
        {**TWINS[1], "id": "c2"},  # her older sister
    ]
    index = MatchIndex(register)
    found = {m.id: m for m in index.search(REFERRAL, limit=5)}
    alone = {m.id: m for m in MatchIndex(register[:1]).search(REFERRAL)}
    # her former name does not take a share of her probability
    assert found["c1"].probability == pytest.approx(alone["c1"].probability, abs=1e-3)
    without = {m.id: m for m in index.search(REFERRAL, limit=5, exclude={"c1"})}
    assert "c1" not in without and "c1~1" not in without
    # with the child's own records left out, her sister no longer shares with them
    assert without["c2"].probability > found["c2"].probability
