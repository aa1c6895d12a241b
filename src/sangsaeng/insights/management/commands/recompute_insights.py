"""``sangsaeng manage recompute_insights``: recompute the insights series now (for cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sangsaeng.insights.models import RecomputeRun
from sangsaeng.insights.tasks import recompute_insights


class Command(BaseCommand):
    help = "Recompute every computed indicator and the dashboards' monthly figures."

    def handle(self, *args: Any, **options: Any) -> None:
        run = RecomputeRun.objects.create()
        written = recompute_insights.call(run.pk)
        self.stdout.write(f"{written} figures written")
