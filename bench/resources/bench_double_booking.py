"""Concurrent double-booking attempts: N threads book the same slot at once; how many win.

    .venv/bin/python bench/resources/bench_double_booking.py --attempts 100     # SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:55499/bench_resources \
        .venv/bin/python bench/resources/bench_double_booking.py --attempts 100

Each attempt is a thread with its own database connection and a member of its own company
calling ``services.booking_create`` for the same two hours, as concurrent requests would. For
each kind of resource (equipment: 1 unit; a GPU node: 8 GPUs, 2 per booking; a licence pool of
20 seats, 1 per booking) it prints the attempts, the bookings made (must be the capacity), the
refusals (the translated "already booked" error), other errors (must be none), the units held
afterwards and the wall time. ``tests/resources/test_concurrency.py`` asserts the same with 60.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import tempfile
import threading
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sangsaeng.settings")
os.environ.setdefault("SANGSAENG_ENV", "development")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.gettempdir()}/bench-double-booking.sqlite3"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=100)
    options = parser.parse_args()

    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.management import call_command
    from django.db import connection, connections
    from django.utils import timezone

    from sangsaeng.accounts.models import Membership, User
    from sangsaeng.directory.models import Organisation
    from sangsaeng.resources import services
    from sangsaeng.resources.models import Booking, Resource
    from sangsaeng.resources.slots import SEOUL

    call_command("migrate", interactive=False, verbosity=0)
    run = str(int(time.time()))
    provider = Organisation.objects.create(
        slug=f"race-provider-{run}", kind="support_agency", name_ko="경주", status="approved"
    )
    people = []
    for number in range(options.attempts):
        company = Organisation.objects.create(
            slug=f"race-{run}-{number}", kind="company", name_ko=f"회사 {number}", status="approved"
        )
        user = User.objects.create(username=f"race-{run}-{number}", email=f"r{run}-{number}@x.org")
        Membership.objects.create(user=user, organisation=company)
        people.append((user, company))
    day = timezone.localdate() + datetime.timedelta(days=3)
    start = datetime.datetime.combine(day, datetime.time(10), SEOUL)
    end = start + datetime.timedelta(hours=2)
    kinds = [("equipment", 1, 1), ("compute_node", 8, 2), ("licence_pool", 20, 1)]
    for kind, capacity, units in kinds:
        resource = Resource.objects.create(
            provider=provider, slug=f"race-{kind}-{run}", kind=kind, name_ko=kind, capacity=capacity
        )
        barrier = threading.Barrier(options.attempts)
        lock = threading.Lock()
        outcome = {"booked": 0, "refused": 0, "errors": []}

        def attempt(
            user, company, resource=resource, barrier=barrier, lock=lock, outcome=outcome,
            units=units,
        ):  # fmt: skip
            try:
                barrier.wait()
                services.booking_create(
                    actor=user, resource=resource, organisation=company, start=start, end=end,
                    units=units,
                )  # fmt: skip
                key = "booked"
            except ValidationError:
                key = "refused"
            except Exception as error:
                with lock:
                    outcome["errors"].append(repr(error)[:200])
                return
            finally:
                connections.close_all()
            with lock:
                outcome[key] += 1

        threads = [threading.Thread(target=attempt, args=person) for person in people]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - began
        held = sum(
            Booking.objects.filter(resource=resource, state__in=Booking.HOLDING).values_list(
                "units", flat=True
            )
        )
        print(
            json.dumps(
                {
                    "database": connection.vendor,
                    "resource": kind,
                    "capacity": capacity,
                    "units_per_booking": units,
                    "attempts": options.attempts,
                    "booked": outcome["booked"],
                    "refused": outcome["refused"],
                    "errors": len(outcome["errors"]),
                    "first_error": (outcome["errors"] or [""])[0],
                    "units_held": held,
                    "exactly_capacity": held == capacity and outcome["booked"] == capacity // units,
                    "wall_seconds": round(seconds, 2),
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
