"""`cme check-audit-role`: confirm the app's database role cannot rewrite the audit trail."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from cme.audit.roles import app_role_check


class Command(BaseCommand):
    help = (
        "Run with the app's own DATABASE_URL after deploying: checks that the role the app "
        "connects as may add and read audit events but is refused changing, deleting or "
        "truncating them, owns nothing, and cannot switch the triggers off. Leaves nothing "
        "behind. Exits 1 if any of that is not so. PostgreSQL only."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are a PostgreSQL matter: DATABASE_URL is not one.")
        findings = app_role_check()
        user = connection.settings_dict.get("USER") or "the app's role"
        for finding in findings:
            mark = "ok  " if finding.ok else "FAIL"
            self.stdout.write(f"{mark} {user} {finding.what}")
        if not all(finding.ok for finding in findings):
            raise CommandError(
                "The app's database role can change the audit trail: create the roles as "
                "README's Production section says and run `cme migrate` with "
                "DATABASE_OWNER_URL set.",
                returncode=1,
            )
