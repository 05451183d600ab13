"""Command line: `cme match link LEFT RIGHT --out PAIRS` and `cme match dedupe FILE --out PAIRS`."""

from __future__ import annotations

import argparse
import sys

from cme.matching.errors import MatchingError, MatchingInputError
from cme.matching.model import LIKELY, POSSIBLE, load_model
from cme.matching.records import COLUMNS

EPILOG = f"""
CSV columns (header row; any subset including id, any order): {",".join(COLUMNS)}.
Dates are ISO 8601 (YYYY-MM-DD); empty fields are fine. The output has one row per
candidate pair: left_id,right_id,probability,band, best first for each left id.
Bands: likely >= {LIKELY}, possible >= {POSSIBLE}, otherwise unlikely (docs/matching.md).

`cme match build-index --out PATH` builds the register's match index into the file that the
web workers map (CME_MATCH_INDEX_FILE; docs/operations.md).
"""


def build_parser(prog: str = "cme match") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Link or deduplicate children's records with the trained matching model.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="{link,dedupe}")
    link = sub.add_parser("link", help="find each LEFT record's candidates in RIGHT")
    link.add_argument("left", metavar="LEFT", help="CSV of records to look for")
    link.add_argument("right", metavar="RIGHT", help="CSV of records to look in")
    dedupe = sub.add_parser("dedupe", help="find likely duplicates within FILE")
    dedupe.add_argument("file", metavar="FILE", help="CSV of records")
    for p in (link, dedupe):
        p.add_argument("--out", required=True, metavar="PAIRS", help="CSV file to write")
        p.add_argument("--model", help="model JSON (default: the shipped model)")
        p.add_argument(
            "--backend",
            choices=("duckdb", "spark"),
            default="duckdb",
            help="Splink backend: duckdb in-process (default) or spark (needs pyspark)",
        )
        p.add_argument(
            "--min-probability",
            type=float,
            default=0.1,
            help="leave out pairs below this probability (default 0.1)",
        )
        p.add_argument("--limit", type=int, default=10, help="candidates per left record")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command; 0 on success, 2 for bad input or options."""
    from cme.matching import bulk

    args = build_parser().parse_args(argv)
    try:
        model = load_model(args.model) if args.model else None
        options = {
            "model": model,
            "backend": args.backend,
            "min_probability": args.min_probability,
            "limit": args.limit,
        }
        if args.command == "link":
            n = bulk.link(args.left, args.right, args.out, **options)
        else:
            n = bulk.dedupe(args.file, args.out, **options)
    except MatchingInputError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    except MatchingError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    sys.stdout.write(f"wrote {n} pairs to {args.out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
