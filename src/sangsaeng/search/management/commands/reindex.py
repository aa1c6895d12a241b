"""``sangsaeng reindex``: rebuild the search index from the database and snapshot it."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from sangsaeng.search.index import SearchIndex, prune_change_log


class Command(BaseCommand):
    help = (
        "Rebuild the search index (experts, organisations, needs and offers) from the database, "
        "write a snapshot to ENGINE_INDEX_DIR that every process starts from, and drop the "
        "change-log entries the snapshot already holds. Safe while the site runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--folder",
            default=None,
            help="snapshot folder (default: settings.ENGINE_INDEX_DIR)",
        )
        parser.add_argument(
            "--keep-log",
            action="store_true",
            help="keep the change log (by default entries older than the snapshot are deleted)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"] or settings.ENGINE_INDEX_DIR)
        started = time.perf_counter()
        index = SearchIndex(folder)
        index.rebuild()
        sizes = ", ".join(f"{len(built)} in {name}" for name, built in index.current().items())
        target = index.save_snapshot()
        pruned = 0 if options["keep_log"] else prune_change_log(index.position)
        self.stdout.write(
            f"Indexed {sizes} in {time.perf_counter() - started:.1f} s; snapshot {target}; "
            f"{pruned} change-log entries removed."
        )
