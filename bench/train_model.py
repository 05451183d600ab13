"""Train the shipped matching model on generated children's data.

``python -m bench.train_model --out cme/matching/models/cme-child-vN.json --version vN``
(docs/matching.md). Lives beside the generator it trains on, outside the installed package.
"""

from __future__ import annotations

import argparse

from bench.synthetic import linkage_task
from cme.matching.train import train


def main(argv: list[str] | None = None) -> int:
    """Train the shipped model on generated children's data (deterministic by seed)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--out", required=True, help="where to write the model JSON")
    parser.add_argument("--version", default="v1")
    parser.add_argument("--records", type=int, default=50_000, help="register size")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    task = linkage_task(args.records, args.records // 5, seed=args.seed)
    note = (
        f"bench.synthetic.linkage_task({args.records}, {args.records // 5}, "
        f"seed={args.seed}); labels not used"
    )
    model = train(task.left, task.right, seed=args.seed, version=args.version, note=note)
    model.save(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
