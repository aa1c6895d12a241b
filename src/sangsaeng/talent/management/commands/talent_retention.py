"""``sangsaeng manage talent_retention``: remove the personal data of long-finished rounds."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sangsaeng.talent.consents import retention_days
from sangsaeng.talent.tasks import remove_expired_personal_data, schedule_retention


class Command(BaseCommand):
    help = (
        "Remove the personal data (rank lists, participations, the student on results and "
        "placements) of placement rounds finished more than TALENT_RETENTION_DAYS days ago. "
        "With --schedule, queue the nightly sweep on the database worker instead; it then "
        "queues each next night's run itself."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="queue the nightly sweep (03:00 Seoul time) on the database worker",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            if schedule_retention():
                self.stdout.write("The nightly sweep is queued on the database worker.")
            else:
                self.stdout.write(
                    "Nothing queued: a sweep is already waiting, or the task backend cannot "
                    "run tasks later (run this command from cron instead)."
                )
            return
        cleared = remove_expired_personal_data()
        self.stdout.write(
            f"Removed the personal data of {cleared} rounds finished more than "
            f"{retention_days()} days ago."
        )
