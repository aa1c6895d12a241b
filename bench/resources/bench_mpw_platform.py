"""MPW allocation through the platform: 200 requests on one run, from the database to the
confirmed allocation.

    .venv/bin/python bench/resources/bench_mpw_platform.py --requests 200 --seeds 3
    (DATABASE_URL=postgres://... for PostgreSQL; an SQLite file in /tmp otherwise)

The engine alone is measured by ``bench_mpw.py``; this is the platform's path: the requests
are rows (``ShuttleRequest``, made with the same generator as ``bench_mpw.py``: 60
organisations, 1–30 mm² each, a minimum block of 30–100% or all-or-nothing, priority 1–3), an
operator starts the allocation (``services.allocation_start``), the background task
(``tasks.compute_allocation``, called here in this process) reads them, solves exactly and
stores the proposal with every grant's reason; then the operator confirms it
(``services.allocation_confirm``), which writes the grants. Printed per seed: the solver's
status and seconds, the task's wall seconds, the confirmation's seconds, the area granted.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sangsaeng.settings")
os.environ.setdefault("SANGSAENG_ENV", "development")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.gettempdir()}/bench-mpw-platform.sqlite3"
sys.path.insert(0, str(Path(__file__).parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--organisations", type=int, default=60)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261125)
    options = parser.parse_args()

    import django

    django.setup()
    from bench_mpw import make_requests
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from sangsaeng.accounts.models import User
    from sangsaeng.directory.models import Organisation
    from sangsaeng.resources import services, tasks
    from sangsaeng.resources.models import AreaAllocation, Resource, ShuttleRequest

    call_command("migrate", interactive=False, verbosity=0)
    stamp = str(int(time.time()))
    operator = User.objects.create(
        username=f"mpw-operator-{stamp}", email=f"op{stamp}@x.org", is_operator=True
    )
    organisations = {
        f"org-{n:02d}": Organisation.objects.create(
            slug=f"mpw-{stamp}-{n}", kind="company", name_ko=f"회사 {n}", status="approved"
        )
        for n in range(options.organisations)
    }
    for seed in range(options.seed, options.seed + options.seeds):
        run = Resource.objects.create(
            provider=next(iter(organisations.values())),
            slug=f"mpw-{stamp}-{seed}",
            kind="mpw_run",
            category="mpw",
            name_ko="MPW",
            tape_out_date=timezone.localdate() + datetime.timedelta(days=90),
            request_deadline=timezone.now() + datetime.timedelta(days=30),
            total_area_mm2=Decimal(400),
            min_block_mm2=Decimal(1),
            max_block_mm2=Decimal(25),
            organisation_share=Decimal("0.1"),
        )
        asks = make_requests(options.requests, options.organisations, "integer", seed)
        ShuttleRequest.objects.bulk_create(
            ShuttleRequest(
                run=run,
                organisation=organisations[ask.organisation],
                design=ask.design,
                area_mm2=Decimal(str(ask.area)),
                min_block_mm2=None if ask.min_block is None else Decimal(str(ask.min_block)),
                priority=Decimal(str(ask.weight)),
            )
            for ask in asks
        )
        began = time.perf_counter()
        allocation = services.allocation_start(actor=operator, run=run)
        tasks.compute_allocation.call(allocation.pk)
        computed = time.perf_counter() - began
        allocation.refresh_from_db()
        began = time.perf_counter()
        services.allocation_confirm(actor=operator, allocation=allocation)
        confirmed = time.perf_counter() - began
        allocation.refresh_from_db()
        summary = allocation.summary
        print(
            json.dumps(
                {
                    "database": connection.vendor,
                    "seed": seed,
                    "requests": summary["requests"],
                    "status": summary["status"],
                    "solve_seconds": summary["solve_seconds"],
                    "task_wall_seconds": round(computed, 3),
                    "confirm_seconds": round(confirmed, 3),
                    "granted_area": summary["granted_area"],
                    "requested_area": summary["requested_area"],
                    "designs_granted": summary["designs_granted"],
                    "allocation_status": allocation.status,
                    "granted_rows": ShuttleRequest.objects.filter(
                        run=run, granted_mm2__gt=0
                    ).count(),
                }
            ),
            flush=True,
        )
        assert allocation.status == AreaAllocation.Status.CONFIRMED


if __name__ == "__main__":
    main()
