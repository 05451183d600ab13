"""`cme verify-audit`: check the audit trail's hash chain and name the first broken event."""

from __future__ import annotations

import re
from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cme.audit.verify import audit_chain_verify


def _head(value: str) -> tuple[int, str]:
    match = re.fullmatch(r"(\d+):([0-9a-f]{64})", value.strip())
    if not match:
        raise ArgumentTypeError("give the event number and its hash as NUMBER:HASH")
    return int(match[1]), match[2]


class Command(BaseCommand):
    help = (
        "Check that no audit event has been changed, removed or reordered since it was "
        "written, from the first event to the newest. Prints the number of events and the "
        "newest event's number and hash: keep that line somewhere outside the database (a "
        "log the database's administrators cannot change) and pass it back with --expect, "
        "which also catches the newest events being removed. Exits 1 and names the first "
        "broken or missing event if the trail has been tampered with."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--expect",
            type=_head,
            metavar="NUMBER:HASH",
            help="an event number and hash printed by an earlier run, which must still be there",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        check = audit_chain_verify(expect=options["expect"])
        if not check.whole:
            raise CommandError(
                f"The audit trail has been tampered with. {check.fault} "
                f"The {check.count:,} events before it are intact.",
                returncode=1,
            )
        self.stdout.write(
            f"The audit trail is whole: {check.count:,} events. "
            f"Newest: {check.head_seq}:{check.head_hash}"
        )
