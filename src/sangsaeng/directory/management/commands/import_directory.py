"""``import_directory FILE [--kind organisations|people]``: import a CSV or XLSX file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sangsaeng.accounts.models import User
from sangsaeng.directory.importing import ImportKind, ImportRejected, import_directory


class Command(BaseCommand):
    help = (
        "Import organisations or people from a .csv (UTF-8) or .xlsx file. A file with any bad "
        "row imports nothing and lists every bad row with its line number and the reason. Rows "
        "whose slug (or e-mail, for people) matches an existing record update it. The columns "
        "are listed in docs/operators.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a .csv or .xlsx file")
        parser.add_argument(
            "--kind",
            choices=[kind.value for kind in ImportKind],
            help="what the file holds (default: guessed from its columns)",
        )
        parser.add_argument(
            "--as",
            dest="operator",
            help="e-mail of the operator the audit log names (default: the first operator)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self._operator(options.get("operator"))
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        try:
            report = import_directory(
                actor=actor, content=content, filename=path.name, kind=options.get("kind")
            )
        except ImportRejected as error:
            raise CommandError(
                f"Nothing was imported from {path.name}; fix these problems and try again:\n"
                + "\n".join(f"  {problem}" for problem in error.problems)
            ) from error
        self.stdout.write(report.summary())
        for row in report.created:
            self.stdout.write(f"  line {row.line}: added {row.slug} ({row.name})")
        for row in report.updated:
            self.stdout.write(
                f"  line {row.line}: updated {row.slug} ({row.name}), matched by {row.matched_by}"
            )

    def _operator(self, email: str | None) -> User:
        operators = User.objects.filter(is_active=True, is_operator=True) | User.objects.filter(
            is_active=True, is_superuser=True
        )
        if email:
            actor = operators.filter(email__iexact=email).first()
            if actor is None:
                raise CommandError(f"No active operator has the e-mail {email}.")
            return actor
        actor = operators.order_by("pk").first()
        if actor is None:
            raise CommandError(
                "Imports are recorded in the audit log under an operator, and there is none yet. "
                "Create one (sangsaeng manage createsuperuser) or load the demo."
            )
        return actor
