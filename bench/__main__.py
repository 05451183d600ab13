"""`make bench`: every benchmark suite, each writing its own section of docs/benchmarks.md.

python -m bench            # all suites
python -m bench --quick    # smaller data, for a smoke run
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback


def main() -> int:
    parser = argparse.ArgumentParser(description="Run every benchmark suite.")
    parser.add_argument("--quick", action="store_true", help="smaller data, fewer repetitions")
    args = parser.parse_args()
    failed = []
    for name in (
        "bench.register",
        "bench.reports",
        "bench.matching",
        "bench.matching.lookups",
        "bench.matching.spark",
        "bench.load",
    ):
        try:
            suite = importlib.import_module(name)
        except ImportError as exc:
            print(f"{name}: not available ({exc}); skipped")
            continue
        if not hasattr(suite, "run"):
            print(f"{name}: has no run(); skipped")
            continue
        try:
            suite.run(quick=args.quick)
        except Exception:  # one suite failing must not hide the others' results
            traceback.print_exc()
            failed.append(name)
    if failed:
        print(f"Failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
