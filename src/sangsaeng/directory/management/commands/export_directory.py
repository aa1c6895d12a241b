"""``export_directory --kind organisations|people --out FILE``: export as CSV or XLSX."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sangsaeng.accounts.models import User
from sangsaeng.directory.importing import FileFormat, ImportKind, export_directory


class Command(BaseCommand):
    help = (
        "Export organisations or people in the import format: CSV (UTF-8 with a byte-order mark, "
        "so Excel shows Korean) or XLSX, chosen by the output file's extension (or --format). "
        "The exported file re-imports cleanly."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--kind", choices=[kind.value for kind in ImportKind], default=ImportKind.ORGANISATIONS
        )
        parser.add_argument(
            "--out", default="-", help="a .csv or .xlsx file; - for standard output"
        )
        parser.add_argument(
            "--format",
            choices=[file_format.value for file_format in FileFormat],
            help="file format (default: from --out's extension; CSV for standard output)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out = options["out"]
        file_format = options.get("format") or (
            Path(out).suffix.lstrip(".").lower() if out != "-" else FileFormat.CSV
        )
        if file_format not in FileFormat.__members__.values():
            raise CommandError(f"Write to a .csv or .xlsx file (or pass --format), not {out!r}.")
        actor = (
            User.objects.filter(is_active=True, is_operator=True).order_by("pk").first()
            or User.objects.filter(is_active=True, is_superuser=True).order_by("pk").first()
        )
        if actor is None:
            raise CommandError("Exports are made as an operator, and there is none yet.")
        content = export_directory(actor=actor, kind=options["kind"], file_format=file_format)
        if out == "-":
            if file_format == FileFormat.XLSX:
                raise CommandError("Write XLSX to a file with --out, not to standard output.")
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
            return
        Path(out).write_bytes(content)
        self.stderr.write(f"Wrote {out}")
