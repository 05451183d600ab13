"""`cme revoke-api-token ID`: stop a token working at once."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cme.api.models import ApiToken
from cme.api.tokens import api_token_revoke


class Command(BaseCommand):
    help = "Revoke an API token by its number (shown when it was created, and in the admin)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("token_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            token = ApiToken.objects.get(pk=options["token_id"])
        except ApiToken.DoesNotExist:
            raise CommandError(f"No API token number {options['token_id']}.") from None
        try:
            api_token_revoke(token=token)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Token {token.pk} ({token.name}) revoked.")
