"""Scheduling a matchmaking day through the platform's task: from the database to the saved
schedule.

Builds a throw-away database (SQLite under a temporary folder, or the PostgreSQL database
``DATABASE_URL`` names, which it empties first), writes an event in bulk — 16 slots, 80
tables, 600 registered participants with the slots they are free in, 3,000 accepted meeting
requests — and then times what an organiser's click does: ``scheduling_start`` queues the
``compute_schedule`` task, which (with the immediate task backend) reads everything from the
database, runs the engine's scheduler and saves the provisional schedule (meetings and agenda
entries). The instance is the engine benchmark's (``bench/meetings/bench_meetings.py``, same
seed): most participants there all day, some leaving early or arriving late, a third capping
their meetings, requests to popular participants, a quarter "must meet"; the receiving side
accepted each with "would like to meet". With ``--available-slots 6`` each participant is free
in 6 of the 16 slots instead (tables are then not the only limit).

    .venv/bin/python bench/events/bench_schedule.py                       # dense
    .venv/bin/python bench/events/bench_schedule.py --available-slots 6   # sparse
    DATABASE_URL=postgres://postgres@127.0.0.1:55499/bench_events \\
        .venv/bin/python bench/events/bench_schedule.py --seeds 3

Prints one JSON line per seed: the wall time of the task (and of its parts), the engine's
summary (scheduled share, objective, LP bound, gap), what was saved, checks that nobody and
no table is booked twice, and the process's peak resident memory.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "meetings"))


def _setup(folder: Path) -> None:
    os.environ["SANGSAENG_ENV"] = "development"
    os.environ["SANGSAENG_VAR"] = str(folder)
    os.environ["SANGSAENG_INDEX_DIR"] = str(folder / "index")
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sangsaeng.settings")
    import django

    django.setup()
    from django.core.management import call_command

    if os.environ.get("DATABASE_URL"):
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", interactive=False, verbosity=0)


def _event(options: argparse.Namespace, seed: int):
    """The engine benchmark's instance, written to the database as an organiser's event."""
    from bench_meetings import make_event
    from django.utils import timezone

    from sangsaeng.accounts.models import User
    from sangsaeng.directory.models import Organisation
    from sangsaeng.events.models import (
        Event,
        Location,
        MeetingRequest,
        Participant,
        Session,
        Slot,
    )

    participants, requests, slots, _affinities = make_event(
        options.participants,
        options.requests,
        options.slots,
        seed,
        options.available_slots,
    )
    day = timezone.localdate() + datetime.timedelta(days=30)
    start = datetime.datetime.combine(day, datetime.time(9), tzinfo=timezone.get_current_timezone())
    operator = User.objects.create(
        username=f"bench-operator-{seed}", email=f"operator-{seed}@bench.invalid", is_operator=True
    )
    event = Event.objects.create(
        slug=f"bench-{seed}",
        title_ko="벤치마크 매칭데이",
        starts_on=day,
        ends_on=day,
        registration_deadline=start - datetime.timedelta(days=5),
        request_deadline=start - datetime.timedelta(days=3),
        schedule_deadline=start - datetime.timedelta(days=1),
        is_published=True,
    )
    session = Session.objects.create(
        event=event,
        title_ko="종일",
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=20 * len(slots)),
    )
    saved_slots = Slot.objects.bulk_create(
        Slot(
            event=event,
            session=session,
            starts_at=start + datetime.timedelta(minutes=20 * k),
            ends_at=start + datetime.timedelta(minutes=20 * (k + 1)),
            position=k + 1,
            is_break=slot.is_break,
        )
        for k, slot in enumerate(slots)
    )
    slot_of = {slot.id: saved.pk for slot, saved in zip(slots, saved_slots, strict=True)}
    Location.objects.bulk_create(
        Location(event=event, kind="table", number=n) for n in range(1, options.tables + 1)
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(
            slug=f"bench-{seed}-org-{k}",
            kind="company",
            name_ko=f"벤치 기관 {k}",
            status="approved",
        )
        for k in range(len(participants))
    )
    users = User.objects.bulk_create(
        User(username=f"bench-{seed}-{p.id}", email=f"{p.id}-{seed}@bench.invalid")
        for p in participants
    )
    now = timezone.now()
    saved = Participant.objects.bulk_create(
        Participant(
            event=event,
            user=user,
            organisation=organisation,
            name=p.id,
            max_meetings=p.max_meetings,
            consented_at=now,
        )
        for p, user, organisation in zip(participants, users, organisations, strict=True)
    )
    by_id = {p.id: row for p, row in zip(participants, saved, strict=True)}
    open_slots = [slot.id for slot in slots if not slot.is_break]
    through = Participant.available_slots.through
    through.objects.bulk_create(
        [
            through(participant_id=by_id[p.id].pk, slot_id=slot_of[slot_id])
            for p in participants
            for slot_id in (sorted(p.available) if p.available is not None else open_slots)
        ],
        batch_size=5000,
    )
    MeetingRequest.objects.bulk_create(
        [
            MeetingRequest(
                event=event,
                requester=by_id[r.requester],
                requested=by_id[r.requested],
                message="bench",
                requester_priority="must" if r.priority > 1 else "like",
                requested_priority="like",
                status=MeetingRequest.Status.ACCEPTED,
                answered_at=now,
            )
            for r in requests
        ],
        batch_size=2000,
    )
    return operator, event


def _checks(event) -> dict[str, object]:
    from django.db.models import Count

    from sangsaeng.events.models import AgendaEntry, Meeting

    meetings = Meeting.objects.filter(event=event)
    double_tables = (
        meetings.values("slot_id", "location_id").annotate(n=Count("id")).filter(n__gt=1).count()
    )
    double_people = (
        AgendaEntry.objects.filter(meeting__event=event)
        .values("participant_id", "slot_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    return {
        "meetings_saved": meetings.count(),
        "agenda_entries_saved": AgendaEntry.objects.filter(meeting__event=event).count(),
        "tables_booked_twice": double_tables,
        "participants_booked_twice": double_people,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=600)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--slots", type=int, default=16)
    parser.add_argument("--tables", type=int, default=80)
    parser.add_argument("--available-slots", type=int, help="sparse: open slots per participant")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--seeds", type=int, default=1)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-events-") as folder:
        _setup(Path(folder))
        from django.db import connection

        from sangsaeng.events import services
        from sangsaeng.events.scheduling import RELATIVE_GAP, TIME_LIMIT_SECONDS

        for seed in range(options.seed, options.seed + options.seeds):
            built = time.perf_counter()
            operator, event = _event(options, seed)
            built = time.perf_counter() - built
            started, cpu = time.perf_counter(), time.process_time()
            run = services.scheduling_start(actor=operator, event=event)
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
            run.refresh_from_db()
            summary = run.summary
            print(
                json.dumps(
                    {
                        "database": connection.vendor,
                        "participants": options.participants,
                        "requests": options.requests,
                        "slots": options.slots,
                        "tables": options.tables,
                        "available_slots": options.available_slots,
                        "seed": seed,
                        "time_limit_seconds": TIME_LIMIT_SECONDS,
                        "relative_gap": RELATIVE_GAP,
                        "writing_the_instance_seconds": round(built, 2),
                        "task_wall_seconds": round(wall, 2),
                        # On a shared machine the wall time includes waiting for a core.
                        "task_cpu_seconds": round(cpu, 2),
                        "run_status": run.status,
                        "requested_meetings": run.requested,
                        "scheduled_meetings": run.scheduled,
                        "scheduled_share": summary.get("scheduled_share"),
                        "objective_value": summary.get("objective_value"),
                        "lp_bound": summary.get("lp_bound"),
                        "gap_to_lp_bound": summary.get("gap_to_lp_bound"),
                        "status": summary.get("status"),
                        "found_by": summary.get("found_by"),
                        "engine_solve_seconds": summary.get("solve_seconds"),
                        "reading_and_solving_seconds": summary.get("solve_and_read_seconds"),
                        "by_priority": summary.get("by_priority"),
                        **_checks(event),
                        "peak_rss_mib": round(
                            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                        ),
                    }
                ),
                flush=True,
            )


if __name__ == "__main__":
    main()
