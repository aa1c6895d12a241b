"""Expire waitlist offers and send booking reminders: run every few minutes from cron."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sangsaeng.resources.schedule import run_tick, tick


class Command(BaseCommand):
    help = (
        "Expire waitlist offers nobody took up (offering each slot to the next in line) and "
        "mail reminders of confirmed bookings starting within 24 hours. Run it every few "
        "minutes, e.g. from cron: */5 * * * * sangsaeng manage resources_tick"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="hand the work to the task worker instead"
        )

    def handle(self, *args: Any, enqueue: bool = False, **options: Any) -> None:
        if enqueue:
            tick.enqueue()
            self.stdout.write("queued")
            return
        done = run_tick()
        self.stdout.write(
            f"offers expired: {done['offers_expired']}, reminders sent: {done['reminders_sent']}"
        )
