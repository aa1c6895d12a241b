"""Time importing a people file into the directory, as an operator does from the import page.

Builds a throw-away SQLite database (migrated), adds taxonomy terms and organisations
(bulk inserts), writes a synthetic CSV of people (each naming an organisation by its short
name or its Korean name, with e-mail, keywords, capability codes, students with a
graduation year), then times ``import_directory`` three times on it:

1. into an empty directory (every row added through ``person_create``);
2. the same file again (every row matched by short name and updated through ``person_update``);
3. the same file with one bad row at the end (every row checked and written, then all
   rolled back: what an operator waits for before seeing the list of problems).

    .venv/bin/python bench/importing/run.py                 # 5,000 people
    .venv/bin/python bench/importing/run.py --people 20000

Each figure is one call: wall time, this process's CPU time (steadier than wall time on a
shared machine), the SQL statements it sent, and the process's peak resident memory so far.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TAG_CODES = [f"bench-tag-{i}" for i in range(40)]
KEYWORDS = ["RISC-V", "NPU", "UVM", "ADC", "PLL", "칩렛", "컴파일러", "검증", "HBM", "SoC"]
SURNAMES_KO = ["김", "이", "박", "최", "정"]
SURNAMES_EN = ["Kim", "Lee", "Park", "Choi", "Jung"]


def _setup(folder: Path) -> None:
    os.environ["SANGSAENG_ENV"] = "development"
    os.environ["SANGSAENG_VAR"] = str(folder)
    os.environ["SANGSAENG_INDEX_DIR"] = str(folder / "index")
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sangsaeng.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _fill(organisations: int) -> None:
    from sangsaeng.directory.models import Organisation, TaxonomyTerm

    TaxonomyTerm.objects.bulk_create(
        TaxonomyTerm(code=code, name_ko=code, name_en=code) for code in TAG_CODES
    )
    Organisation.objects.bulk_create(
        Organisation(
            slug=f"bench-org-{i}",
            kind="university" if i % 3 else "company",
            name_ko=f"벤치 기관 {i}",
            name_en=f"Bench organisation {i}",
            status="approved",
        )
        for i in range(organisations)
    )


def people_csv(people: int, organisations: int, seed: int) -> str:
    """A people file as an operator would export it from a spreadsheet."""
    rng = random.Random(seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "slug",
            "kind",
            "name_ko",
            "name_en",
            "position_ko",
            "email",
            "organisation",
            "expertise_keywords",
            "tags",
            "is_public",
            "graduation_year",
        ]
    )
    for i in range(people):
        student = i % 5 == 0
        organisation = rng.randrange(organisations)
        writer.writerow(
            [
                f"bench-person-{i}",
                "student" if student else "expert",
                f"{SURNAMES_KO[i % 5]}연구자{i}",
                f"{SURNAMES_EN[i % 5]} Researcher {i}",
                "대학원생" if student else "책임연구원",
                f"person{i}@bench.example",
                f"bench-org-{organisation}" if i % 2 else f"벤치 기관 {organisation}",
                "; ".join(rng.sample(KEYWORDS, 3)),
                ";".join(rng.sample(TAG_CODES, 2)),
                "no" if student else "yes",
                str(2026 + i % 4) if student else "",
            ]
        )
    return buffer.getvalue()


def _timed(label: str, call: Callable[[], Any]) -> Any:
    from django.db import connection

    queries = 0

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        cpu_started = time.process_time()
        result = call()
        cpu = time.process_time() - cpu_started
        elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"  {label}: {elapsed:.1f} s wall, {cpu:.1f} s CPU, {queries} SQL statements "
        f"(process peak so far {peak:.0f} MiB)",
        flush=True,
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=5000, help="rows in the people file")
    parser.add_argument("--organisations", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sangsaeng-bench-") as folder:
        _setup(Path(folder))
        _fill(args.organisations)
        from sangsaeng.accounts.models import User
        from sangsaeng.directory.importing import ImportRejected, import_directory
        from sangsaeng.directory.models import Person

        operator = User.objects.create(
            username="bench-op", email="op@bench.invalid", is_operator=True
        )
        content = people_csv(args.people, args.organisations, args.seed).encode("utf-8")
        print(f"people={args.people} organisations={args.organisations}", flush=True)

        def run(data: bytes) -> Any:
            return import_directory(actor=operator, content=data, filename="people.csv")

        report = _timed("add every row", lambda: run(content))
        assert len(report.created) == args.people, report.summary()
        report = _timed("update every row", lambda: run(content))
        assert len(report.updated) == args.people, report.summary()

        bad = content + b"bench-bad,expert,,,,,,,,,\n"

        def rejected() -> int:
            try:
                run(bad)
            except ImportRejected as error:
                return len(error.problems)
            raise AssertionError("the bad row was accepted")

        problems = _timed("reject the file for one bad row", rejected)
        assert problems == 1, problems
        assert Person.objects.count() == args.people
    return 0


if __name__ == "__main__":
    sys.exit(main())
