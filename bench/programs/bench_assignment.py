"""A support-program call at scale: 1,000 applications × 800 reviewers, from the applications in
the database to an assignment saved, through the platform's own task; then the operator's
assignment page.

    .venv/bin/python bench/programs/bench_assignment.py [--applications 1000] [--reviewers 800]
    DATABASE_URL=postgres://postgres@127.0.0.1:55499/programs_bench .venv/bin/python \
        bench/programs/bench_assignment.py

Set-up (not timed): a database under ``bench/out/programs-<n>x<m>/`` (SQLite unless
DATABASE_URL is set) is migrated and filled once (reused on later runs): the taxonomy, 1,000
generated fabless companies in Seongnam (the demo generator's text: capabilities, products,
descriptions in Korean and English) with a university partner each, 800 generated experts
opted in as reviewers with their publications, 16,000 bids, and one closed call with its 1,000
applications screened in. As the platform does when each application is submitted, every
application's embedding is stored (``ApplicationVector``); the search index of the directory
is built and saved as a snapshot, as ``sangsaeng reindex`` does. Embeddings are cached in
``bench/out/embeddings.npz`` so that a second run does not embed again.

Timed:

1. ``task``: ``programs.tasks.compute_assignment`` on a fresh run, in a worker whose index is
   loaded (the worker keeps it in memory between tasks): conflicts detected and saved, the
   stored embeddings read, 800,000 pairs scored by the engine (each reviewer narrowed to their
   evidence), the engine's exact assignment with bids and 3 alternates, 6,000 proposed pairs
   saved with their reasons. The task's own lap times are printed too.
2. ``cold index``: a new worker loading the index snapshot from disk (before its first task).
3. ``page``: the operator's assignment page (``/en/programs/manage/calls/<slug>/assignment/``)
   fetched 20 times with Django's test client after one warm-up: median and 90th percentile,
   and the number of SQL queries.

The result is printed as JSON and written to ``bench/out/programs-assignment.json``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bench" / "out"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=1000)
    parser.add_argument("--reviewers", type=int, default=800)
    parser.add_argument("--bids", type=int, default=16_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--page-runs", type=int, default=20)
    options = parser.parse_args()

    folder = OUT / f"programs-{options.applications}x{options.reviewers}"
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("SANGSAENG_VAR", str(folder))
    os.environ.setdefault("SANGSAENG_ENV", "test")  # tasks run in this process, DEBUG off
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sangsaeng.settings")
    os.environ.setdefault("SANGSAENG_INDEX_DIR", str(folder / "index"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", interactive=False, verbosity=0)
    index = _process_index(folder)
    call = _build(options, index)
    result: dict[str, object] = {
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "applications": options.applications,
        "reviewers": options.reviewers,
    }
    result.update(_time_task(call))
    result.update(_time_cold_index(folder))
    result.update(_time_page(call, options.page_runs))
    (OUT / "programs-assignment.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


def _process_index(folder: Path):  # type: ignore[no-untyped-def]
    """This process's search index, with embeddings cached on disk across runs."""
    from sangsaeng.engine.embedders import CachedEmbedder, create_embedder
    from sangsaeng.search import index as search_index_module

    embedder = CachedEmbedder(create_embedder(), OUT / "embeddings.npz")
    index = search_index_module.SearchIndex(folder / "index", embedder=embedder)
    search_index_module._process_index = index
    return index


def _build(options: argparse.Namespace, index) -> object:  # type: ignore[no-untyped-def]
    from django.db import transaction
    from django.utils import timezone

    from sangsaeng.accounts.models import User
    from sangsaeng.demo.generator import generate
    from sangsaeng.directory.models import Organisation, Person, Publication, TaxonomyTerm
    from sangsaeng.directory.taxonomy import (
        DEFAULT_TAXONOMY_FILE,
        load_taxonomy,
        read_taxonomy_file,
    )
    from sangsaeng.programs import services
    from sangsaeng.programs.models import (
        Application,
        ApplicationPartner,
        ApplicationVector,
        Bid,
        Call,
        ReviewerProfile,
    )
    from sangsaeng.programs.services import CriterionSpec, FieldSpec

    existing = Call.objects.filter(slug="bench-call").first()
    if existing is not None and Application.objects.filter(call=existing).count() == (
        options.applications
    ):
        started = time.perf_counter()
        index.current()
        print(f"set-up reused; index loaded in {time.perf_counter() - started:.1f} s")
        if ApplicationVector.objects.filter(application__call=existing, terms=[]).exists():
            _store_application_vectors(existing, index)
        return existing
    started = time.perf_counter()
    rng = random.Random(options.seed)
    # The generator invents at most 192 company names: past that, companies repeat a profile
    # under a numbered name (their texts still differ in the products and nodes drawn).
    cluster = generate(options.seed, 3.0, universities=("bench-university",))
    experts = list(cluster.experts)
    while len(experts) < options.reviewers:
        experts += generate(options.seed + len(experts), 3.0).experts  # more texts, same kind
    company_specs = [
        cluster.companies[n % len(cluster.companies)] for n in range(options.applications)
    ]
    with transaction.atomic():
        load_taxonomy(read_taxonomy_file(DEFAULT_TAXONOMY_FILE))
        operator, _ = User.objects.get_or_create(
            email="office@bench.example",
            defaults={"username": "bench-office", "is_operator": True, "is_staff": True},
        )
        terms = {t.code: t for t in TaxonomyTerm.objects.all()}
        universities = Organisation.objects.bulk_create(
            Organisation(
                slug=f"bench-university-{n}",
                kind=Organisation.Kind.UNIVERSITY,
                name_ko=f"벤치대학교 {n}",
                name_en=f"Bench University {n}",
                city="성남시",
                status=Organisation.Status.APPROVED,
                is_fictional=True,
            )
            for n in range(20)
        )
        companies = Organisation.objects.bulk_create(
            Organisation(
                slug=f"bench-{n:04d}-{spec.slug}"[:100],
                kind=Organisation.Kind.COMPANY,
                name_ko=f"{spec.name_ko} {n}",
                name_en=f"{spec.name_en} {n}",
                description_ko=spec.description_ko,
                description_en=spec.description_en,
                city="성남시",
                employee_count=spec.employee_count,
                status=Organisation.Status.APPROVED,
                is_fictional=True,
            )
            for n, spec in enumerate(company_specs)
        )
        Organisation.tags.through.objects.bulk_create(
            Organisation.tags.through(organisation_id=company.pk, taxonomyterm_id=terms[code].pk)
            for company, spec in zip(companies, company_specs, strict=True)
            for code in spec.tags
        )
        homes = [*universities, *companies[: options.reviewers // 4]]
        people = Person.objects.bulk_create(
            Person(
                slug=f"bench-{n:04d}-{spec.slug}"[:100],
                name_ko=spec.name_ko,
                name_en=spec.name_en,
                organisation=rng.choice(homes),
                profile_text=spec.profile_text,
                expertise_keywords=list(spec.expertise_keywords),
                is_fictional=True,
            )
            for n, spec in enumerate(experts[: options.reviewers])
        )
        Publication.objects.bulk_create(
            (
                Publication(
                    person=person,
                    kind=item.kind,
                    title=item.title,
                    abstract=item.abstract,
                    year=item.year,
                    order=order,
                )
                for person, spec in zip(people, experts, strict=False)
                for order, item in enumerate(spec.publications, start=1)
            ),
            batch_size=1000,
        )
        reviewers = ReviewerProfile.objects.bulk_create(
            ReviewerProfile(person=person, opted_in=True, max_load=rng.choice((4, 5, 6, 8)))
            for person in people
        )
        now = timezone.now()
        program = services.program_create(actor=operator, name_ko="벤치 지원사업", name_en="Bench")
        call = services.call_create(
            actor=operator,
            program=program,
            slug="bench-call",
            title_ko="벤치 공고",
            title_en="Bench call",
            total_budget=100_000_000_000,
            max_award=100_000_000,
            opens_at=now - datetime.timedelta(days=60),
            closes_at=now - datetime.timedelta(days=30),
            review_deadline=now + datetime.timedelta(days=30),
            reviewers_per_application=3,
            reviewer_max_load=8,
        )
        services.form_fields_save(
            actor=operator,
            call=call,
            fields=[FieldSpec(key="summary", kind="long_text", label_ko="개요", required=True)],
        )
        services.criteria_save(
            actor=operator, call=call, criteria=[CriterionSpec(name_ko="기술성")]
        )
        Call.objects.filter(pk=call.pk).update(status="published", published_at=call.opens_at)
        applications = Application.objects.bulk_create(
            Application(
                call=call,
                organisation=company,
                title=(spec.description_en if n % 3 == 0 else spec.description_ko)[:120],
                requested_amount=rng.randint(5, 10) * 10_000_000,
                answers={"summary": _summary(spec, rng)},
                language="ko",
                status=Application.Status.ELIGIBLE,
                receipt_number=f"B-{n:05d}",
                submitted_at=now - datetime.timedelta(days=40),
            )
            for n, (company, spec) in enumerate(zip(companies, company_specs, strict=True))
        )
        ApplicationPartner.objects.bulk_create(
            ApplicationPartner(application=a, organisation=rng.choice(universities))
            for a in applications
        )
        pairs = set()
        while len(pairs) < options.bids:
            pairs.add((rng.choice(applications).pk, rng.choice(reviewers).pk))
        Bid.objects.bulk_create(
            Bid(
                application_id=a,
                reviewer_id=r,
                kind=rng.choices(("eager", "willing", "not_willing"), weights=(3, 4, 1))[0],
            )
            for a, r in pairs
        )
    print(f"records written in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    index.rebuild()
    index.save_snapshot()
    index.embedder.save()
    print(f"search index built and saved in {time.perf_counter() - started:.1f} s")
    _store_application_vectors(call, index)
    return call


def _store_application_vectors(call, index) -> None:  # type: ignore[no-untyped-def]
    """What the platform stores when each application is submitted: its embedding and terms."""
    from sangsaeng.programs.assignment import application_query, store_vectors, text_hash
    from sangsaeng.programs.models import Application, ApplicationVector

    started = time.perf_counter()
    fields = list(call.form_fields.all())
    chosen = list(Application.objects.filter(call=call).select_related("area"))
    queries = [application_query(a, fields) for a in chosen]
    texts = [q.full_text for q in queries]
    vectors = index.embedder.embed_queries(texts)
    terms = index.analyzer.terms_with_words_many(texts)
    ApplicationVector.objects.filter(application__call=call).delete()
    store_vectors(chosen, [text_hash(t) for t in texts], vectors, terms, index.embedder)
    index.embedder.save()
    print(
        f"{len(chosen)} application embeddings and terms stored in "
        f"{time.perf_counter() - started:.1f} s (at submission, the platform does each one in "
        "the background)"
    )


def _summary(spec, rng: random.Random) -> str:  # type: ignore[no-untyped-def]
    """A company's description and one project of its main capability (drawn per application,
    so that companies sharing a generated profile still propose different work)."""
    from sangsaeng.demo.vocabulary import APPLICATIONS, BY_CODE, NODES

    capability = BY_CODE.get(spec.tags[0]) or next(iter(BY_CODE.values()))
    app_en, app_ko = APPLICATIONS.get(spec.tags[-1], ("edge AI", "엣지 AI"))
    values = {
        "node": rng.choice(NODES),
        "app_en": app_en,
        "app_ko": app_ko,
        "n": rng.randint(5, 30),
        "x": rng.randint(5, 50),
        "pct": rng.randint(10, 60),
    }
    project = rng.choice(capability.titles_ko + capability.titles_en).format(**values)
    method = (capability.method_ko if rng.random() < 0.6 else capability.method_en).format(**values)
    return f"{project}. {method}.\n{spec.description_ko}\n{spec.description_en}"


def _time_task(call) -> dict[str, object]:  # type: ignore[no-untyped-def]
    from sangsaeng.programs import tasks
    from sangsaeng.programs.models import AssignmentRun, Conflict, ProposedReviewer

    AssignmentRun.objects.filter(call=call).delete()
    Conflict.objects.filter(application__call=call).delete()
    run = AssignmentRun.objects.create(call=call, objective="total", alternates=3)
    started = time.perf_counter()
    tasks.compute_assignment.call(run.pk)
    seconds = time.perf_counter() - started
    run.refresh_from_db()
    if run.status != "done":
        raise SystemExit(
            f"the assignment did not complete: {run.status} {run.problems} {run.error}"
        )
    return {
        "task_seconds": round(seconds, 2),
        "task_laps": run.summary.get("timings"),
        "pairs_scored": run.summary.get("pairs_scored"),
        "conflicts": Conflict.objects.filter(application__call=call).count(),
        "bids": run.summary.get("bids"),
        "assigned": ProposedReviewer.objects.filter(run=run, role="assigned").count(),
        "alternates": ProposedReviewer.objects.filter(run=run, role="alternate").count(),
        "total_fit": run.summary.get("total_fit"),
        "solve_seconds": run.summary.get("solve_seconds"),
    }


def _time_cold_index(folder: Path) -> dict[str, object]:
    from sangsaeng.search.index import SearchIndex

    fresh = SearchIndex(folder / "index")
    started = time.perf_counter()
    fresh.current()
    return {"cold_index_load_seconds": round(time.perf_counter() - started, 2)}


def _time_page(call, runs: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from sangsaeng.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email="office@bench.example"))
    url = f"/en/programs/manage/calls/{call.slug}/assignment/"
    assert client.get(url).status_code == 200
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    return {
        "page_median_ms": round(1000 * statistics.median(times), 1),
        "page_p90_ms": round(1000 * times[int(0.9 * (len(times) - 1))], 1),
        "page_queries": len(queries),
        "page_runs": runs,
    }


if __name__ == "__main__":
    sys.exit(main())
