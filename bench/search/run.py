"""Search latency of the platform's search page on a demo-sized and a 50,000-expert directory.

Builds a throw-away SQLite database (migrated), fills it (the demo cluster through
``load_demo``, or synthetic experts with bulk inserts), builds the index through the
platform's own ``SearchIndex`` exactly as ``sangsaeng reindex`` does, and times the search
**page**: ``GET /ko/search/?q=...`` through Django's test client (middleware, the policy
filter in the database, the engine's ranking of every related record with its count, names
and affiliations, the explanations of the page's 20 results, the template), as an anonymous
visitor and as a logged-in operator. The selector alone (``search_page``) is timed too.

    .venv/bin/python bench/search/run.py --demo            # the demo cluster itself
    .venv/bin/python bench/search/run.py --experts 50000   # a scaled synthetic directory

Each round asks every query once; the first round meets each query for the first time
(its embedding is computed), later rounds find it remembered, as repeated and paged
searches do. Figures: median and p95 over all rounds, and the p95 of the first round.

Profile texts come from a pool of distinct texts (5,000 at most) so that the 50,000-expert
build embeds a manageable number of distinct texts; BM25 and the vector scan still run over
every expert's document, which is what a search costs.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

QUERIES = [
    "RISC-V NPU 검증",
    "analog layout ADC",
    "온디바이스 LLM 컴파일러",
    "chiplet packaging thermal simulation",
    "저전력 이미지 센서 SoC",
    "formal verification of AI accelerators",
    "HBM 인터포저 설계",
    "Kim",
    "세종",
    "risc v",
    "세종대학교",
    "LPDDR 5",
]
TOPICS_EN = [
    "RISC-V processor verification with UVM",
    "neural processing unit (NPU) architecture",
    "analog and mixed-signal layout for ADCs",
    "on-device LLM compilers and quantisation",
    "chiplet packaging and thermal analysis",
    "low-power image sensor SoC design",
    "formal verification of AI accelerators",
    "HBM interposer and signal integrity",
    "edge AI model compression",
    "PLL and LDO design in 28nm CMOS",
]
TOPICS_KO = [
    "RISC-V 프로세서 검증",
    "신경망 처리 장치 설계",
    "아날로그 레이아웃과 ADC 설계",
    "온디바이스 LLM 컴파일러",
    "칩렛 패키징 열 해석",
    "저전력 이미지 센서 SoC",
    "AI 가속기 형식 검증",
    "HBM 인터포저 신호 무결성",
    "엣지 AI 모델 경량화",
    "28나노 PLL 설계",
]


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


def _profile_pool(size: int, rng: random.Random) -> list[str]:
    pool = []
    for _ in range(size):
        english = rng.sample(TOPICS_EN, 2)
        korean = rng.sample(TOPICS_KO, 1)
        pool.append(f"{english[0]}; {english[1]}. {korean[0]} 연구.")
    return pool


def _fill(experts: int, seed: int) -> None:
    from sangsaeng.directory.models import Organisation, Person

    rng = random.Random(seed)
    organisations = Organisation.objects.bulk_create(
        Organisation(
            slug=f"bench-org-{i}",
            kind="university" if i % 3 else "company",
            name_ko=f"벤치 기관 {i}",
            name_en=f"Bench organisation {i}",
            description_en=rng.choice(TOPICS_EN),
            description_ko=rng.choice(TOPICS_KO),
            status="approved",
            is_fictional=True,
        )
        for i in range(max(10, experts // 100))
    )
    pool = _profile_pool(min(5000, experts), rng)
    surnames = ["Kim", "Lee", "Park", "Choi", "Jung"]
    batch: list[Person] = []
    for i in range(experts):
        batch.append(
            Person(
                slug=f"bench-expert-{i}",
                name_ko="연구자",
                name_en=surnames[i % len(surnames)],
                profile_text=pool[i % len(pool)],
                organisation=organisations[i % len(organisations)],
                is_public=True,
                is_fictional=True,
            )
        )
        if len(batch) == 5000:
            Person.objects.bulk_create(batch)
            batch = []
    Person.objects.bulk_create(batch)


def _figures(timings: list[float]) -> dict[str, float]:
    ordered = sorted(timings)
    return {
        "median_ms": 1000 * statistics.median(ordered),
        "p95_ms": 1000 * ordered[int(0.95 * (len(ordered) - 1))],
        "searches": len(ordered),
    }


def _time_searches(repeats: int) -> dict[str, dict[str, dict[str, float]]]:
    """Times of the page and of the selector, per role: all rounds, and the first round."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import Client
    from django.utils import translation

    from sangsaeng.accounts.models import User
    from sangsaeng.search.selectors import search_page

    operator = User.objects.create(username="bench-op", email="op@bench.invalid", is_operator=True)
    results: dict[str, dict[str, dict[str, float]]] = {}
    for label, user in (("anonymous", None), ("operator", operator)):
        client = Client()
        if user is not None:
            client.force_login(user)
        client.get("/ko/search/", {"q": "warm up"})
        pages: list[float] = []
        first_round: list[float] = []
        for round_number in range(repeats):
            for query in QUERIES:
                started = time.perf_counter()
                response = client.get("/ko/search/", {"q": query})
                elapsed = time.perf_counter() - started
                assert response.status_code == 200, response.status_code
                pages.append(elapsed)
                if round_number == 0:
                    first_round.append(elapsed)
        selector: list[float] = []
        translation.activate("ko")
        for _ in range(repeats):
            for query in QUERIES:
                started = time.perf_counter()
                search_page(user or AnonymousUser(), query=query)
                selector.append(time.perf_counter() - started)
        results[label] = {
            "page": _figures(pages),
            "page, first round": _figures(first_round),
            "selector": _figures(selector),
        }
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--experts", type=int, help="synthetic experts")
    source.add_argument("--demo", action="store_true", help="the demo cluster (load_demo)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sangsaeng-bench-") as folder:
        _setup(Path(folder))
        started = time.perf_counter()
        if args.demo:
            from sangsaeng.demo.loader import load_demo

            load_demo(seed=args.seed)
        else:
            _fill(args.experts, args.seed)
        filled = time.perf_counter() - started
        from sangsaeng.search.index import search_index

        started = time.perf_counter()
        index = search_index()
        index.rebuild()
        built = time.perf_counter() - started
        directory = index.current()["directory"]
        print(
            f"{'demo' if args.demo else f'experts={args.experts}'} "
            f"profiles_indexed={len(directory)} "
            f"db_fill_s={filled:.1f} index_build_s={built:.1f}",
            flush=True,
        )
        for role, measured in _time_searches(args.repeats).items():
            for what, figures in measured.items():
                print(
                    f"  {role:9} {what:17}: median {figures['median_ms']:4.0f} ms, "
                    f"p95 {figures['p95_ms']:4.0f} ms over {figures['searches']:.0f} searches",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
