"""Running the engine's meeting scheduler over an event (a background task's work).

From the database to the saved schedule: the event's registered participants with the slots
they are free in and their meeting limits, every accepted request with both sides'
priorities ("must meet" counts three times "would like to meet", the engine's convention),
the open slots, and the places per venue (tables and rooms on site, online rooms for any
meeting with someone online). The engine (:func:`sangsaeng.engine.meetings.schedule_meetings`)
maximises the weight of the meetings held; its schedule replaces the event's provisional one,
which the organiser reviews and then publishes as final. The run records its progress, the
engine's summary (LP bound and gap) and which requests were left out, and why.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sangsaeng.engine.meetings import (
    PRIORITY_WEIGHTS,
    TimeSlot,
    schedule_meetings,
)
from sangsaeng.engine.meetings import (
    MeetingRequest as EngineRequest,
)
from sangsaeng.engine.meetings import (
    Participant as EngineParticipant,
)
from sangsaeng.events.models import (
    AgendaEntry,
    Event,
    Location,
    Meeting,
    MeetingRequest,
    Participant,
    SchedulingRun,
    Slot,
)

# The whole solve (LP bound included) stops here; the platform's benchmark (bench/events)
# runs 600 participants and 3,000 requests well inside it.
TIME_LIMIT_SECONDS = 45.0
# The engine stops once its schedule is this close to the LP bound (0.1%).
RELATIVE_GAP = 1e-3


def _progress(run: SchedulingRun, progress: int, stage: str) -> None:
    run.progress, run.stage, run.status = progress, stage, SchedulingRun.Status.RUNNING
    SchedulingRun.objects.filter(pk=run.pk).update(
        progress=progress, stage=stage, status=SchedulingRun.Status.RUNNING
    )


def run_scheduler(run: SchedulingRun) -> int:
    """Schedule ``run.event``'s accepted requests and save the provisional schedule."""
    started = time.perf_counter()
    event = Event.objects.get(pk=run.event_id)
    _progress(run, 5, "reading")
    slots = list(Slot.objects.filter(event=event).order_by("position"))
    participants = list(
        Participant.objects.filter(event=event, status=Participant.Status.REGISTERED).only(
            "pk", "attendance", "max_meetings"
        )
    )
    available: dict[int, set[int]] = defaultdict(set)
    for participant_id, slot_id in Participant.available_slots.through.objects.filter(
        participant__event=event
    ).values_list("participant_id", "slot_id"):
        available[participant_id].add(slot_id)
    online = {p.pk for p in participants if p.attendance == Participant.Attendance.ONLINE}
    registered = {p.pk for p in participants}
    accepted = [
        request
        for request in MeetingRequest.objects.filter(
            event=event, status=MeetingRequest.Status.ACCEPTED
        ).values("pk", "requester_id", "requested_id", "requester_priority", "requested_priority")
        if request["requester_id"] in registered and request["requested_id"] in registered
    ]
    locations = list(Location.objects.filter(event=event).order_by("kind", "number"))
    places: dict[str, list[Location]] = {"table": [], "online": []}
    for location in locations:
        places[location.venue].append(location)
    _progress(run, 15, "building")

    engine_requests = []
    request_of_pair: dict[frozenset[str], int] = {}
    for request in accepted:
        first, second = str(request["requester_id"]), str(request["requested_id"])
        venue = (
            "online"
            if request["requester_id"] in online or request["requested_id"] in online
            else "table"
        )
        engine_requests.append(
            EngineRequest(first, second, PRIORITY_WEIGHTS[request["requester_priority"]], venue)
        )
        if request["requested_priority"]:
            engine_requests.append(
                EngineRequest(second, first, PRIORITY_WEIGHTS[request["requested_priority"]], venue)
            )
        request_of_pair[frozenset((first, second))] = request["pk"]
    schedule = schedule_meetings(
        [
            EngineParticipant(
                str(p.pk),
                frozenset(str(s) for s in available[p.pk]) if available[p.pk] else None,
                max_meetings=p.max_meetings,
            )
            for p in participants
        ],
        engine_requests,
        [TimeSlot(str(slot.pk), is_break=slot.is_break) for slot in slots],
        {venue: len(found) for venue, found in places.items()},
        time_limit_seconds=getattr(settings, "EVENTS_SCHEDULER_SECONDS", TIME_LIMIT_SECONDS),
        relative_gap=getattr(settings, "EVENTS_SCHEDULER_GAP", RELATIVE_GAP),
    )
    _progress(run, 85, "saving")
    solved = time.perf_counter()

    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        Meeting.objects.filter(event=event, status=Meeting.Status.PROVISIONAL).delete()
        meetings = Meeting.objects.bulk_create(
            [
                Meeting(
                    event=event,
                    request_id=request_of_pair[frozenset((m.requester, m.requested))],
                    first_id=int(m.requester),
                    second_id=int(m.requested),
                    slot_id=int(m.slot),
                    location=places[m.venue][m.table - 1],
                    status=Meeting.Status.PROVISIONAL,
                    origin=Meeting.Origin.SCHEDULER,
                )
                for m in schedule.meetings
            ],
            batch_size=1000,
        )
        AgendaEntry.objects.bulk_create(
            [
                AgendaEntry(meeting=meeting, participant_id=participant_id, slot_id=meeting.slot_id)
                for meeting in meetings
                for participant_id in (meeting.first_id, meeting.second_id)
            ],
            batch_size=2000,
        )
        event.schedule_status = Event.ScheduleStatus.PROVISIONAL
        event.save(update_fields=["schedule_status", "updated_at"])
        summary = schedule.summary()
        summary["unscheduled_reasons"] = dict(Counter(u.reason for u in schedule.unscheduled))
        summary["places"] = {venue: len(found) for venue, found in places.items()}
        summary["participants"] = len(participants)
        summary["solve_and_read_seconds"] = round(solved - started, 3)
        summary["total_seconds"] = round(time.perf_counter() - started, 3)
        run.status, run.progress, run.stage = SchedulingRun.Status.DONE, 100, "done"
        run.requested, run.scheduled = schedule.requested, len(schedule.meetings)
        run.summary, run.finished_at = summary, timezone.now()
        run.save(
            update_fields=[
                "status",
                "progress",
                "stage",
                "requested",
                "scheduled",
                "summary",
                "finished_at",
            ]
        )
    return len(meetings)
