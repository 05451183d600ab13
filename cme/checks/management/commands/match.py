"""`cme match link|dedupe ...`: bulk matching of children's lists, by cme.matching."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Find the same children in two CSV lists (link) or repeats in one (dedupe). "
        "Run `cme match --help` for the columns and options."
    )

    def run_from_argv(self, argv: list[str]) -> None:
        # The matching package owns its own argument parsing, so it also runs without Django.
        from cme.matching.cli import main

        code = main(argv[2:])
        if code:
            sys.exit(code)

    def handle(self, *args: Any, **options: Any) -> None:
        raise CommandError("Use: cme match link LEFT.csv RIGHT.csv --out PAIRS.csv")
