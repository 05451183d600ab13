"""`cme import-term-dates FILE`: add the LA's term dates (CSV or iCalendar)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cme.calendars.services import term_dates_import
from cme.rules import RulesError


class Command(BaseCommand):
    help = (
        "Add the authority's school term dates, which every school-day deadline counts in. "
        "FILE is a CSV with columns academic_year,term,kind,first_day,last_day,note (kind is "
        "term or half_term; dates as YYYY-MM-DD), or an iCalendar (.ics) file. Running it "
        "again with the same file changes nothing. Bank holidays are added automatically."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the CSV or .ics file")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"There is no file at {path}")
        try:
            result = term_dates_import(path=path)
        except RulesError as error:
            raise CommandError(f"Nothing was loaded: {error}") from error
        self.stdout.write(f"Term dates: {result.created} added, {result.unchanged} already there.")
