"""Students-to-openings benchmark: time and choice counts of both methods on a synthetic market.

    .venv/bin/python bench/assignment/bench_students.py --students 5000 --openings 300

Students list 10 openings drawn with a popularity skew; openings rank students by a score
(a common quality plus noise), so popular openings are oversubscribed as in a real cluster.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from sangsaeng.engine.students import Opening, Student, StudentScore, match_students


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=5000)
    parser.add_argument("--openings", type=int, default=300)
    parser.add_argument("--list-length", type=int, default=10)
    parser.add_argument("--seed", type=int, default=20261125)
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
        result = match_students(students, openings, scores, method=method, seed=options.seed)
        summary = result.summary()
        summary["wall_seconds"] = round(time.perf_counter() - started, 2)
        summary["places"] = sum(o.capacity for o in openings)
        print(json.dumps(summary))


if __name__ == "__main__":
    main()
