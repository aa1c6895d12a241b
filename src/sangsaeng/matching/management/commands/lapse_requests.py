"""``sangsaeng manage lapse_requests``: lapse contact requests past their date (for cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sangsaeng.matching.services import requests_lapse


class Command(BaseCommand):
    help = (
        "Lapse every contact request nobody answered by its lapse date and tell its sender. "
        "The task worker does this on its own at each request's date; run this from cron "
        "where no worker runs."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        lapsed = requests_lapse(actor=None)
        self.stdout.write(f"{lapsed} contact request(s) lapsed.")
