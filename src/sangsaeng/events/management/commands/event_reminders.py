"""``event_reminders``: send the matchmaking-day reminders that are due (for cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sangsaeng.events.services import reminders_send_due


class Command(BaseCommand):
    help = (
        "Send every matchmaking-day reminder that is due and was not sent yet: the day before "
        "the first meeting (the agenda), right after the last one (rate your meetings; the "
        "day is closed first) and six months later (rate them again). Each goes out once; run "
        "it as often as you like, e.g. hourly from cron. The task worker also sends them on "
        "time when a schedule is published."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders_send_due(actor=None)
        if not sent:
            self.stdout.write("No reminder was due.")
        for kind, count in sent.items():
            self.stdout.write(f"{kind}: {count} participants")
