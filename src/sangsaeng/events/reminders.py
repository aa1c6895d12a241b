"""Closing an event's day and the reminder mails that follow the calendar.

Three reminders go out once each (an :class:`~sangsaeng.events.models.EventReminder` records
it): the day before the first meeting (the agenda, with tables and the check-in code), right
after the last one (rate your meetings; the day is closed first, so that meetings are held or
no-shows), and six months later (rate them again: what came of them). :func:`send_due` sends
whatever is due; the ``event_reminders`` task runs it at each moment a reminder falls due,
and ``sangsaeng manage event_reminders`` runs it from a scheduler such as cron.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse

from sangsaeng.events import notifications
from sangsaeng.events.models import AgendaEntry, Event, EventReminder, Meeting, Participant
from sangsaeng.events.selectors import FOLLOW_UP_AFTER, event_period
from sangsaeng.notifications.services import notify


def close_day(event: Event, now: datetime.datetime) -> Event:
    """Scheduled meetings become held, or no-shows where a participant did not check in (when
    check-in was used at all); provisional leftovers go. The caller locks the event."""
    checked_in = set(
        event.participants.filter(checked_in_at__isnull=False).values_list("pk", flat=True)
    )
    for meeting in Meeting.objects.filter(event=event, status=Meeting.Status.SCHEDULED):
        missing = [p for p in (meeting.first_id, meeting.second_id) if p not in checked_in]
        if not checked_in or not missing:
            meeting.status = Meeting.Status.HELD
            meeting.save(update_fields=["status", "updated_at"])
        else:
            AgendaEntry.objects.filter(meeting=meeting).delete()
            meeting.status = Meeting.Status.NO_SHOW
            meeting.absent_id = missing[0] if len(missing) == 1 else None
            meeting.save(update_fields=["status", "absent", "updated_at"])
    Meeting.objects.filter(event=event, status=Meeting.Status.PROVISIONAL).delete()
    event.finished_at = now
    event.save(update_fields=["finished_at", "updated_at"])
    return event


def _participants_with_meetings(event: Event, statuses: tuple[str, ...]) -> list[Participant]:
    ids: set[int] = set()
    for first, second in Meeting.objects.filter(event=event, status__in=statuses).values_list(
        "first_id", "second_id"
    ):
        ids.update((first, second))
    return list(
        Participant.objects.filter(pk__in=ids, status=Participant.Status.REGISTERED).select_related(
            "user"
        )
    )


def _send(event: Event, kind: str, participants: list[Participant], link: str) -> int:
    try:
        with transaction.atomic():
            reminder = EventReminder.objects.create(
                event=event, kind=kind, recipients=len(participants)
            )
    except IntegrityError:  # another worker sent it a moment ago
        return 0
    notify(
        recipients=[participant.user for participant in participants],
        kind=notifications.REMINDER,
        context={"event": event.title, "stage": kind},
        link=link,
    )
    return reminder.recipients


def send_due(now: datetime.datetime) -> dict[str, int]:
    """Send every reminder due at ``now`` that was not sent; how many people each reached."""
    sent: dict[str, int] = {}
    finished = EventReminder.objects.filter(kind=EventReminder.Kind.FOLLOW_UP).values("event_id")
    for event in Event.objects.filter(is_published=True).exclude(pk__in=finished):
        first, last = event_period(event)
        if first is None or last is None:
            continue
        done = set(event.reminders.values_list("kind", flat=True))
        agenda = reverse("events:agenda", args=[event.slug])
        feedback = reverse("events:feedback", args=[event.slug])
        due: list[tuple[str, tuple[str, ...], str]] = []
        if EventReminder.Kind.DAY_BEFORE not in done and (
            first - datetime.timedelta(days=1) <= now < first
        ):
            due.append((EventReminder.Kind.DAY_BEFORE, (Meeting.Status.SCHEDULED,), agenda))
        if now >= last and EventReminder.Kind.FEEDBACK not in done:
            if event.finished_at is None:
                close_day(Event.objects.select_for_update().get(pk=event.pk), now)
            due.append((EventReminder.Kind.FEEDBACK, (Meeting.Status.HELD,), feedback))
        if now >= last + FOLLOW_UP_AFTER and EventReminder.Kind.FOLLOW_UP not in done:
            due.append((EventReminder.Kind.FOLLOW_UP, (Meeting.Status.HELD,), feedback))
        for kind, statuses, link in due:
            reached = _send(event, kind, _participants_with_meetings(event, statuses), link)
            sent[kind] = sent.get(kind, 0) + reached
    return sent
