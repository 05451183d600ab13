"""The Check step (`MatchIndex.search`) and `cme match link` (Splink) give a pair the same
probability: every pair of tests/matching/data/paired_records.csv, and every other pair both
paths return, on a register large enough for name frequencies to count and on a small one."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bench.synthetic import iter_population
from cme.matching import MatchIndex, default_model
from cme.matching.bulk import predict
from cme.matching.scorer import TF_MIN_RECORDS

PAIRS = Path(__file__).parent / "data" / "paired_records.csv"
TOLERANCE = 1e-9


def _pairs() -> tuple[list[dict], list[dict], dict[str, tuple[str, str]]]:
    referrals: list[dict] = []
    register: list[dict] = []
    named: dict[str, tuple[str, str]] = {}
    with PAIRS.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            pair, side = row.pop("pair"), row.pop("side")
            (referrals if side == "referral" else register).append(row)
            named.setdefault(pair, ("", ""))
            left, right = named[pair]
            named[pair] = (row["id"], right) if side == "referral" else (left, row["id"])
    return referrals, register, named


REFERRALS, REGISTER, NAMED = _pairs()


def _lookup(referrals: list[dict], register: list[dict]) -> dict[tuple[str, str], float]:
    index = MatchIndex(register)
    return {
        (q["id"], m.id): m.probability
        for q in referrals
        for m in index.search(q, limit=len(register))
    }


def _bulk(referrals: list[dict], register: list[dict]) -> dict[tuple[str, str], float]:
    df = predict(referrals, register, min_probability=0.0, limit=len(register))
    return {
        (a, b): p for a, b, p in zip(df["left_id"], df["right_id"], df["probability"], strict=True)
    }


@pytest.fixture(scope="module", params=["large register", "small register"])
def both(request):
    filler = []
    if request.param == "large register":
        filler = [{**r, "id": f"f{r['id']}"} for r in iter_population(TF_MIN_RECORDS + 200, 3)]
    register = REGISTER + filler
    return _lookup(REFERRALS, register), _bulk(REFERRALS, register)


@pytest.mark.parametrize("pair", sorted(NAMED))
def test_each_pair_of_the_file_scores_the_same_on_both_paths(both, pair):
    lookup, bulk = both
    key = NAMED[pair]
    assert key in lookup, f"{pair}: the lookup did not find the pair"
    assert key in bulk, f"{pair}: bulk did not find the pair"
    assert bulk[key] == pytest.approx(lookup[key], abs=TOLERANCE), pair


def test_every_pair_both_paths_find_scores_the_same(both):
    lookup, bulk = both
    shared = lookup.keys() & bulk.keys()
    assert len(shared) >= len(NAMED)
    differ = {k: (lookup[k], bulk[k]) for k in shared if abs(lookup[k] - bulk[k]) > TOLERANCE}
    assert not differ


def test_the_file_spans_the_bands_and_the_rules():
    """The file is only a test if it holds pairs each rule and band applies to."""
    lookup = _lookup(REFERRALS, REGISTER)
    model = default_model()
    bands = {model.band(lookup[NAMED[p]]) for p in NAMED}
    assert bands == {"likely", "possible", "unlikely"}
    twin = lookup[NAMED["twin"]]
    assert model.band(twin) == "possible"  # the sibling guard
    assert model.band(lookup[NAMED["twin with the same UPN"]]) == "likely"
    assert model.band(lookup[NAMED["swapped names moved"]]) != "unlikely"  # the swap rule


def test_splinks_threshold_leaves_out_no_pair_the_scorer_would_keep():
    """Splink's SQL weight only narrows the pairs; the pairs at or above the probability asked
    for are the same as when every blocked pair is scored."""
    from bench.synthetic import HELD_OUT_MIX, linkage_task

    task = linkage_task(2000, 400, seed=31, mix=HELD_OUT_MIX)
    everything = predict(task.left, task.right, min_probability=0.0, limit=1000)
    kept = everything[everything["probability"] >= 0.3]
    narrowed = predict(task.left, task.right, min_probability=0.3, limit=1000)
    as_set = lambda df: set(zip(df["left_id"], df["right_id"], strict=True))  # noqa: E731
    assert as_set(narrowed) == as_set(kept)
    assert len(kept) > 300
