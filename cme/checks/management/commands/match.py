"""`cme match link|dedupe ...`: bulk matching of children's lists, by cme.matching;
`cme match build-index --out PATH`: the register's match index as a file the web workers map."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError


def build_index(argv: list[str]) -> int:
    from django.conf import settings

    from cme.cases.sources import get_source
    from cme.matching.errors import MatchingError

    parser = argparse.ArgumentParser(
        prog="cme match build-index",
        description=(
            "Build the register's match index into one file that every web worker maps "
            "read-only (CME_MATCH_INDEX_FILE). Run it nightly: a worker applies the changes "
            "made since the file was built, and a file older than half of "
            "CME_INDEX_CHANGE_LOG_HOURS is not used."
        ),
    )
    parser.add_argument(
        "--out",
        default=settings.CME_MATCH_INDEX_FILE or None,
        metavar="PATH",
        help="file to write (default: CME_MATCH_INDEX_FILE); replaced atomically",
    )
    args = parser.parse_args(argv)
    if not args.out:
        parser.error("say where to write the file: --out PATH, or set CME_MATCH_INDEX_FILE")
    started = time.monotonic()
    try:
        index = get_source("register").write_index_file(args.out)
    except (MatchingError, OSError) as exc:
        sys.stderr.write(f"error: the index file was not written: {exc}\n")
        return 2
    sys.stdout.write(
        f"wrote the match index of {len(index):,} records to {args.out} "
        f"in {time.monotonic() - started:.0f} s\n"
    )
    return 0


class Command(BaseCommand):
    help = (
        "Find the same children in two CSV lists (link) or repeats in one (dedupe), or build "
        "the register's match index file (build-index). Run `cme match --help` for the "
        "columns and options."
    )

    def run_from_argv(self, argv: list[str]) -> None:
        if argv[2:3] == ["build-index"]:
            code = build_index(argv[3:])
        else:
            # The matching package owns its own argument parsing, so it also runs without Django.
            from cme.matching.cli import main

            code = main(argv[2:])
        if code:
            sys.exit(code)

    def handle(self, *args: Any, **options: Any) -> None:
        raise CommandError("Use: cme match link LEFT.csv RIGHT.csv --out PAIRS.csv")
