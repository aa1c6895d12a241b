"""Records of every app the insights count, built directly (the counts read records, not
the services that write them; each app's own tests cover those)."""

from __future__ import annotations

import datetime

from django.utils import timezone

SEOUL = timezone.get_fixed_timezone(9 * 60)


def seoul(year: int, month: int, day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=SEOUL)
