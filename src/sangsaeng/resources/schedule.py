"""The resources app's scheduled work, run every few minutes.

``sangsaeng manage resources_tick`` (from cron or a systemd timer; ``--enqueue`` hands it to
the task worker instead) expires waitlist offers nobody took up in time, offering each slot
to the next in line, and mails a reminder of every confirmed booking that starts within a day.
"""

from __future__ import annotations

from django_tasks import task

from sangsaeng.resources import services


def run_tick() -> dict[str, int]:
    return {
        "offers_expired": services.waitlist_expire_offers(actor=None),
        "reminders_sent": services.booking_send_reminders(actor=None),
    }


@task()
def tick() -> dict[str, int]:
    """Expire untaken offers (offering their slots on) and send the day's reminders."""
    return run_tick()
