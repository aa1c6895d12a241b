"""``load_taxonomy [FILE]``: load or update the capability taxonomy from a JSON file."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sangsaeng.directory.taxonomy import (
    DEFAULT_TAXONOMY_FILE,
    TaxonomyFileError,
    load_taxonomy,
    read_taxonomy_file,
)


class Command(BaseCommand):
    help = (
        "Load the capability taxonomy from a JSON file (default: the bundled AI and fabless "
        "taxonomy). Terms are matched by code: new ones are added, changed ones updated, and "
        "terms missing from the file are kept. A file with any problem changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file",
            nargs="?",
            default=str(DEFAULT_TAXONOMY_FILE),
            help="taxonomy JSON file (see docs/operators.md for its format)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            entries = read_taxonomy_file(options["file"])
        except TaxonomyFileError as error:
            raise CommandError(
                "The taxonomy was not loaded; nothing changed.\n" + "\n".join(error.problems)
            ) from error
        changes = load_taxonomy(entries)
        for line in changes.summary_lines():
            self.stdout.write(line)
