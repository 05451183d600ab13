"""`cme import-establishments FILE`: load schools from DfE's Get Information about Schools."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cme.schools.services import ImportRejected, establishments_import


class Command(BaseCommand):
    help = (
        "Load or update establishments from a DfE 'Get Information about Schools' establishment "
        "fields CSV (download it from get-information-schools.service.gov.uk > Download > "
        "Establishment fields). Schools are matched by URN: new ones are added, changed ones "
        "updated, and running the same file again changes nothing. The file is checked whole "
        "first: if any row is wrong, nothing is loaded and each problem is listed with its line "
        "and column. Required columns: URN, LA (code), EstablishmentNumber, EstablishmentName; "
        "LA (name), TypeOfEstablishment (name), EstablishmentStatus (name), "
        "PhaseOfEducation (name) and Postcode are read when present; all others are ignored."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="the GIAS CSV file (UTF-8 or Windows-1252)")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and say what would change, without changing anything",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            result = establishments_import(file=path, dry_run=options["dry_run"])
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(f"{path.name}: {problem}")
            raise CommandError(
                f"{path.name} was rejected with {len(rejected.problems)} problem(s) listed "
                "above; nothing was changed."
            ) from None
        self.stdout.write(result.summary())
        if result.missing_columns:
            self.stdout.write(
                "Not in the file, so left as they were: " + ", ".join(result.missing_columns)
            )
