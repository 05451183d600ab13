"""Re-estimating the model from officers' decisions (cme.matching.retrain)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from bench.synthetic import HELD_OUT_MIX, linkage_task
from cme.matching import MatchIndex, default_model
from cme.matching.model import model_from_dict
from cme.matching.retrain import (
    PRIOR_STRENGTH,
    LabelledPair,
    RetrainRefused,
    _levels,
    describe,
    estimate,
    link_benchmark,
    retrain,
)


def _decisions(moved: float, n_left: int = 400, seed: int = 21) -> list[LabelledPair]:
    """What officers would decide on the candidates shown for each referral."""
    task = linkage_task(2000, n_left, seed=seed, mix=HELD_OUT_MIX.with_rates(moved=moved))
    index = MatchIndex(task.right)
    right = {r["id"]: r for r in task.right}
    pairs = []
    for record in task.left:
        for m in index.search(record, limit=3, min_probability=0.0):
            match = (record["id"], m.id) in task.truth
            pairs.append(LabelledPair(record, right[m.id], match, len(task.right)))
    return pairs


@pytest.fixture(scope="module")
def decisions() -> list[LabelledPair]:
    return _decisions(moved=0.9)


def test_too_few_decisions_are_refused_and_nothing_is_estimated(decisions):
    few = [p for p in decisions if p.match][:5] + [p for p in decisions if not p.match][:2]
    with pytest.raises(RetrainRefused, match="Too few decisions to retrain: 5 confirmed and 2"):
        retrain(default_model(), few, version="x")
    confirmed_only = [p for p in decisions if p.match][:40]
    with pytest.raises(RetrainRefused, match="0 rejected"):
        retrain(default_model(), confirmed_only, version="x")


def test_m_is_splinks_estimate_from_the_confirmed_pairs_blended_with_the_base(decisions):
    base = default_model()
    new = estimate(base, decisions)
    confirmed = [p for p in decisions if p.match]
    seen = _levels(confirmed)["postcode"]
    n = int((seen >= 0).sum())
    share = float((seen == len(base.comparisons["postcode"].keys) - 1).sum()) / n
    old = base.comparisons["postcode"].m[-1]
    expected = (n * share + PRIOR_STRENGTH * old) / (n + PRIOR_STRENGTH)
    assert new.comparisons["postcode"].m[-1] == pytest.approx(expected, rel=1e-6)
    # nine in ten children moved, so a different address now counts for less against
    assert new.comparisons["postcode"].weights[-2] > base.comparisons["postcode"].weights[-2]
    assert np.array_equal(new.comparisons["postcode"].u, base.comparisons["postcode"].u)
    assert new.prior == base.prior and new.likely == base.likely


def test_a_retrained_model_is_a_model_file_the_loader_accepts(decisions):
    task = linkage_task(2000, 300, seed=2024, mix=HELD_OUT_MIX)
    result = retrain(
        default_model(),
        decisions,
        version="v3-test",
        benchmark=link_benchmark(task.left, task.right, task.truth),
        folds=3,
        min_rejected=5,  # officers reject few of the candidates on generated data
    )
    again = model_from_dict(json.loads(result.model.to_json()))
    assert again.version == "v3-test"
    assert again.meta["retrained_from"] == default_model().version
    assert "estimate_m_from_pairwise_labels" in again.meta["trained_on"]
    report = result.report
    for key in ("decisions_base", "decisions_new", "benchmark_base", "benchmark_new"):
        assert set(report[key]) >= {"precision", "recall"}
    assert report["decisions"]["confirmed"] == sum(p.match for p in decisions)
    assert report["decisions_new"]["recall"] >= report["decisions_base"]["recall"] - 0.05
    text = describe(report)
    assert "3-fold cross-validated" in text and "generated benchmark" in text
