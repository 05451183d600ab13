"""`cme export-child CHILD_ID --out FILE --by USERNAME`: a subject access export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder

from cme.accounts.models import Role, User
from cme.people.models import Child
from cme.records.export import child_export


class Command(BaseCommand):
    help = (
        "Write everything the register holds about one child to a JSON file, for a subject "
        "access request (UK GDPR Article 15). The export is recorded in the child's audit "
        "trail under the CME manager named with --by."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("child_id", type=int, help="the child's number in the register")
        parser.add_argument("--out", type=Path, required=True, help="the JSON file to write")
        parser.add_argument("--by", required=True, help="username of the CME manager exporting")

    def handle(self, *args: Any, **options: Any) -> None:
        by = User.objects.filter(username=options["by"], role=Role.CME_MANAGER).first()
        if by is None:
            raise CommandError("--by must be the username of a CME manager.")
        child = Child.objects.filter(pk=options["child_id"]).first()
        if child is None:
            raise CommandError(f"There is no child {options['child_id']} on the register.")
        data = child_export(child=child, by=by)
        out: Path = options["out"]
        out.write_text(json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False))
        self.stdout.write(f"Written to {out}. The export is in the child's audit trail.")
