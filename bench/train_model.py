"""Train the shipped matching model on generated children's data, and set its bands.

``python -m bench.train_model --out cme/matching/models/cme-child-vN.json --version vN``
(docs/matching.md). Lives beside the generator it trains on, outside the installed package.

The m and u probabilities are learnt on `TRAINING_MIX` (seed 7); the "likely" band is then
set on another seed and the different `HELD_OUT_MIX`, as the lowest probability at which the
top candidates' precision stays at or above `--precision`, so an officer can trust "likely"
on data the model has not seen.
"""

from __future__ import annotations

import argparse

import numpy as np

from bench.synthetic import HELD_OUT_MIX, TRAINING_MIX, linkage_task
from cme.matching.index import MatchIndex
from cme.matching.model import Model
from cme.matching.train import train


def calibrate_likely(model: Model, records: int, seed: int, precision: float) -> float:
    """The lowest "likely" threshold keeping precision >= `precision` on a held-out task."""
    task = linkage_task(records, records // 5, seed=seed, mix=HELD_OUT_MIX)
    index = MatchIndex(task.right, model)
    scores, correct = [], []
    for record in task.left:
        for match in index.search(record, limit=3, min_probability=0.3):
            scores.append(match.probability)
            correct.append((record["id"], match.id) in task.truth)
    order = np.argsort(-np.asarray(scores), kind="stable")
    p, ok = np.asarray(scores)[order], np.asarray(correct)[order]
    running = np.cumsum(ok) / np.arange(1, len(ok) + 1)
    # the last place where precision of everything above is still good enough
    good = np.flatnonzero(running >= precision)
    threshold = float(p[good[-1]]) if good.size else 0.999
    return min(max(threshold, 0.5), 0.999)


def main(argv: list[str] | None = None) -> int:
    """Train the shipped model on generated children's data (deterministic by seed)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--out", required=True, help="where to write the model JSON")
    parser.add_argument("--version", default="v3")
    parser.add_argument("--records", type=int, default=50_000, help="register size")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--calibration-seed", type=int, default=11)
    # The target is 0.99 on other held-out data (issue 15); 0.993 leaves room for the seed:
    # two seeds' precision at one threshold differ by up to 0.002 (docs/matching.md, "Bands").
    parser.add_argument("--precision", type=float, default=0.993, help="for the likely band")
    args = parser.parse_args(argv)
    task = linkage_task(args.records, args.records // 5, seed=args.seed, mix=TRAINING_MIX)
    note = (
        f"bench.synthetic.linkage_task({args.records}, {args.records // 5}, "
        f"seed={args.seed}, mix=TRAINING_MIX); labels not used; likely band set on "
        f"seed={args.calibration_seed}, mix=HELD_OUT_MIX at precision {args.precision}"
    )
    model = train(task.left, task.right, seed=args.seed, version=args.version, note=note)
    model.likely = calibrate_likely(model, args.records, args.calibration_seed, args.precision)
    model.save(args.out)
    print(f"likely >= {model.likely:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
