"""Availability search over 500 resources with a year of bookings: milliseconds per search.

    .venv/bin/python bench/resources/bench_availability.py            # SQLite file in /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:55499/bench_resources \
        .venv/bin/python bench/resources/bench_availability.py

Builds (once; reused when the database has it) 500 resources of one provider: 200 compute
nodes of 8 GPUs and 150 licence pools of 10–20 seats (open around the clock) and 150 pieces of
equipment (weekdays 09–18), with a year of bookings (six months back, six ahead: three
bookings a day per resource with probability 0.6 each, up to half a pool). Then times
``selectors.find_options`` as a member of a company (through the access policy, as the page
and the API call it) for the searches below, ``--repeat`` times each after one warm-up, and
prints the median and 95th percentile in milliseconds, and the options found.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import tempfile
import time
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sangsaeng.settings")
os.environ.setdefault("SANGSAENG_ENV", "development")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.gettempdir()}/bench-resources.sqlite3"

MARKER = "bench-node-000"


def build(resources: int, seed: int) -> int:
    from django.db import transaction
    from django.utils import timezone

    from sangsaeng.directory.models import Organisation
    from sangsaeng.resources.models import Booking, Resource
    from sangsaeng.resources.slots import SEOUL

    rng = random.Random(seed)
    provider, _ = Organisation.objects.get_or_create(
        slug="bench-provider",
        defaults={"kind": "support_agency", "name_ko": "벤치 제공기관", "status": "approved"},
    )
    bookers = [
        Organisation.objects.get_or_create(
            slug=f"bench-company-{n}",
            defaults={"kind": "company", "name_ko": f"벤치 회사 {n}", "status": "approved"},
        )[0]
        for n in range(20)
    ]
    nodes, pools = int(resources * 0.4), int(resources * 0.3)
    created = []
    for number in range(resources):
        if number < nodes:
            spec = {"kind": "compute_node", "category": "gpu", "capacity": 8}
            slug = f"bench-node-{number:03d}"
        elif number < nodes + pools:
            category = rng.choice(["eda_digital", "eda_analogue", "eda_verification"])
            spec = {"kind": "licence_pool", "category": category, "capacity": rng.randint(10, 20)}
            slug = f"bench-pool-{number:03d}"
        else:
            spec = {
                "kind": "equipment",
                "category": rng.choice(["probe_station", "fpga", "measurement"]),
                "capacity": 1,
                "opens_at": datetime.time(9),
                "closes_at": datetime.time(18),
                "open_weekdays": "01234",
            }
            slug = f"bench-equipment-{number:03d}"
        created.append(
            Resource(
                provider=provider,
                slug=slug,
                name_ko=slug,
                name_en=slug,
                max_booking_hours=24,
                credits_per_unit_hour=Decimal(1),
                **spec,
            )
        )
    today = timezone.localdate()
    count = 0
    with transaction.atomic():
        Resource.objects.bulk_create(created)
        batch = []
        for resource in Resource.objects.filter(provider=provider):
            for offset in range(-182, 183):
                day = today + datetime.timedelta(days=offset)
                if resource.kind == "equipment" and day.weekday() > 4:
                    continue
                slots = ((9, 12), (13, 17)) if resource.kind == "equipment" else (
                    (1, 8), (9, 17), (18, 23)
                )  # fmt: skip
                for first, last in slots:
                    if rng.random() > 0.6:
                        continue
                    units = 1 if resource.capacity == 1 else rng.randint(1, resource.capacity // 2)
                    batch.append(
                        Booking(
                            resource=resource,
                            organisation=rng.choice(bookers),
                            start=datetime.datetime.combine(day, datetime.time(first), SEOUL),
                            end=datetime.datetime.combine(day, datetime.time(last), SEOUL),
                            units=units,
                            exclusive=resource.capacity == 1,
                            credits=Decimal(units * (last - first)),
                        )
                    )
            if len(batch) > 20_000:
                Booking.objects.bulk_create(batch, batch_size=5000)
                count += len(batch)
                batch = []
        Booking.objects.bulk_create(batch, batch_size=5000)
        count += len(batch)
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--seed", type=int, default=20261127)
    options = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from sangsaeng.accounts.models import Membership, User
    from sangsaeng.directory.models import Organisation
    from sangsaeng.resources import selectors
    from sangsaeng.resources.models import Booking, Resource
    from sangsaeng.resources.phrases import parse_phrase

    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    if not Resource.objects.filter(slug=MARKER).exists():
        built = build(options.resources, options.seed)
        print(
            json.dumps(
                {"built_bookings": built, "seconds": round(time.perf_counter() - started, 1)}
            )
        )
    member, _ = User.objects.get_or_create(
        username="bench-member", defaults={"email": "bench-member@example.org"}
    )
    Membership.objects.get_or_create(
        user=member, organisation=Organisation.objects.get(slug="bench-company-0")
    )
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "resources": Resource.objects.filter(provider__slug="bench-provider").count(),
                "bookings": Booking.objects.filter(
                    resource__provider__slug="bench-provider"
                ).count(),
            }
        )
    )
    now = timezone.now()
    searches = {
        "4 GPUs for 8 hours next week": {},
        "2 seats of an analogue simulator on Thursday afternoon": {},
        "1 unit of any kind, 2 hours, next 7 days": {"units": 1, "hours": 2},
        "probe station tomorrow for 3 hours": {},
        "8 GPUs for 24 hours, next 30 days": {"units": 8, "hours": 24, "days": 30},
    }
    for text, fixed in searches.items():
        phrase = parse_phrase(text, now=now)
        window_start = phrase.window_start or now
        query = selectors.AvailabilityQuery(
            units=fixed.get("units") or phrase.units or 1,
            hours=fixed.get("hours") or phrase.hours or 2,
            window_start=window_start,
            window_end=phrase.window_end
            or window_start + datetime.timedelta(days=fixed.get("days", 7)),
            category=phrase.category,
        )
        selectors.find_options(member, query)  # warm-up
        times = []
        for _ in range(options.repeat):
            begun = time.perf_counter()
            result = selectors.find_options(member, query)
            times.append((time.perf_counter() - begun) * 1000)
        times.sort()
        print(
            json.dumps(
                {
                    "search": text,
                    "resources_checked": result.resources_checked,
                    "options": len(result.options),
                    "median_ms": round(statistics.median(times), 1),
                    "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
                },
                ensure_ascii=False,
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
