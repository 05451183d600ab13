"""`cme create-user`: the first accounts, made by whoever runs the service.

A system administrator is staff with the admin permissions for users and reference data
only, never a Django superuser. Everyone gets a one-time link to set up their authenticator.
"""

from __future__ import annotations

import getpass
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from cme.accounts.models import Organisation, Role, User
from cme.accounts.services import (
    ROLE_ORGANISATIONS,
    enrolment_link_issue_by_operator,
    system_admin_access_grant,
)
from cme.audit.models import Verb
from cme.audit.services import audit_record


class Command(BaseCommand):
    help = (
        "Create an account: a system administrator (--role system_admin: the admin pages for "
        "users and reference data, no children's records) or the first CME manager "
        "(--role cme_manager --organisation NAME), who then sets everyone else's role. "
        "Asks for the password, and prints a one-time link to set up the authenticator app."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[role.value for role in Role])
        parser.add_argument("--organisation", help="the organisation's name, as in the admin")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")

    def _organisation(self, name: str | None, role: str) -> Organisation | None:
        if not name:
            if role == Role.SYSTEM_ADMIN:
                return None
            raise CommandError("Give --organisation: every role but system_admin needs one.")
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is None:
            raise CommandError(f"No organisation is called {name!r}: add it in the admin first.")
        if role in ROLE_ORGANISATIONS and organisation.kind not in ROLE_ORGANISATIONS[role]:
            raise CommandError(f"A {Role(role).label.lower()} cannot belong to {name}.")
        return organisation

    def _password(self, user: User) -> str:
        first = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != first:
            raise CommandError("The passwords are not the same.")
        try:
            validate_password(first, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        return first

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        role = options["role"]
        if User.objects.filter(username=username).exists():
            raise CommandError(f"There is already an account called {username!r}.")
        user = User(
            username=username,
            role=role,
            organisation=self._organisation(options["organisation"], role),
            first_name=options["first_name"],
            last_name=options["last_name"],
            email=options["email"],
        )
        user.set_password(self._password(user))
        with transaction.atomic():
            user.full_clean()
            user.save()
            if role == Role.SYSTEM_ADMIN:
                system_admin_access_grant(user=user)
            audit_record(
                actor=None, verb=Verb.CREATE, subject=user, details={"role": role, "by": "cli"}
            )
            token = enrolment_link_issue_by_operator(user=user)
        link = settings.CME_BASE_URL.rstrip("/") + reverse("accounts:enrol", args=[token])
        self.stdout.write(f"Created {username} ({Role(role).label}).")
        self.stdout.write(
            f"Their authenticator set-up link (works once, for "
            f"{settings.CME_ENROLMENT_LINK_HOURS} hours; not shown again):\n{link}"
        )
