"""`sangsaeng manage programs_remind`: remind reviewers whose reviews are due soon or late.

Run it once a day (cron, a systemd timer): for every call under review, each reviewer with a
review due within three days or already late hears it once (at most once a day).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sangsaeng.programs.models import Call
from sangsaeng.programs.services import reminders_send


class Command(BaseCommand):
    help = "Remind reviewers whose reviews are due within three days or late (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        reminded = 0
        for call in Call.objects.filter(status=Call.Status.PUBLISHED):
            if call.phase == Call.Phase.REVIEW:
                reminded += reminders_send(actor=None, call=call)
        self.stdout.write(f"{reminded} reviewers reminded")
