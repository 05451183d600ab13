"""`cme demo`: load the fictional demo authority (LA 341) and print its sign-ins."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cme.demo.accounts import existing_sign_ins
from cme.demo.builder import DEFAULT_SEED, DemoRefused, build_demo
from cme.people.models import Child


class Command(BaseCommand):
    help = (
        "Load a fictional local authority (LA code 341) for trying the register out: about 60 "
        "schools, staff in every role, and 300 made-up children with three years of referrals "
        "and cases. Every child is marked fictional. The same --seed and --as-of always give "
        "the same data. Prints the sign-ins at the end; they all share one password."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
        )
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            default=None,
            metavar="YYYY-MM-DD",
            help="the demo's 'today': all history is dated back from it (default: today)",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (and succeed) if the database already has any child on it",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Child.objects.exists():
            self.stdout.write("The database already has data; demo not loaded again.")
            for line in existing_sign_ins():
                self.stdout.write(line)
            return
        as_of = options["as_of"] or timezone.localdate()
        started = time.monotonic()
        try:
            result = build_demo(seed=options["seed"], as_of=as_of)
        except DemoRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(
            f"Demo authority loaded in {time.monotonic() - started:.1f}s (seed {options['seed']}, "
            f"as of {as_of}): {result.establishments} establishments, {result.users} users, "
            f"{result.children} fictional children, {result.cases} cases, "
            f"{result.referrals} referrals, {result.case_events} timeline events."
        )
        self.stdout.write("")
        for line in result.sign_ins:
            self.stdout.write(line)
