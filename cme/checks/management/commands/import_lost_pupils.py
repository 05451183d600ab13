"""`cme import-lost-pupils FILE...`: load S2S lost-pupil CTF files (XXXXXXX / MMMMMMM)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cme.checks.imports import ImportRejected, lost_pupils_import


class Command(BaseCommand):
    help = (
        "Load pupils from S2S lost-pupil CTF XML files: one pupil a file, sent to XXXXXXX "
        "(destination unknown) or MMMMMMM (independent school, Scotland or abroad). Every CTF "
        "version from 18.0 (2018/19) to this year's is accepted, with Sex or the older Gender. "
        "Every file is checked first: any problem in any file, and nothing is loaded. A file "
        "loaded before is skipped."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, help="CTF XML files")

    def handle(self, *args: Any, **options: Any) -> None:
        paths: list[Path] = options["files"]
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            raise CommandError(f"No such file: {', '.join(missing)}")
        try:
            result = lost_pupils_import(files=list(paths))
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"Rejected with {len(rejected.problems)} problem(s) listed above; "
                "nothing was changed."
            ) from None
        self.stdout.write(result.summary())
