"""`cme create-api-token USERNAME --name NAME`: issue a token and show it once."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cme.api.tokens import api_token_create


class Command(BaseCommand):
    help = (
        "Issue an API token that acts as USERNAME: it sees and does exactly what that account "
        "may. The token is shown once and only its hash is stored."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The account the token acts as.")
        parser.add_argument(
            "--name", required=True, help="What the token is for, e.g. 'Arnside MIS'."
        )
        parser.add_argument(
            "--expires-in-days",
            type=int,
            default=None,
            help="Stop the token working after this many days (default: never, until revoked).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user_model = get_user_model()
        try:
            owner = user_model.objects.get(username=options["username"])
        except user_model.DoesNotExist:
            raise CommandError(f"No account is called {options['username']!r}.") from None
        days = options["expires_in_days"]
        if days is not None and days < 1:
            raise CommandError("--expires-in-days must be 1 or more.")
        expires_at = timezone.now() + timedelta(days=days) if days else None
        try:
            row, token = api_token_create(owner=owner, name=options["name"], expires_at=expires_at)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stderr.write(
            f"Token {row.pk} ({row.name}) for {owner.get_username()} "
            f"({owner.get_role_display()}), "
            + (f"expires {_when(row.expires_at)}. " if row.expires_at else "no expiry. ")
            + "Copy it now: it cannot be shown again."
        )
        self.stdout.write(token)


def _when(moment: datetime) -> str:
    """As the service writes a moment: "3 April 2014 at 14:05", in local time."""
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"
