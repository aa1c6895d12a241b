"""Insights at scale: the nightly recomputation, the dashboards and the network page.

Builds a throw-away SQLite database (or the PostgreSQL database ``DATABASE_URL`` names,
which it empties first) with, spread over five years: ``--organisations`` approved
organisations (default 5,000: the network page's target) tagged with taxonomy areas,
needs, matches (a third accepted), joint projects, shared publications and confirmed
bookings (defaults: about ten times the demo's needs, matches and projects). Programs,
talent and event records are not generated (their counts read the same way: one
``values_list`` per metric). Then times:

- ``recompute()`` (what the nightly task runs), median of ``--repeat`` runs;
- the public dashboard and the operator dashboard with a filter (Django test client, the
  whole request: middleware, selectors, templates), median of 20;
- the network page's server side (build + NetworkX figures + JSON) and, with
  ``--chromium``, the time from navigation to cytoscape.js's first draw in chromium.

    .venv/bin/python bench/insights/bench_insights.py
    .venv/bin/python bench/insights/bench_insights.py --organisations 500 --chromium

Prints one JSON line.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


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


def _build(options: argparse.Namespace) -> dict[str, int]:
    from django.utils import timezone

    from sangsaeng.accounts.models import User
    from sangsaeng.directory.models import Organisation, Person, Publication, TaxonomyTerm
    from sangsaeng.matching.models import JointProject, Match, Need
    from sangsaeng.resources.models import Booking, Resource

    rng = random.Random(7)
    today = timezone.localdate()
    span = 5 * 365

    def moment() -> datetime.datetime:
        day = today - datetime.timedelta(days=rng.randrange(span))
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))

    roots = TaxonomyTerm.objects.bulk_create(
        TaxonomyTerm(code=f"area-{i}", name_ko=f"분야 {i}", name_en=f"Area {i}", order=i)
        for i in range(8)
    )
    kinds = ["company"] * 7 + ["university", "research_institute", "support_agency"]
    organisations = Organisation.objects.bulk_create(
        Organisation(
            slug=f"org-{i}",
            kind=rng.choice(kinds),
            name_ko=f"기관 {i}",
            name_en=f"Organisation {i}",
            status="approved",
            is_fictional=True,
        )
        for i in range(options.organisations)
    )
    Through = Organisation.tags.through
    Through.objects.bulk_create(
        Through(organisation_id=o.pk, taxonomyterm_id=rng.choice(roots).pk) for o in organisations
    )
    institutions = [o for o in organisations if o.kind != "company"]
    companies = [o for o in organisations if o.kind == "company"]
    author = User.objects.create(username="bench", email="bench@bench.invalid")
    people = Person.objects.bulk_create(
        Person(
            slug=f"p-{i}",
            name_ko=f"연구자 {i}",
            organisation=rng.choice(organisations),
            is_fictional=True,
        )
        for i in range(options.organisations)
    )
    needs = Need.objects.bulk_create(
        Need(
            organisation=rng.choice(companies),
            author=author,
            kind="partner_search",
            title=f"수요 {i}",
            description="벤치마크",
            visibility="public",
        )
        for i in range(options.needs)
    )
    pairs = set()
    while len(pairs) < options.needs * 2:
        pairs.add((rng.randrange(len(needs)), rng.randrange(len(institutions))))
    matches = Match.objects.bulk_create(
        Match(
            need=needs[n],
            organisation=institutions[i],
            state=rng.choice(["suggested", "suggested", "accepted", "project"]),
        )
        for n, i in sorted(pairs)
    )
    projects = JointProject.objects.bulk_create(
        JointProject(match=m, title="p", start_date=moment().date())
        for m in matches
        if m.state == "project"
    )
    Publication.objects.bulk_create(
        Publication(person=rng.choice(people), title=f"논문 {i // 2}", year=moment().year)
        for i in range(options.organisations * 2)
    )
    provider = rng.choice(institutions)
    equipment = Resource.objects.create(
        provider=provider,
        slug="bench-gpu",
        kind="compute_node",
        category="gpu",
        name_ko="GPU 서버",
        capacity=1000,
        max_booking_hours=24,
        credits_per_unit_hour=0,
    )
    bookings = []
    for _ in range(options.bookings):
        start = moment() + datetime.timedelta(hours=rng.randrange(8))
        bookings.append(
            Booking(
                resource=equipment,
                organisation=rng.choice(organisations),
                booked_by=author,
                start=start,
                end=start + datetime.timedelta(hours=rng.randrange(1, 5)),
                state="confirmed",
            )
        )
    Booking.objects.bulk_create(bookings, batch_size=2000)
    # Timestamps were set by auto_now_add: spread needs and matches over the five years.
    for need in needs:
        need.created_at = moment()
    Need.objects.bulk_update(needs, ["created_at"], batch_size=2000)
    for match in matches:
        match.updated_at = moment()
    Match.objects.bulk_update(matches, ["updated_at"], batch_size=2000)
    return {
        "organisations": len(organisations),
        "needs": len(needs),
        "matches": len(matches),
        "joint_projects": len(projects),
        "publications": options.organisations * 2,
        "bookings": len(bookings),
    }


def _median_ms(function, times: int) -> float:
    runs = []
    for _ in range(times):
        started = time.perf_counter()
        function()
        runs.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(runs), 1)


def _chromium_first_draw(html: str) -> dict[str, float]:
    from django.contrib.staticfiles import finders
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium")
        )
        page = browser.new_page()

        def serve(route):
            path = route.request.url.split("/static/", 1)[1].split("?")[0]
            found = finders.find(path)
            if not found:
                route.fulfill(status=404)
                return
            route.fulfill(path=found)

        page.route("**/static/**", serve)
        page.route(
            "http://bench.local/", lambda route: route.fulfill(body=html, content_type="text/html")
        )
        started = time.perf_counter()
        page.goto("http://bench.local/")
        page.wait_for_selector("#network-graph[data-ready=true]", timeout=120_000)
        total = (time.perf_counter() - started) * 1000
        drawn = float(page.get_attribute("#network-graph", "data-drawn-ms") or 0)
        browser.close()
    return {"navigation_to_first_draw_ms": round(total, 1), "cytoscape_draw_ms": drawn}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organisations", type=int, default=5000)
    parser.add_argument("--needs", type=int, default=3000)
    parser.add_argument("--bookings", type=int, default=30000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--chromium", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        _setup(Path(folder))
        from django.test import Client

        from sangsaeng.accounts.models import User
        from sangsaeng.insights import network
        from sangsaeng.insights.compute import recompute
        from sangsaeng.insights.models import MetricPoint

        started = time.perf_counter()
        built = _build(options)
        build_s = time.perf_counter() - started
        recompute_ms = _median_ms(recompute, options.repeat)
        client = Client(headers={"Accept-Language": "ko"})
        public_ms = _median_ms(lambda: client.get("/ko/insights/"), 20)
        operator = User.objects.create(username="op", email="op@bench.invalid", is_operator=True)
        staff = Client(headers={"Accept-Language": "ko"})
        staff.force_login(operator)
        assert staff.get("/ko/insights/operator/?kind=company&area=area-1").status_code == 200
        operator_ms = _median_ms(
            lambda: staff.get("/ko/insights/operator/?kind=company&area=area-1"), 20
        )

        def network_server() -> None:
            graph = network.build()
            network.figures(graph)
            network.elements(graph)

        network_server_ms = _median_ms(network_server, 3)
        response = staff.get("/ko/insights/network/")
        assert response.status_code == 200
        html = response.content.decode()
        result = {
            "records": built,
            "build_s": round(build_s, 1),
            "metric_points": MetricPoint.objects.count(),
            "recompute_median_ms": recompute_ms,
            "public_dashboard_median_ms": public_ms,
            "operator_dashboard_filtered_median_ms": operator_ms,
            "network_server_median_ms": network_server_ms,
            "network_page_bytes": len(html),
            "database": "postgresql" if os.environ.get("DATABASE_URL") else "sqlite",
        }
        if options.chromium:
            result.update(_chromium_first_draw(html))
        result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        print(json.dumps(result))


if __name__ == "__main__":
    main()
