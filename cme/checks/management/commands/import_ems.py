"""`cme import-ems FILE`: load the LA's EMS/MIS extract of pupils on roll."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cme.checks.imports import EMS_COLUMNS, ImportRejected, ems_import


class Command(BaseCommand):
    help = (
        "Load pupils on roll (with attendance and latest exclusion) from the LA's EMS/MIS "
        "extract, a UTF-8 CSV. Each school named in the file (by its 7-digit laestab) gets "
        "exactly the file's pupils; schools not in the file are left as they were; the same "
        "file twice changes nothing. The file is checked whole first: any problem, and nothing "
        f"is loaded. Columns: {', '.join(EMS_COLUMNS)} (see docs/checks.md)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="the EMS extract CSV")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            result = ems_import(file=path)
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{path.name} was rejected with {len(rejected.problems)} problem(s) listed "
                "above; nothing was changed."
            ) from None
        self.stdout.write(result.summary())
