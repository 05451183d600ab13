"""`cme report dfe-return --census-date YYYY-MM-DD --out FILE.csv`: DfE's termly return."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cme.accounts.models import User
from cme.reports.census import long_date
from cme.reports.dfe_return import COLUMNS
from cme.reports.selectors import dfe_return_run


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"--census-date must be a real date written YYYY-MM-DD, like 2025-10-02, not {text!r}."
        ) from None


class Command(BaseCommand):
    help = "Monitoring reports. dfe-return: DfE's termly CME and EHE return, unrounded, as CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="report", required=True, metavar="REPORT")
        dfe = sub.add_parser(
            "dfe-return",
            help="DfE's termly EHE and CME return for a census date (unrounded: DfE rounds).",
        )
        dfe.add_argument("--census-date", required=True, help="the census day, YYYY-MM-DD")
        dfe.add_argument("--out", type=Path, required=True, help="the CSV file to write")
        dfe.add_argument(
            "--by", help="username of the person running it (recorded in the audit trail)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        by = None
        if options.get("by"):
            by = User.objects.filter(username=options["by"], is_active=True).first()
            if by is None:
                raise CommandError(f"There is no active account {options['by']!r}.")
        day = _day(options["census_date"])
        try:
            census, result = dfe_return_run(user=by, census_date=day, today=timezone.localdate())
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        out: Path = options["out"]
        with out.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f, lineterminator="\r\n")
            writer.writerow(COLUMNS)
            writer.writerows(result.rows())
        total = result.count("CME", "Total")
        ehe = result.count("EHE", "Total")
        self.stdout.write(
            f"{census.title}, census {long_date(day)}: {total} children missing education, "
            f"{ehe} electively home educated. Written to {out} (unrounded; DfE rounds)."
        )
