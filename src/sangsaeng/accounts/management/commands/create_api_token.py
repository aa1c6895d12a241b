"""Make an API token for a user from the command line (for scripts and integrations)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sangsaeng.accounts.models import User
from sangsaeng.accounts.services import api_token_create


class Command(BaseCommand):
    help = (
        "Make an API token for the user with the given e-mail and print it. The token is shown "
        "only this once (only its hash is stored); send it as 'Authorization: Bearer <token>'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, metavar="EMAIL", help="the user's e-mail")
        parser.add_argument(
            "--name", required=True, help="what the token is for, e.g. 'nightly KPI export'"
        )

    def handle(self, *args: Any, user: str, name: str, **options: Any) -> None:
        owner = User.objects.filter(email__iexact=user.strip()).first()
        if owner is None:
            raise CommandError(f"No user has the e-mail address {user!r}.")
        if not owner.is_active:
            raise CommandError(f"The user {user!r} is deactivated; activate them first.")
        try:
            record, token = api_token_create(actor=owner, name=name)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stderr.write(f"Token {record.name!r} for {owner.email} (shown only once):")
        self.stdout.write(token)
