"""`cme db-roles-sql`: the SQL a database administrator runs once to create the two roles."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cme.audit.roles import db_roles_sql


class Command(BaseCommand):
    help = (
        "Print the SQL that creates the register's two PostgreSQL roles: OWNER, which runs "
        "`cme migrate` and owns the tables, and APP, which the app connects as and which may "
        "only add to and read the audit trail. Run it as a superuser, connected to the "
        "database: cme db-roles-sql --owner cme_owner --app cme_app --database cme | "
        "psql -d cme. Running it again changes nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--owner", required=True, help="the owner role's name")
        parser.add_argument("--app", required=True, help="the app's role name")
        parser.add_argument("--database", required=True, help="the register's database")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["owner"] == options["app"]:
            raise CommandError("The owner and the app need two different roles.")
        try:
            sql = db_roles_sql(
                owner=options["owner"], app=options["app"], database=options["database"]
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(sql, ending="")
