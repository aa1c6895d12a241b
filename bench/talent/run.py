"""Time a placement round's match from the database to saved results, through the task.

Builds a throw-away database (SQLite in a temporary folder by default; ``--database-url``
for PostgreSQL), fills it with bulk inserts: companies, openings with their positions,
students with accounts, profiles and consents, a round they all joined, each student's
rank list of ``--choices`` openings (popular openings drawn more often) and each company's
rank list of all its applicants. Then it times what the cluster office's click sets off:

1. ``match_start`` (the service: checks, a MatchRun, the task queued after commit), and
   ``run_match`` (the task the database worker runs: the market read from the database,
   the engine's match, the results and the round's state written in one transaction), then
   ``announce_results`` (the task it queues: a notification per student and company, and
   a mail task per notification, queued as in production);
2. the same with ``--unranked`` of the openings left unranked by their companies: the
   task then asks the search index for the engine's scores of their applicants (the index
   is built before the clock starts, as a running worker holds it; its build time is
   reported apart);
3. a second phase: a tenth of the offers declined, the unplaced students ranking up to 5
   openings with room left, matched by the same task.

    .venv/bin/python bench/talent/run.py                       # 5,000 students × 300 openings
    .venv/bin/python bench/talent/run.py --students 20000 --openings 1000
    .venv/bin/python bench/talent/run.py --database-url postgres://postgres@127.0.0.1:55499/bench

Each figure is one run: wall time, this process's CPU time, SQL statements, peak resident
memory, and what the match produced (placed, first choices, unplaced, blocking pairs).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TERMS = ["verification", "npu", "risc-v", "analog-rf", "physical-design", "llm", "edge-ai"]


def _setup(folder: Path, database_url: str | None) -> None:
    os.environ["SANGSAENG_ENV"] = "development"
    os.environ["SANGSAENG_VAR"] = str(folder)
    os.environ["SANGSAENG_INDEX_DIR"] = str(folder / "index")
    # The database worker's backend: queued tasks are rows, run by the worker later.
    os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["LOG_LEVEL"] = "WARNING"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sangsaeng.settings")
    import django

    django.setup()
    from django.core.management import call_command

    if database_url:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", interactive=False, verbosity=0)


def _measure(label: str, action: Callable[[], Any]) -> Any:
    from django.db import connection, reset_queries

    reset_queries()
    connection.force_debug_cursor = True
    started, cpu = time.perf_counter(), time.process_time()
    try:
        result = action()
    finally:
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        statements = len(connection.queries)
        connection.force_debug_cursor = False
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{label}: {wall:.2f} s wall, {cpu:.2f} s CPU, {statements} SQL statements, "
        f"peak RSS {peak:.0f} MB",
        flush=True,
    )
    return result


def _fill(args: argparse.Namespace, rng: random.Random) -> dict[str, Any]:
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from sangsaeng.accounts.models import Membership, User
    from sangsaeng.directory.models import Organisation, Person, TaxonomyTerm
    from sangsaeng.talent.models import (
        ConsentRecord,
        Opening,
        PlacementRound,
        RoundParticipant,
        StudentChoice,
        StudentProfile,
    )

    terms = TaxonomyTerm.objects.bulk_create(
        TaxonomyTerm(code=code, name_ko=code, name_en=code) for code in TERMS
    )
    university = Organisation.objects.create(
        slug="bench-university", kind="university", name_ko="벤치대학교", status="approved"
    )
    companies = Organisation.objects.bulk_create(
        Organisation(
            slug=f"bench-company-{k}",
            kind="company",
            name_ko=f"벤치기업 {k}",
            name_en=f"Bench company {k}",
            status="approved",
        )
        for k in range(args.openings)
    )
    unusable = make_password(None)
    users = User.objects.bulk_create(
        (
            User(username=f"bench-{k}", email=f"bench-{k}@bench.example", password=unusable)
            for k in range(args.students + args.openings + 1)
        ),
        batch_size=2000,
    )
    operator = users[-1]
    operator.is_operator = True
    operator.save(update_fields=["is_operator"])
    Membership.objects.bulk_create(
        Membership(user=users[args.students + k], organisation=company, role="admin")
        for k, company in enumerate(companies)
    )
    people = Person.objects.bulk_create(
        (
            Person(
                slug=f"bench-student-{k}",
                kind="student",
                user=users[k],
                organisation=university,
                name_ko=f"학생{k}",
                name_en=f"Student {k}",
                is_public=False,
            )
            for k in range(args.students)
        ),
        batch_size=2000,
    )
    profiles = StudentProfile.objects.bulk_create(
        (
            StudentProfile(person=person, about=f"{rng.choice(TERMS)} and {rng.choice(TERMS)}")
            for person in people
        ),
        batch_size=2000,
    )
    StudentProfile.skills.through.objects.bulk_create(
        (
            StudentProfile.skills.through(studentprofile_id=profile.pk, taxonomyterm_id=term.pk)
            for profile in profiles
            for term in rng.sample(terms, 2)
        ),
        batch_size=5000,
    )
    ConsentRecord.objects.bulk_create(
        (
            ConsentRecord(user=person.user, purpose="talent_profile", version="2026-01")
            for person in people
        ),
        batch_size=5000,
    )
    openings = Opening.objects.bulk_create(
        Opening(
            organisation=company,
            kind="internship",
            title_ko=f"{TERMS[k % len(TERMS)]} 인턴 {k}",
            title_en=f"{TERMS[k % len(TERMS)]} intern {k}",
            description_en=f"Work on {TERMS[k % len(TERMS)]} with our team.",
            positions=rng.randint(10, 22),
        )
        for k, company in enumerate(companies)
    )
    Opening.tags.through.objects.bulk_create(
        Opening.tags.through(opening_id=opening.pk, taxonomyterm_id=terms[k % len(terms)].pk)
        for k, opening in enumerate(openings)
    )
    now = timezone.now()
    placement_round = PlacementRound.objects.create(
        name_ko="벤치 라운드",
        max_choices=args.choices,
        students_deadline=now - timezone.timedelta(days=2),
        companies_deadline=now - timezone.timedelta(days=1),
        status="open",
        seed=args.seed,
    )
    placement_round.openings.set(openings)
    RoundParticipant.objects.bulk_create(
        (RoundParticipant(round=placement_round, student=person) for person in people),
        batch_size=5000,
    )
    weights = [rng.paretovariate(1.5) for _ in openings]
    lists: dict[int, list[int]] = {}
    choices = []
    for person in people:
        chosen: list[Any] = []
        while len(chosen) < args.choices:
            opening = rng.choices(openings, weights)[0]
            if opening not in chosen:
                chosen.append(opening)
        lists[person.pk] = [o.pk for o in chosen]
        choices += [
            StudentChoice(round=placement_round, student=person, opening=o, rank=r)
            for r, o in enumerate(chosen, start=1)
        ]
    StudentChoice.objects.bulk_create(choices, batch_size=5000)
    return {
        "round": placement_round,
        "operator": operator,
        "openings": openings,
        "people": people,
        "lists": lists,
    }


def _rank_companies(world: dict[str, Any], rng: random.Random, unranked: float) -> int:
    """Each company ranks all its applicants (a random order), except ``unranked`` of them."""
    from sangsaeng.talent.models import CompanyRanking

    placement_round = world["round"]
    applicants: dict[int, list[int]] = {}
    for person_id, listed in world["lists"].items():
        for opening_id in listed:
            applicants.setdefault(opening_id, []).append(person_id)
    skipped = set(rng.sample(sorted(applicants), int(len(applicants) * unranked)))
    CompanyRanking.objects.filter(round=placement_round).delete()
    rows = []
    for opening_id, people in applicants.items():
        if opening_id in skipped:
            continue
        order = people[:]
        rng.shuffle(order)
        rows += [
            CompanyRanking(round=placement_round, opening_id=opening_id, student_id=p, rank=r)
            for r, p in enumerate(order, start=1)
        ]
    CompanyRanking.objects.bulk_create(rows, batch_size=5000)
    return len(skipped)


def _match(world: dict[str, Any], label: str) -> Any:
    from django.db import transaction

    from sangsaeng.talent import services, tasks
    from sangsaeng.talent.models import MatchRun

    def start() -> MatchRun:
        with transaction.atomic():
            return services.match_start(actor=world["operator"], placement_round=world["round"])

    def run_task() -> int:
        return tasks.run_match.call(run.pk)

    def announce() -> int:
        return tasks.announce_results.call(run.pk)

    run = _measure(f"{label}: match_start (service, task queued)", start)
    placed = _measure(f"{label}: run_match (the worker's task: results saved)", run_task)
    _measure(f"{label}: announce_results (the next task: notifications, mails queued)", announce)
    run.refresh_from_db()
    summary = run.summary
    first = summary["choice_counts"].get("1", 0)
    print(
        f"{label}: {summary['students']} students, {summary['placed']} placed ({placed} "
        f"saved), {first} first choices, {summary['unplaced']} unplaced, "
        f"{summary['unfilled_positions']} positions left in {summary['unfilled_openings']} "
        f"openings, blocking pairs {summary['blocking_pairs']}, "
        f"engine {summary['solve_seconds']} s",
        flush=True,
    )
    return run


def _reset(world: dict[str, Any]) -> None:
    from django_tasks_db.models import DBTaskResult

    from sangsaeng.notifications.models import Notification
    from sangsaeng.talent.models import MatchResult, MatchRun, PlacementRound

    MatchResult.objects.filter(round=world["round"]).delete()
    MatchRun.objects.filter(round=world["round"]).delete()
    Notification.objects.all().delete()
    DBTaskResult.objects.all().delete()
    PlacementRound.objects.filter(pk=world["round"].pk).update(status="open", phase=1)
    world["round"].refresh_from_db()


def _second_phase(world: dict[str, Any], rng: random.Random) -> None:
    from django.utils import timezone

    from sangsaeng.talent import selectors
    from sangsaeng.talent.models import MatchResult, PlacementRound, StudentChoice

    placement_round = world["round"]
    offered = list(MatchResult.objects.filter(round=placement_round, opening__isnull=False))
    declined = rng.sample(offered, len(offered) // 10)
    MatchResult.objects.filter(pk__in=[r.pk for r in declined]).update(offer="declined")
    now = timezone.now()
    PlacementRound.objects.filter(pk=placement_round.pk).update(
        phase=2,
        status="open",
        students_deadline=now - timezone.timedelta(hours=2),
        companies_deadline=now - timezone.timedelta(hours=1),
    )
    placement_round.refresh_from_db()
    left = sorted(selectors.remaining_positions(placement_round))
    unplaced = list(
        MatchResult.objects.filter(round=placement_round, phase=1)
        .exclude(offer__in=["pending", "accepted"])
        .values_list("student_id", flat=True)
    )
    StudentChoice.objects.bulk_create(
        (
            StudentChoice(round=placement_round, phase=2, student_id=s, opening_id=o, rank=r)
            for s in unplaced
            for r, o in enumerate(rng.sample(left, min(5, len(left))), start=1)
        ),
        batch_size=5000,
    )
    print(
        f"second phase: {len(declined)} offers declined, {len(unplaced)} students rank up to "
        f"5 of the {len(left)} openings with room",
        flush=True,
    )
    _match(world, "second phase (companies did not rank: engine order)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=5000)
    parser.add_argument("--openings", type=int, default=300)
    parser.add_argument("--choices", type=int, default=10)
    parser.add_argument("--unranked", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    folder = Path(tempfile.mkdtemp(prefix="sangsaeng-bench-talent-"))
    _setup(folder, args.database_url)
    from django.db import connection

    print(
        f"{args.students} students × {args.openings} openings, {args.choices} choices each, "
        f"database {connection.vendor}",
        flush=True,
    )
    world = _measure("fill (bulk inserts, not part of the round)", lambda: _fill(args, rng))
    _rank_companies(world, rng, 0.0)
    _match(world, "every company ranked")
    _reset(world)
    skipped = _rank_companies(world, rng, args.unranked)
    from sangsaeng.search.index import search_index

    _measure("search index built (a running worker holds it)", lambda: search_index().current())
    print(f"{skipped} openings left unranked by their companies", flush=True)
    _match(world, f"{skipped} openings unranked")
    _second_phase(world, rng)
    return 0


if __name__ == "__main__":
    sys.exit(main())
