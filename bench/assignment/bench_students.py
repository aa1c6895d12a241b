"""Students-to-openings benchmark: time and choice counts of both methods on a synthetic market.

    .venv/bin/python bench/assignment/bench_students.py --students 5000 --openings 300

Students list 10 openings drawn with a popularity skew; openings rank students by a score
(a common quality plus noise), so popular openings are oversubscribed as in a real cluster.
After each method's first phase, a second phase: every unplaced student ranks up to 10 of the
openings still open (drawn with the same skew), and the same method runs again on them and the
positions left. ``--cli`` also times the whole round through ``sangsaeng engine match-students``
(both phases, JSON Lines in and out).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from sangsaeng.engine.students import (
    Opening,
    Student,
    StudentScore,
    match_second_phase,
    match_students,
)

OUT = Path(__file__).resolve().parents[2] / "bench" / "out"


def second_lists(first, openings, popularity, list_length, rng) -> list[Student]:
    """Each unplaced student ranks up to ``list_length`` of the openings still open."""
    left = first.unfilled
    open_positions = [k for k, opening in enumerate(openings) if opening.id in left]
    if not open_positions:
        return [Student(s, ()) for s in first.unplaced_students]
    weights = popularity[open_positions] / popularity[open_positions].sum()
    size = min(list_length, len(open_positions))
    return [
        Student(
            s,
            tuple(
                openings[open_positions[k]].id
                for k in rng.choice(len(open_positions), size=size, replace=False, p=weights)
            ),
        )
        for s in first.unplaced_students
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=5000)
    parser.add_argument("--openings", type=int, default=300)
    parser.add_argument("--list-length", type=int, default=10)
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--cli", action="store_true", help="also time the command end to end")
    options = parser.parse_args()
    rng = np.random.default_rng(options.seed)
    popularity = 1.0 / np.arange(1, options.openings + 1) ** 0.8
    popularity /= popularity.sum()
    students = [
        Student(
            f"s{k}",
            tuple(
                f"o{o}"
                for o in rng.choice(
                    options.openings, size=options.list_length, replace=False, p=popularity
                )
            ),
        )
        for k in range(options.students)
    ]
    capacity = max(1, options.students // options.openings)
    openings = [
        Opening(f"o{o}", int(rng.integers(1, 2 * capacity))) for o in range(options.openings)
    ]
    quality = rng.random(options.students)
    scores = [
        StudentScore(s.id, o, round(float(quality[k] + 0.3 * rng.random()), 4))
        for k, s in enumerate(students)
        for o in s.preferences
    ]
    for method in ("stable", "optimal"):
        started = time.perf_counter()
        result = match_students(
            students,
            openings,
            scores,
            method=method,
            seed=options.seed,
            max_choices=options.list_length,
        )
        summary = result.summary()
        summary["wall_seconds"] = round(time.perf_counter() - started, 2)
        summary["places"] = sum(o.capacity for o in openings)
        print(json.dumps(summary))
        again = second_lists(
            result, openings, popularity, options.list_length, np.random.default_rng(options.seed)
        )
        started = time.perf_counter()
        second = match_second_phase(
            result,
            again,
            openings,
            scores,
            method=method,
            seed=options.seed,
            max_choices=options.list_length,
        )
        summary = second.summary()
        summary["wall_seconds"] = round(time.perf_counter() - started, 2)
        print(json.dumps(summary))
    if options.cli:
        command_line_round(students, openings, scores, popularity, options)


def command_line_round(students, openings, scores, popularity, options) -> None:
    """Both phases through ``sangsaeng engine match-students``, timed end to end."""
    folder = OUT / f"students-{len(students)}x{len(openings)}"
    folder.mkdir(parents=True, exist_ok=True)

    def write(name: str, rows: list[dict]) -> None:
        (folder / name).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")

    write("students.jsonl", [{"id": s.id, "preferences": list(s.preferences)} for s in students])
    write("openings.jsonl", [{"id": o.id, "capacity": o.capacity} for o in openings])
    write(
        "scores.jsonl",
        [{"student": x.student, "opening": x.opening, "score": x.score} for x in scores],
    )
    sangsaeng = str(Path(sys.executable).with_name("sangsaeng"))
    common = ["--openings", str(folder / "openings.jsonl")]
    common += ["--scores", str(folder / "scores.jsonl"), "--max-choices", str(options.list_length)]
    started = time.perf_counter()
    subprocess.run(
        [sangsaeng, "engine", "match-students", "--students", str(folder / "students.jsonl"),
         *common, "--out", str(folder / "phase1.jsonl")],
        check=True,
    )  # fmt: skip
    first_seconds = time.perf_counter() - started
    lines = [json.loads(line) for line in (folder / "phase1.jsonl").read_text().splitlines()]
    first_summary = lines[-1]["summary"]
    unplaced = [line["student"] for line in lines[:-1] if line["opening"] is None]
    left = first_summary["unfilled"]
    open_positions = [k for k, o in enumerate(openings) if o.id in left]
    weights = popularity[open_positions] / popularity[open_positions].sum()
    rng = np.random.default_rng(options.seed)
    size = min(options.list_length, len(open_positions))
    write(
        "students2.jsonl",
        [
            {
                "id": s,
                "preferences": [
                    openings[open_positions[k]].id
                    for k in rng.choice(len(open_positions), size=size, replace=False, p=weights)
                ],
            }
            for s in unplaced
        ],
    )
    started = time.perf_counter()
    subprocess.run(
        [sangsaeng, "engine", "match-students", "--students", str(folder / "students2.jsonl"),
         *common, "--previous", str(folder / "phase1.jsonl"), "--out",
         str(folder / "phase2.jsonl")],
        check=True,
    )  # fmt: skip
    second_seconds = time.perf_counter() - started
    second_summary = json.loads(
        (folder / "phase2.jsonl").read_text(encoding="utf-8").splitlines()[-1]
    )["summary"]
    print(
        json.dumps(
            {
                "command": "sangsaeng engine match-students (stable, two phases)",
                "phase1_wall_seconds": round(first_seconds, 2),
                "phase1_placed": first_summary["placed"],
                "phase2_wall_seconds": round(second_seconds, 2),
                "phase2_placed": second_summary["placed"],
                "unfilled_positions_after": second_summary["unfilled_positions"],
            }
        )
    )


if __name__ == "__main__":
    main()
