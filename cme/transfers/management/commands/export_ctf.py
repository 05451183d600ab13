"""`cme export-ctf --child ID --to DEST --out DIR`: one child's Common Transfer File."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cme.accounts.models import User
from cme.accounts.permissions import WHOLE_REGISTER
from cme.people.models import Child
from cme.transfers.export import child_ctf_export


class Command(BaseCommand):
    help = (
        "Write one child's Common Transfer File, one pupil, named by the convention "
        "(LLLEEEE_CTF_DDDDDDD_NNN.xml), into DIR. DEST is the admitting school's LAESTAB, "
        "XXXXXXX (destination unknown) or MMMMMMM (independent school, Scotland or abroad). "
        "Where the register holds the file a school or the lost pupil database sent, that "
        "original is forwarded, re-addressed and dated now; otherwise one is written from the "
        "register's record. The export is recorded in the child's audit trail."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--child", type=int, required=True, help="the number in the child page's address"
        )
        parser.add_argument("--to", required=True, help="a LAESTAB, XXXXXXX or MMMMMMM")
        parser.add_argument("--out", type=Path, required=True, help="the folder to write into")
        parser.add_argument(
            "--by", default="", help="username of the CME officer or manager exporting (audit)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        by = None
        if options["by"]:
            by = User.objects.filter(username=options["by"], role__in=WHOLE_REGISTER).first()
            if by is None:
                raise CommandError("--by must be the username of a CME officer or manager.")
        child = Child.objects.filter(pk=options["child"]).first()
        if child is None:
            raise CommandError(f"There is no child {options['child']} on the register.")
        out: Path = options["out"]
        if not out.is_dir():
            raise CommandError(f"{out} is not a folder.")
        try:
            exported = child_ctf_export(user=by, child=child, to=options["to"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        path = out / exported.name
        if path.exists():
            raise CommandError(f"{path} exists already; nothing was written.")
        path.write_bytes(exported.data)
        how = "the original file, forwarded" if exported.forwarded else "written from the record"
        self.stdout.write(f"Written to {path} ({how}). The export is in the child's audit trail.")
